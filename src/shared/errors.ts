/** Every failure a service reports, by code; the HTTP layer maps the code's kind to a status. */
export const errorStatus = {
  validation_failed: 400,
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  unsupported_media_type: 415,
  too_many_requests: 429,
} as const;

export type ErrorKind = keyof typeof errorStatus;

export type ErrorDetail = { path: string; message: string };

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** A stable, specific code such as `auth.invalid_credentials`; clients branch on it. */
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return errorStatus[this.kind];
  }
}

export const notFound = (what: string, id: string | number) =>
  new AppError('not_found', `${what}.not_found`, `No ${what} with id ${id}.`);
