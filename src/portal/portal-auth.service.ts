import { and, asc, desc, eq, gt, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { admitAttempt } from '../auth/login-throttle.js';
import { newSecret, sha256Hex } from '../auth/secrets.js';
import type { CommunicationsService } from '../communications/communications.service.js';
import { customerContacts, customers } from '../customers/customers.tables.js';
import type { Database, Executor } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { systemActor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import { portalSessions, portalSignInLinks } from './portal-auth.tables.js';
import { PORTAL_SIGN_IN_TEMPLATE } from './portal-sign-in.template.js';
import type { PortalViewer } from './portal-viewer.js';

export const SIGN_IN_LINK_JOB = 'portal.sign-in-link';
export const LINK_VALID_MINUTES = 15;
/** A session ends this long after sign-in whatever happens, and after this long unused. */
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
export const SESSION_IDLE_MS = 60 * 60_000;
/** How stale `lastSeenAt` may get before a request writes it again: not a write per request. */
const LAST_SEEN_STEP_MS = 60_000;

/**
 * Sign-in links asked for per key before it backs off (then 30 s, doubling up to 15 min; see
 * login-throttle.ts): each ask sends an email, so one address is not flooded and one client cannot
 * walk through many addresses.
 */
export const signInLimits = { clientAddress: 20, email: 5 } as const;

/** The one answer to every sign-in request, whether the address is known or not. */
export const SIGN_IN_REQUESTED =
  'If this address belongs to a customer, a sign-in link is on its way to it. The link works once, for 15 minutes.';

const linkInvalid = () =>
  new AppError(
    'unauthenticated',
    'portal.link_invalid',
    'This sign-in link cannot be used: a link works once, for 15 minutes. Ask for a new one.',
  );

const portalActor = (email: string) => systemActor(`portal:${email}`);
const normalized = (email: string) => email.trim().toLowerCase();

/** Who may sign in with an address: the customer whose own address it is, else an organization contact allowed in. */
type Account = { customerId: string; contactId: string | null; name: string };

export type PortalAuthService = ReturnType<typeof createPortalAuthService>;

export function createPortalAuthService({
  db,
  audit,
  clock,
  queue,
  communications,
  publicUrl,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  queue: Pick<JobQueue, 'enqueue'>;
  communications: Pick<CommunicationsService, 'sendIn'>;
  publicUrl: string;
}) {
  const signedInCustomer = and(isNull(customers.archivedAt), isNull(customers.mergedInto));

  /**
   * The customer's own address first (the oldest record holding it), else a contact of an
   * organization whose portal access is not 'none' (the primary contact first).
   */
  async function accountOf(executor: Executor, email: string): Promise<Account | undefined> {
    const [own] = await executor
      .select({ customerId: customers.id, name: customers.name })
      .from(customers)
      .where(and(sql`${customers.emails} @> array[${email}]::text[]`, signedInCustomer))
      .orderBy(asc(customers.createdAt), asc(customers.id))
      .limit(1);
    if (own) return { ...own, contactId: null };
    const [contact] = await executor
      .select({ customerId: customers.id, contactId: customerContacts.id, name: customerContacts.name })
      .from(customerContacts)
      .innerJoin(customers, eq(customers.id, customerContacts.customerId))
      .where(
        and(
          sql`lower(${customerContacts.email}) = ${email}`,
          ne(customerContacts.portalAccess, 'none'),
          signedInCustomer,
        ),
      )
      .orderBy(desc(customerContacts.primary), asc(customerContacts.createdAt), asc(customerContacts.id))
      .limit(1);
    return contact;
  }

  /** The session behind a cookie with what the portal shows of it, if it is still good now. */
  async function liveSession(executor: Executor, token: string) {
    const now = clock.now();
    const [row] = await executor
      .select({
        session: portalSessions,
        customer: { name: customers.name, kind: customers.kind, emails: customers.emails },
        contact: { name: customerContacts.name, email: customerContacts.email, access: customerContacts.portalAccess },
      })
      .from(portalSessions)
      .innerJoin(customers, and(eq(customers.id, portalSessions.customerId), signedInCustomer))
      .leftJoin(customerContacts, eq(customerContacts.id, portalSessions.contactId))
      .where(
        and(
          eq(portalSessions.tokenHash, sha256Hex(token)),
          isNull(portalSessions.revokedAt),
          gt(portalSessions.expiresAt, now),
          gt(portalSessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS)),
        ),
      );
    if (!row) return undefined;
    const { session, customer, contact } = row;
    // The address it signed in with must still be the customer's or the contact's, and a contact still allowed in.
    const stillTheirs = session.contactId
      ? contact?.email?.toLowerCase() === session.email && contact.access !== 'none'
      : customer.emails.includes(session.email);
    if (!stillTheirs) return undefined;
    const viewer: PortalViewer = {
      sessionId: session.tokenHash,
      customerId: session.customerId,
      customerName: customer.name,
      contactId: session.contactId,
      email: session.email,
      access: contact?.access === 'service' ? 'service' : 'full',
    };
    return { session, viewer, customerKind: customer.kind, contactName: contact?.name ?? null };
  }

  const meOf = (found: NonNullable<Awaited<ReturnType<typeof liveSession>>>) => ({
    customer: { id: found.viewer.customerId, name: found.viewer.customerName, kind: found.customerKind },
    contact: found.viewer.contactId ? { id: found.viewer.contactId, name: found.contactName ?? '' } : null,
    email: found.viewer.email,
    access: found.viewer.access,
    csrfToken: found.session.csrfToken,
  });

  return {
    /**
     * Counts the ask against the client's address and the email address, then leaves the lookup and
     * the email to a job: known and unknown addresses get the same answer after the same work.
     */
    async requestLink(input: { email: string }, clientAddress: string) {
      const email = normalized(input.email);
      await admitAttempt(
        db,
        clock.now(),
        [
          { key: `portal-client:${clientAddress}`, limit: signInLimits.clientAddress },
          { key: `portal-email:${email}`, limit: signInLimits.email },
        ],
        {
          code: 'portal.throttled',
          message: (seconds) => `Too many sign-in links asked for. Wait ${seconds} seconds and try again.`,
        },
      );
      await queue.enqueue(db, { kind: SIGN_IN_LINK_JOB, payload: { email }, maxAttempts: 3 });
      return { message: SIGN_IN_REQUESTED };
    },

    /**
     * The job: a single-use link to exactly the address that asked, through the delivery pipeline
     * (archived, in the outbox), if the address may sign in; nothing is sent otherwise.
     */
    async sendLink(email: string) {
      const now = clock.now();
      await db.transaction(async (tx) => {
        const account = await accountOf(tx, email);
        if (!account) {
          await audit.record(tx, portalActor(email), {
            action: 'portal.sign_in_unknown_address',
            entityType: 'portal_sign_in',
            entityId: email,
          });
          return;
        }
        await tx.delete(portalSignInLinks).where(lt(portalSignInLinks.expiresAt, now));
        const token = newSecret();
        await tx.insert(portalSignInLinks).values({
          tokenHash: sha256Hex(token),
          customerId: account.customerId,
          contactId: account.contactId,
          email,
          createdAt: now,
          expiresAt: new Date(now.getTime() + LINK_VALID_MINUTES * 60_000),
        });
        const communicationId = await communications.sendIn(tx, portalActor(email), {
          template: PORTAL_SIGN_IN_TEMPLATE,
          customerId: account.customerId,
          // `requestedBy`: to this address only, and quiet hours do not hold it (see delivery routing).
          data: {
            link: `${publicUrl}/portal/sign-in#${token}`,
            name: account.name,
            validMinutes: LINK_VALID_MINUTES,
            channel: 'email',
            requestedBy: email,
          },
        });
        await audit.record(tx, portalActor(email), {
          action: 'portal.sign_in_link_sent',
          entityType: 'customer',
          entityId: account.customerId,
          summary: { contactId: account.contactId, communicationId },
        });
      });
    },

    /** Uses the link up (once, within its time) and opens a session; every failure answers alike. */
    async startSession(linkToken: string) {
      const now = clock.now();
      const token = newSecret();
      const opened = await db.transaction(async (tx) => {
        const [link] = await tx
          .update(portalSignInLinks)
          .set({ usedAt: now })
          .where(
            and(
              eq(portalSignInLinks.tokenHash, sha256Hex(linkToken)),
              isNull(portalSignInLinks.usedAt),
              gt(portalSignInLinks.expiresAt, now),
            ),
          )
          .returning();
        if (!link) return undefined;
        await tx
          .delete(portalSessions)
          .where(
            or(
              lt(portalSessions.expiresAt, now),
              lt(portalSessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS)),
            ),
          );
        const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
        await tx.insert(portalSessions).values({
          tokenHash: sha256Hex(token),
          customerId: link.customerId,
          contactId: link.contactId,
          email: link.email,
          csrfToken: newSecret(24),
          createdAt: now,
          lastSeenAt: now,
          expiresAt,
        });
        const found = await liveSession(tx, token);
        if (!found) {
          // Archived, merged or no longer allowed in since the link was sent: the link is spent all the same.
          await tx.delete(portalSessions).where(eq(portalSessions.tokenHash, sha256Hex(token)));
          return undefined;
        }
        await audit.record(tx, portalActor(link.email), {
          action: 'portal.signed_in',
          entityType: 'customer',
          entityId: link.customerId,
          summary: { contactId: link.contactId, via: 'email link' },
        });
        return { me: meOf(found), expiresAt };
      });
      if (!opened) throw linkInvalid();
      return { token, ...opened };
    },

    /** The viewer behind a portal cookie and its CSRF token, or undefined when it is not a live session. */
    async authenticate(token: string) {
      const found = await liveSession(db, token);
      if (!found) return undefined;
      const now = clock.now();
      if (now.getTime() - found.session.lastSeenAt.getTime() > LAST_SEEN_STEP_MS)
        await db
          .update(portalSessions)
          .set({ lastSeenAt: now })
          .where(eq(portalSessions.tokenHash, found.session.tokenHash));
      return { viewer: found.viewer, csrfToken: found.session.csrfToken };
    },

    /** What `GET /api/portal/me` answers for a live session. */
    async me(token: string) {
      const found = await liveSession(db, token);
      if (!found) throw new AppError('unauthenticated', 'portal.sign_in_required', 'Sign in to the portal first.');
      return meOf(found);
    },

    async endSession(viewer: PortalViewer) {
      await db.transaction(async (tx) => {
        const [ended] = await tx
          .update(portalSessions)
          .set({ revokedAt: clock.now() })
          .where(and(eq(portalSessions.tokenHash, viewer.sessionId), isNull(portalSessions.revokedAt)))
          .returning({ customerId: portalSessions.customerId });
        if (!ended) return;
        await audit.record(tx, portalActor(viewer.email), {
          action: 'portal.signed_out',
          entityType: 'customer',
          entityId: ended.customerId,
        });
      });
    },
  };
}
