import { asc } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import { channels, type Channel } from '../customers/customers.tables.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { channelRates } from './communications.tables.js';

/** What one item costs per channel until an admin sets real rates (thousandths of a cent). */
export const defaultRates: Record<Channel, number> = { email: 100, sms: 7_000, letter: 85_000, fax: 5_000, portal: 0 };

export type RatesService = ReturnType<typeof createRatesService>;

/** Other processes (workers) pick up a changed rate within this long. */
const CACHE_MS = 30_000;

export function createRatesService({
  db,
  audit,
  clock,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
}) {
  let cache: { rates: Record<Channel, number>; until: number } | undefined;

  async function all(): Promise<Record<Channel, number>> {
    if (cache && cache.until > clock.now().getTime()) return cache.rates;
    const rows = await db.select().from(channelRates).orderBy(asc(channelRates.channel));
    const rates = { ...defaultRates, ...Object.fromEntries(rows.map((row) => [row.channel, row.costMillicents])) };
    cache = { rates, until: clock.now().getTime() + CACHE_MS };
    return rates;
  }

  return {
    costOf: async (channel: Channel) => (await all())[channel],

    async list(actor: Actor) {
      authorize(actor, 'communications.read');
      const rows = await db.select().from(channelRates);
      return channels.map((channel) => {
        const set = rows.find((row) => row.channel === channel);
        return {
          channel,
          costMillicents: set?.costMillicents ?? defaultRates[channel],
          updatedAt: set?.updatedAt ?? null,
        };
      });
    },

    /** The cost of one item on a channel from now on; items already sent keep the cost they had. */
    async set(actor: Actor, channel: Channel, costMillicents: number) {
      authorize(actor, 'brand.manage');
      await db.transaction(async (tx) => {
        await tx
          .insert(channelRates)
          .values({ channel, costMillicents, updatedAt: clock.now() })
          .onConflictDoUpdate({ target: channelRates.channel, set: { costMillicents, updatedAt: clock.now() } });
        await audit.record(tx, actor, {
          action: 'channel_rate.set',
          entityType: 'channel_rate',
          entityId: channel,
          summary: { costMillicents },
        });
      });
      cache = undefined;
    },
  };
}
