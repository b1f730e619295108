import { and, count, eq, gte, inArray, sql } from 'drizzle-orm';
import { communications } from '../../communications/communications.tables.js';
import { customers } from '../../customers/customers.tables.js';
import { segmentCondition, type SegmentFilter } from '../../customers/segment-filter.js';
import type { Executor } from '../../db/database.js';
import {
  paperChannelOf,
  paperChannels,
  yearlySaving,
  type DigitalChannel,
  type PaperChannel,
  type Rates,
} from './channel-shift-saving.js';

/** Items that reached their customer: handed over, delivered, or waiting to be printed and posted. */
const receivedStatuses = ['sent', 'delivered', 'awaiting_print'] as const;

/** A customer who already chose email or the portal first has nothing to move. */
const notYetDigital = sql`coalesce(${customers.channelPreferences}[1], '') not in ('email', 'portal')`;

export type PlannedCustomer = { customerId: string; fromChannel: PaperChannel; yearlyItems: number };

/**
 * The customers of a segment reached by letter or fax (by the last twelve months' items, or by
 * their first preference) and what moving them to the target would save a year at these rates.
 */
export async function planShift(
  executor: Executor,
  input: { filter: SegmentFilter; target: DigitalChannel; rates: Rates; since: Date },
) {
  const inSegment = segmentCondition(input.filter);
  const sent = await executor
    .select({ customerId: communications.customerId, channel: communications.channel, n: count() })
    .from(communications)
    .innerJoin(customers, eq(customers.id, communications.customerId))
    .where(
      and(
        inSegment,
        notYetDigital,
        gte(communications.createdAt, input.since),
        inArray(communications.channel, [...paperChannels]),
        inArray(communications.status, [...receivedStatuses]),
      ),
    )
    .groupBy(communications.customerId, communications.channel);
  const preferringPaper = await executor
    .select({ customerId: customers.id, firstPreference: sql<string | null>`${customers.channelPreferences}[1]` })
    .from(customers)
    .where(and(inSegment, sql`${customers.channelPreferences}[1] in ('letter', 'fax')`));

  const items = new Map<string, Partial<Record<PaperChannel, number>>>();
  for (const row of sent)
    items.set(row.customerId, { ...items.get(row.customerId), [row.channel as PaperChannel]: row.n });
  const preferences = new Map(preferringPaper.map((row) => [row.customerId, row.firstPreference]));
  const ids = new Set([...items.keys(), ...preferences.keys()]);
  const planned: PlannedCustomer[] = [...ids].map((customerId) => {
    const own = items.get(customerId) ?? {};
    return {
      customerId,
      fromChannel: paperChannelOf(own, preferences.get(customerId) ?? null),
      yearlyItems: (own.letter ?? 0) + (own.fax ?? 0),
    };
  });
  const volumes = { letter: 0, fax: 0 };
  for (const own of items.values()) {
    volumes.letter += own.letter ?? 0;
    volumes.fax += own.fax ?? 0;
  }
  return {
    customers: planned,
    byChannel: {
      letter: planned.filter((customer) => customer.fromChannel === 'letter').length,
      fax: planned.filter((customer) => customer.fromChannel === 'fax').length,
    },
    volumes,
    saving: yearlySaving(volumes, input.rates, input.target),
  };
}
