import { and, eq, isNotNull } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { communications } from '../../src/communications/communications.tables.js';
import { PORTAL_SIGN_IN_TEMPLATE } from '../../src/portal/portal-sign-in.template.js';
import { templates } from '../../src/templates/templates.tables.js';
import type { TestApp } from './app.js';
import { TestClient } from './client.js';
import { waitFor } from './wait-for.js';

/**
 * Speaks to the portal as a signed-in customer's browser does: the portal cookie on every request and
 * the session's CSRF token on every write. `me` is what `GET /api/portal/me` answered at sign-in.
 */
export class PortalClient extends TestClient {
  me!: {
    customer: { id: string; name: string; kind: string };
    contact: { id: string; name: string } | null;
    email: string;
    access: 'full' | 'service';
    csrfToken: string;
  };

  override delete = (url: string, body?: unknown, headers?: Record<string, string>) =>
    this.request('DELETE', url, { body, headers });
}

let clientAddresses = 0;

/**
 * A client address of its own for each sign-in (as X-Forwarded-For from the trusted loopback proxy), so
 * that tests signing in many customers are not held by the per-client-address limit.
 */
export const freshClientAddress = () => {
  const n = ++clientAddresses;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

/**
 * Runs the sign-in jobs and then the deliveries they queued: a drain that ends while a job is still
 * queueing work may leave that work for the next one.
 */
export async function runSignInJobs(t: TestApp) {
  await t.app.worker.drain();
  await t.app.worker.drain();
}

/** The sign-in emails sent to this address so far, by communication id. */
async function signInMailsTo(t: TestApp, email: string) {
  return t.app.db
    .select({ id: communications.id, archiveSha256: communications.archiveSha256 })
    .from(communications)
    .innerJoin(templates, eq(templates.id, communications.templateId))
    .where(
      and(
        eq(templates.key, PORTAL_SIGN_IN_TEMPLATE),
        eq(communications.address, email.toLowerCase()),
        isNotNull(communications.archiveSha256),
      ),
    );
}

/** The token in a sign-in email, as the customer's mail client shows the link. */
export async function tokenInSignInMail(raw: Buffer) {
  const mail = await simpleParser(raw);
  const token = /\/portal\/sign-in#([\w-]+)/.exec(mail.text ?? '')?.[1];
  if (!token) throw new Error(`no sign-in link in the mail: ${mail.text}`);
  return token;
}

/**
 * Asks for a sign-in link through the real route, runs the jobs that send it, and reads the token from
 * the archived email (what the outbox shows). Fails when no new sign-in email arrives.
 */
export async function requestSignInLink(t: TestApp, email: string, clientAddress = freshClientAddress()) {
  const before = new Set((await signInMailsTo(t, email)).map((mail) => mail.id));
  const asked = await new TestClient(t.server).post(
    '/api/portal/sign-in',
    { email },
    { 'x-forwarded-for': clientAddress },
  );
  if (asked.status !== 202) throw new Error(`sign-in request for ${email} failed: ${asked.status} ${asked.text}`);
  const [mail] = await waitFor(
    async () => {
      await runSignInJobs(t);
      return (await signInMailsTo(t, email)).filter((found) => !before.has(found.id));
    },
    (found) => found.length > 0,
    { timeoutMs: 10_000 },
  );
  return tokenInSignInMail(await t.app.blobs.read(mail!.archiveSha256!));
}

/** Signs in to the portal as the customer (or organization contact) with this email, through the real flow. */
export async function portalSignIn(t: TestApp, email: string): Promise<PortalClient> {
  const token = await requestSignInLink(t, email);
  const client = new PortalClient(t.server);
  const session = await client.post('/api/portal/session', { token });
  if (session.status !== 200) throw new Error(`portal session for ${email} failed: ${session.status} ${session.text}`);
  const setCookie = [session.headers['set-cookie']].flat().map(String);
  client.cookie = setCookie.map((cookie) => cookie.split(';')[0]).join('; ');
  client.csrfToken = session.body.csrfToken;
  client.me = session.body;
  return client;
}
