import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../db/database.js';
import type { ConsentService } from '../customers/consent.service.js';
import { customerConsents, customers } from '../customers/customers.tables.js';
import { systemActor } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';
import type { UnsubscribeLinks, UnsubscribeScope } from './unsubscribe.links.js';

const invalidLink = () =>
  new AppError(
    'not_found',
    'unsubscribe.link_invalid',
    'This unsubscribe link is not valid. Sign in to the portal to change what you receive.',
  );

/** Whoever holds the link: the ledger records the portal as the source, the trail this label. */
const unsubscribeActor = systemActor('portal:one-click unsubscribe');

export type UnsubscribeService = ReturnType<typeof createUnsubscribeService>;

/**
 * One-click unsubscribe without signing in: the signed link names one customer's consent for one
 * channel and purpose, and withdrawing it is all it can do.
 */
export function createUnsubscribeService({
  db,
  consent,
  links,
}: {
  db: Database;
  consent: Pick<ConsentService, 'recordInTransaction'>;
  links: Pick<UnsubscribeLinks, 'scopeOf'>;
}) {
  async function resolve(executor: Executor, token: string) {
    const scope = links.scopeOf(token);
    if (!scope) throw invalidLink();
    const [customer] = await executor
      .select({ name: customers.name, mergedInto: customers.mergedInto })
      .from(customers)
      .where(eq(customers.id, scope.customerId));
    if (!customer) throw invalidLink();
    return { scope, customer };
  }

  const answer = (scope: UnsubscribeScope, customerName: string) => ({
    channel: scope.channel,
    purpose: scope.purpose,
    customerName,
  });

  return {
    /** What the link would withdraw; reading it changes nothing (mail scanners fetch links). */
    async describe(token: string) {
      const { scope, customer } = await resolve(db, token);
      return answer(scope, customer.name);
    },

    /**
     * Withdraws the consent in the ledger (source portal). Idempotent: a consent already withdrawn
     * records nothing again, so a mailbox provider's repeated POST leaves one event. A merged
     * customer's link withdraws on the customer it was merged into.
     */
    async withdraw(token: string) {
      return db.transaction(async (tx) => {
        const { scope, customer } = await resolve(tx, token);
        let customerId = scope.customerId;
        let customerName = customer.name;
        if (customer.mergedInto) {
          const [survivor] = await tx
            .select({ id: customers.id, name: customers.name })
            .from(customers)
            .where(eq(customers.id, customer.mergedInto));
          if (!survivor) throw invalidLink();
          ({ id: customerId, name: customerName } = survivor);
        }
        const [current] = await tx
          .select({ granted: customerConsents.granted })
          .from(customerConsents)
          .where(
            and(
              eq(customerConsents.customerId, customerId),
              eq(customerConsents.channel, scope.channel),
              eq(customerConsents.purpose, scope.purpose),
            ),
          )
          .for('update');
        if (!current || current.granted)
          await consent.recordInTransaction(tx, unsubscribeActor, customerId, {
            channel: scope.channel,
            purpose: scope.purpose,
            granted: false,
            source: 'portal',
            note: 'one-click unsubscribe',
          });
        return answer(scope, customerName);
      });
    },
  };
}
