/** One problem with one input field, as the server reports it (`body.email`, `currentPassword`). */
export type FieldProblem = { path: string; message: string };

/** A failed call, carrying the server's `{error, message, details}` body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The server's stable code, such as `auth.invalid_credentials`. */
    readonly error: string,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const CSRF_HEADER = 'x-csrf-token';

let csrfToken: string | null = null;
/** What to do when the server answers 401 with a code saying a session is gone, by that code. */
const signedOutHandlers = new Map<string, () => void>();

/** The session's CSRF token, from login or GET /api/me; every write made with the cookie echoes it. */
export function rememberCsrfToken(token: string | null) {
  csrfToken = token;
}

/**
 * Called when the server says the session is gone (expired, signed out elsewhere, user disabled):
 * a 401 with `code`, the staff session's by default (the customer portal has a code of its own).
 */
export function whenSignedOut(handler: () => void, code = 'auth.required') {
  signedOutHandlers.set(code, handler);
}

type QueryValue = string | number | boolean | null | undefined;
type Query = Record<string, QueryValue | readonly QueryValue[]>;

/** Builds `path?name=value` from the query, leaving out empty values; a list repeats its name. */
export function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [name, values] of Object.entries(query)) {
    for (const value of [values].flat()) {
      if (value !== undefined && value !== null && value !== '') params.append(name, String(value));
    }
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function errorFrom(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => null);
  if (body && typeof body === 'object' && 'error' in body && 'message' in body) {
    const { error, message, details } = body as { error: string; message: string; details?: FieldProblem[] };
    return new ApiError(response.status, error, message, details ?? []);
  }
  return new ApiError(response.status, 'http_error', `The server answered ${response.status} ${response.statusText}.`);
}

/** Headers a call adds to the usual ones, such as `idempotency-key`. */
export type ExtraHeaders = Record<string, string>;

/** What a call sends: JSON by default, or a file's bytes with the file's own type. */
type Payload = { body: BodyInit; contentType: string };

const json = (body: unknown): Payload | undefined =>
  body === undefined ? undefined : { body: JSON.stringify(body), contentType: 'application/json' };

/** Whose session a call carries: the CSRF token its writes echo (the staff session's, or the portal's). */
export type Realm = { csrfToken: () => string | null };

async function send<T>(
  realm: Realm,
  method: string,
  path: string,
  payload?: Payload,
  signal?: AbortSignal,
  extraHeaders?: ExtraHeaders,
): Promise<T> {
  const headers: Record<string, string> = { ...extraHeaders, accept: 'application/json' };
  if (payload) headers['content-type'] = payload.contentType;
  const token = method === 'GET' ? null : realm.csrfToken();
  if (token) headers[CSRF_HEADER] = token;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin', body: payload?.body, signal });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(0, 'network', 'Cannot reach the Tidings server. Check your connection and try again.');
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401) signedOutHandlers.get(error.error)?.();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/**
 * Posts a multipart form with XMLHttpRequest, the one browser request that reports upload progress:
 * `onProgress` hears the share of the bytes sent (0 to 1). Answers and refusals read as `send`'s do.
 */
function sendForm<T>(realm: Realm, path: string, form: FormData, onProgress?: (sent: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    request.setRequestHeader('accept', 'application/json');
    const token = realm.csrfToken();
    if (token) request.setRequestHeader(CSRF_HEADER, token);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total);
    };
    request.onerror = () =>
      reject(new ApiError(0, 'network', 'Cannot reach the Tidings server. Check your connection and try again.'));
    request.onload = () => {
      const response = new Response(request.status === 204 ? null : request.responseText, {
        status: request.status,
        statusText: request.statusText,
      });
      if (response.ok) {
        resolve(response.status === 204 ? (undefined as T) : (response.json() as Promise<T>));
        return;
      }
      void errorFrom(response).then((error) => {
        if (response.status === 401) signedOutHandlers.get(error.error)?.();
        reject(error);
      });
    };
    request.send(form);
  });
}

/** The calls of one realm; GETs carry no CSRF token, so any realm's client reads any path. */
export function clientFor(realm: Realm) {
  return {
    get: <T>(path: string, signal?: AbortSignal) => send<T>(realm, 'GET', path, undefined, signal),
    post: <T>(path: string, body?: unknown, headers?: ExtraHeaders) =>
      send<T>(realm, 'POST', path, json(body), undefined, headers),
    put: <T>(path: string, body: unknown) => send<T>(realm, 'PUT', path, json(body)),
    patch: <T>(path: string, body: unknown) => send<T>(realm, 'PATCH', path, json(body)),
    /** Sends a file as the request body, with its own type (a logo, an attachment). */
    upload: <T>(
      method: 'POST' | 'PUT',
      path: string,
      file: Blob,
      contentType = file.type || 'application/octet-stream',
    ) => send<T>(realm, method, path, { body: file, contentType }),
    /** Posts a multipart form (files among its fields), reporting the share of it sent so far. */
    postForm: <T>(path: string, form: FormData, onProgress?: (sent: number) => void) =>
      sendForm<T>(realm, path, form, onProgress),
    delete: (path: string) => send<void>(realm, 'DELETE', path),
  };
}

/** The staff workspace's client: writes echo the staff session's CSRF token. */
export const api = clientFor({ csrfToken: () => csrfToken });
