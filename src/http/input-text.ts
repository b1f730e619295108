import type { FastifyInstance } from 'fastify';
import { AppError, type ErrorDetail } from '../shared/errors.js';

/** Matches only an unpaired surrogate: with the u flag a pair reads as one code point. */
const loneSurrogate = /\p{Cs}/u;

/** Why a string cannot be stored: PostgreSQL text refuses NUL, and a lone UTF-16 surrogate has no UTF-8 form. */
function flawOf(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain a NUL character (\\u0000)';
  if (loneSurrogate.test(text)) return 'must not contain a lone UTF-16 surrogate';
  return undefined;
}

/** Parsed input (query and params objects have their own prototypes), not a file upload's buffer or stream. */
const isDecoded = (value: object) =>
  !ArrayBuffer.isView(value) && typeof (value as { pipe?: unknown }).pipe !== 'function';

/**
 * Every string in a decoded value (object keys too), walked without recursion so that deeply
 * nested JSON cannot exhaust the stack. Buffers and streams (file uploads) are left to their readers.
 */
function flaws(value: unknown, root: string): ErrorDetail[] {
  const found: ErrorDetail[] = [];
  const pending: [unknown, string][] = [[value, root]];
  while (pending.length && found.length < 20) {
    const [item, path] = pending.pop()!;
    if (typeof item === 'string') {
      const flaw = flawOf(item);
      if (flaw) found.push({ path, message: flaw });
    } else if (Array.isArray(item)) {
      item.forEach((element, index) => pending.push([element, `${path}.${index}`]));
    } else if (item && typeof item === 'object' && isDecoded(item)) {
      for (const [key, element] of Object.entries(item)) {
        const flaw = flawOf(key);
        if (flaw) found.push({ path, message: `has a field name that ${flaw}` });
        else pending.push([element, `${path}.${key}`]);
      }
    }
  }
  return found;
}

function refuse(details: ErrorDetail[]) {
  if (details.length === 0) return;
  const message = details.map((detail) => `${detail.path}: ${detail.message}`).join('; ');
  throw new AppError('validation_failed', 'input.unstorable_text', message, details);
}

/**
 * Text that no column could hold is refused where it enters, for every route at once, with a
 * 400 naming the field: path and query values and headers before anything (sign-in included)
 * reads them, the body once it is parsed.
 */
export function installInputChecks(app: FastifyInstance) {
  // Callback hooks: they wait for nothing, and an async hook costs every request a promise and a turn.
  app.addHook('onRequest', (request, _reply, done) => {
    refuse([
      ...flaws(request.params, 'params'),
      ...flaws(request.query, 'querystring'),
      ...flaws(request.headers, 'headers'),
    ]);
    done();
  });
  app.addHook('preValidation', (request, _reply, done) => {
    refuse(flaws(request.body, 'body'));
    done();
  });
}
