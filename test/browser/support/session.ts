import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, signIn } from './browser.js';
import { startServer, type RunningServer } from './server.js';

// A server waits up to 150 s to be ready (see server.ts): a busy two-core machine can be that slow.
const START_TIMEOUT_MS = 180_000;
const CONTEXT_OPTIONS: BrowserContextOptions = { viewport: { width: 1360, height: 900 }, acceptDownloads: true };

/** Calls the API as a signed-in page would; fails on any answer that is not 2xx. */
export type ApiCall = <T = any>(method: string, path: string, data?: unknown) => Promise<T>;

/** The id of the demo customer of that name, found as the staff search finds them. */
export async function demoCustomerId(api: ApiCall, name: string): Promise<string> {
  const { customers } = await api<{ customers: { id: string; name: string }[] }>(
    'GET',
    `/api/customers?q=${encodeURIComponent(name)}`,
  );
  const customer = customers.find((candidate) => candidate.name === name);
  if (!customer) throw new Error(`No demo customer is named ${name}.`);
  return customer.id;
}

export type BrowserSession = {
  /** The running server's address, e.g. `http://127.0.0.1:40123`. */
  readonly baseUrl: string;
  /** A browser context of its own (its own cookies), closed after the file. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in a context of its own, not signed in. */
  newPage(): Promise<Page>;
  /** Signs `page` in through the sign-in page and waits until the home page greets the person by first name. */
  signInAs(page: Page, email: string, firstName: string): Promise<void>;
  /** A page in a context of its own, signed in as a demo user. */
  signedIn(email: string, firstName: string): Promise<Page>;
  /** The API with the session cookie and CSRF token of a signed-in page, for the steps a test is not about. */
  apiOf(page: Page): Promise<ApiCall>;
  /** Uploads a PDF as a new document in a new folder of that name, as `page`'s user; answers its id. */
  uploadPdf(page: Page, upload: { folder: string; title: string; fileName: string; bytes: Buffer }): Promise<string>;
};

/**
 * What every browser test file starts with: its own Tidings server (with the demo staff) and Chromium,
 * started before the file's tests and stopped after them, with every context the file opened.
 */
export function useBrowserSession(): BrowserSession {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await server?.stop();
  });

  const started = () => {
    if (!server || !browser) throw new Error('The browser session is used before its beforeAll has started it.');
    return { server, browser };
  };

  const session: BrowserSession = {
    get baseUrl() {
      return started().server.baseUrl;
    },
    async newContext(options) {
      const context = await started().browser.newContext({ ...CONTEXT_OPTIONS, ...options });
      contexts.push(context);
      return context;
    },
    async newPage() {
      return (await session.newContext()).newPage();
    },
    async signInAs(page, email, firstName) {
      await signIn(page, session.baseUrl, email);
      await page.getByRole('heading', { name: `Welcome, ${firstName}` }).waitFor();
    },
    async signedIn(email, firstName) {
      const page = await session.newPage();
      await session.signInAs(page, email, firstName);
      return page;
    },
    async apiOf(page) {
      const me = await page.request.get(`${session.baseUrl}/api/me`);
      const { csrfToken } = (await me.json()) as { csrfToken: string };
      return async (method, path, data) => {
        const response = await page.request.fetch(`${session.baseUrl}${path}`, {
          method,
          headers: { 'x-csrf-token': csrfToken },
          ...(data === undefined ? {} : { data }),
        });
        if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
        return response.json();
      };
    },
    async uploadPdf(page, { folder, title, fileName, bytes }) {
      const api = await session.apiOf(page);
      const { id: folderId } = await api<{ id: string }>('POST', '/api/document-folders', {
        name: folder,
        parentId: null,
      });
      const { csrfToken } = (await (await page.request.get(`${session.baseUrl}/api/me`)).json()) as {
        csrfToken: string;
      };
      const uploaded = await page.request.post(`${session.baseUrl}/api/documents`, {
        headers: { 'x-csrf-token': csrfToken },
        multipart: { folderId, title, file: { name: fileName, mimeType: 'application/pdf', buffer: bytes } },
      });
      if (uploaded.status() !== 201)
        throw new Error(`Upload of ${fileName}: ${uploaded.status()} ${await uploaded.text()}`);
      return ((await uploaded.json()) as { id: string }).id;
    },
  };
  return session;
}
