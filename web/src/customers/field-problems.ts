import { ApiError } from '../api/client.js';

/**
 * The server's problems inside one nested input, keyed by the next path segment:
 * `body.address.city` and `address.city` both give `{ city }` for `address`.
 */
export function problemsUnder(error: unknown, field: string): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const problems: Record<string, string> = {};
  for (const detail of error.details) {
    const [head, key] = detail.path.replace(/^(body|query|params)\./, '').split('.');
    if (head === field && key !== undefined) problems[key] ??= detail.message;
  }
  return problems;
}
