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
  /** A dependency (the database, the disk) cannot take the work now; the same request will succeed later. */
  unavailable: 503,
} as const;

export type ErrorKind = keyof typeof errorStatus;

export type ErrorDetail = { path: string; message: string };

/**
 * Problems a service found in fields of a request body, named as schema validation names them
 * (`body.phones.0`, beside `querystring.status`, `params.id`, `headers.idempotency-key`).
 */
export const inBody = (problems: ErrorDetail[]): ErrorDetail[] =>
  problems.map((problem) => ({ ...problem, path: `body.${problem.path}` }));

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
