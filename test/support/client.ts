import type { FastifyInstance, InjectOptions } from 'fastify';

export type TestResponse = {
  status: number;
  body: any;
  headers: Record<string, unknown>;
  text: string;
  /** The body as sent, for files. */
  bytes: Buffer;
};

/** Speaks HTTP to the app the way a browser or an integration would, keeping cookies and the CSRF token. */
export class TestClient {
  cookie?: string;
  csrfToken?: string;
  bearer?: string;

  constructor(readonly server: FastifyInstance) {}

  async request(
    method: InjectOptions['method'],
    url: string,
    options: { body?: unknown; payload?: string | Buffer; headers?: Record<string, string> } = {},
  ): Promise<TestResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrfToken && method !== 'GET' && !('x-csrf-token' in headers)) headers['x-csrf-token'] = this.csrfToken;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    const response = await this.server.inject({
      method,
      url,
      headers,
      ...(options.payload !== undefined
        ? { payload: options.payload }
        : options.body !== undefined
          ? { payload: options.body as object }
          : {}),
    });
    const text = response.body;
    let body: unknown = text;
    if (String(response.headers['content-type'] ?? '').includes('json') && text) body = JSON.parse(text);
    return { status: response.statusCode, body, headers: response.headers, text, bytes: response.rawPayload };
  }

  get = (url: string, headers?: Record<string, string>) => this.request('GET', url, { headers });
  post = (url: string, body?: unknown, headers?: Record<string, string>) =>
    this.request('POST', url, { body, headers });
  patch = (url: string, body?: unknown, headers?: Record<string, string>) =>
    this.request('PATCH', url, { body, headers });
  put = (url: string, body?: unknown, headers?: Record<string, string>) => this.request('PUT', url, { body, headers });
  delete = (url: string, headers?: Record<string, string>) => this.request('DELETE', url, { headers });

  /** Signs in through the login route; keeps the session cookie and CSRF token for later requests. */
  async signIn(email: string, password: string) {
    const response = await this.post('/api/auth/login', { email, password });
    if (response.status !== 200) throw new Error(`sign-in as ${email} failed: ${response.status} ${response.text}`);
    const setCookie = [response.headers['set-cookie']].flat().map(String);
    this.cookie = setCookie.map((cookie) => cookie.split(';')[0]).join('; ');
    this.csrfToken = response.body.csrfToken;
    return this;
  }
}
