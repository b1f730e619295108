import { eq, sql } from 'drizzle-orm';
import type { AnnouncementsService } from '../../announcements/announcements.service.js';
import { announcements } from '../../announcements/announcements.tables.js';
import type { AuditTrail } from '../../audit/audit.service.js';
import { authorize } from '../../auth/policy.js';
import type { RatesService } from '../../communications/rates.service.js';
import { channels } from '../../customers/customers.tables.js';
import type { SegmentsService } from '../../customers/segments.service.js';
import { rows, type Database } from '../../db/database.js';
import type { Actor } from '../../shared/actor.js';
import { actorLabel } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { keyset } from '../../shared/cursor.js';
import { notFound } from '../../shared/errors.js';
import { CHANNEL_CHANGE_TEMPLATE } from './channel-change.template.js';
import { planShift } from './channel-shift-plan.js';
import { yearBefore, type DigitalChannel, type Rates } from './channel-shift-saving.js';
import { channelShiftCustomers, channelShifts } from './channel-shift.tables.js';

export type ChannelShiftInput = {
  segmentId: string;
  target: DigitalChannel;
  title?: string;
  message?: string;
  teamIds?: string[];
};

export type ChannelShiftService = ReturnType<typeof createChannelShiftService>;

const newestFirst = keyset(
  [
    { expression: channelShifts.createdAt, type: 'timestamptz' },
    { expression: channelShifts.id, type: 'uuid' },
  ],
  'desc',
);

const targetWords: Record<DigitalChannel, string> = { email: 'email', portal: 'the customer portal' };

/**
 * The channel-shift planner: what moving a segment's letter and fax customers to email or the
 * portal saves a year at today's rates and volumes; starting it records the plan and drafts the
 * announcement to staff with its consent request to the customers; its page measures the result.
 */
export function createChannelShiftService(deps: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  rates: Pick<RatesService, 'costOf'>;
  segments: Pick<SegmentsService, 'get'>;
  announcements: Pick<AnnouncementsService, 'createIn'>;
  publicUrl: string;
}) {
  const { db, audit, clock } = deps;

  async function todaysRates(): Promise<Rates> {
    const costs = await Promise.all(channels.map((channel) => deps.rates.costOf(channel)));
    return Object.fromEntries(channels.map((channel, index) => [channel, costs[index]!])) as Rates;
  }

  async function plan(actor: Actor, segmentId: string, target: DigitalChannel) {
    authorize(actor, 'insights.read');
    const segment = await deps.segments.get(actor, segmentId);
    const now = clock.now();
    const since = yearBefore(now);
    const rates = await todaysRates();
    const planned = await planShift(db, { filter: segment.filter, target, rates, since });
    return { segment, since, until: now, rates, planned };
  }

  /** Since the start: who moved, what their moved items would have cost on paper, and what moving them will save a year. */
  async function outcome(shift: typeof channelShifts.$inferSelect) {
    const rate = (channel: 'letter' | 'fax') => shift.rates[channel] ?? 0;
    const target = shift.rates[shift.target] ?? 0;
    const [moved] = await rows<{ moved: number; projected: number }>(
      db,
      sql`select count(*)::int as moved,
                 coalesce(sum(s.yearly_items * ((case s.from_channel when 'fax' then ${rate('fax')}::int else ${rate('letter')}::int end) - ${target}::int)), 0)::bigint as projected
          from channel_shift_customers s join customers c on c.id = s.customer_id
          where s.shift_id = ${shift.id} and c.channel_preferences[1] in ('email', 'portal')`,
    );
    const [realised] = await rows<{ items: number; saving: number }>(
      db,
      sql`select count(*)::int as items,
                 coalesce(sum((case s.from_channel when 'fax' then ${rate('fax')}::int else ${rate('letter')}::int end) - coalesce(o.cost_millicents, 0)), 0)::bigint as saving
          from channel_shift_customers s join communications o on o.customer_id = s.customer_id
          where s.shift_id = ${shift.id} and o.created_at >= ${shift.createdAt}
            and o.channel in ('email', 'portal') and o.status in ('sent', 'delivered')`,
    );
    const [mailing] = await rows<{ cost: number }>(
      db,
      sql`select coalesce(sum(o.cost_millicents), 0)::bigint as cost
          from announcements a join communications o on o.batch_run_id = a.batch_run_id
          where a.id = ${shift.announcementId}`,
    );
    return {
      movedCustomers: moved!.moved,
      movedShare: shift.customerCount ? moved!.moved / shift.customerCount : null,
      projectedSavingPerYearMillicents: Number(moved!.projected),
      digitalItemsSince: realised!.items,
      realisedSavingMillicents: Number(realised!.saving),
      mailingCostMillicents: Number(mailing!.cost),
    };
  }

  async function detail(id: string) {
    const [found] = await db
      .select({
        shift: channelShifts,
        announcementTitle: announcements.title,
        announcementStatus: announcements.status,
      })
      .from(channelShifts)
      .leftJoin(announcements, eq(announcements.id, channelShifts.announcementId))
      .where(eq(channelShifts.id, id));
    if (!found) throw notFound('channel shift', id);
    const { shift, announcementTitle, announcementStatus } = found;
    return {
      ...shift,
      announcement: shift.announcementId
        ? { id: shift.announcementId, title: announcementTitle ?? '', status: announcementStatus ?? 'draft' }
        : null,
      outcome: await outcome(shift),
    };
  }

  return {
    async plan(actor: Actor, segmentId: string, target: DigitalChannel) {
      const { segment, since, until, planned } = await plan(actor, segmentId, target);
      return {
        segment: { id: segment.id, name: segment.name },
        since,
        until,
        customers: planned.customers.length,
        byChannel: planned.byChannel,
        ...planned.saving,
      };
    },

    /**
     * Starts the change: the plan as computed now, the customers it sets out to move, and a draft
     * announcement to staff whose customer mailing asks those customers to choose the new channel
     * in the portal; publishing the announcement sends it. One transaction.
     */
    async start(actor: Actor, input: ChannelShiftInput) {
      authorize(actor, 'announcements.manage');
      const { segment, rates, planned } = await plan(actor, input.segmentId, input.target);
      const words = targetWords[input.target];
      const message =
        input.message ??
        `We would like to send you your correspondence by ${words} instead of by letter or fax: it reaches you sooner and saves paper.`;
      const id = await db.transaction(async (tx) => {
        const announcement = await deps.announcements.createIn(tx, actor, {
          title: input.title ?? `Moving "${segment.name}" from letter and fax to ${words}`,
          body: `${planned.customers.length} customers of the segment "${segment.name}" are reached by letter or fax. We are asking them to move to ${words}. Once a customer has chosen it, please write to them by ${words}.`,
          teamIds: input.teamIds,
          customerMailing: {
            segmentId: segment.id,
            template: CHANNEL_CHANGE_TEMPLATE,
            data: { newChannel: words, preferencesUrl: `${deps.publicUrl}/portal/settings`, message },
          },
        });
        const [shift] = await tx
          .insert(channelShifts)
          .values({
            segmentId: segment.id,
            segmentName: segment.name,
            target: input.target,
            volumes: planned.volumes,
            rates,
            customerCount: planned.customers.length,
            plannedSavingMillicents: planned.saving.savingMillicents,
            announcementId: announcement.id,
            createdBy: actorLabel(actor),
            createdAt: clock.now(),
          })
          .returning();
        if (planned.customers.length)
          await tx
            .insert(channelShiftCustomers)
            .values(planned.customers.map((customer) => ({ shiftId: shift!.id, ...customer })));
        await audit.record(tx, actor, {
          action: 'channel_shift.started',
          entityType: 'channel_shift',
          entityId: shift!.id,
          summary: {
            segment: segment.name,
            target: input.target,
            customers: planned.customers.length,
            plannedSavingMillicents: planned.saving.savingMillicents,
          },
        });
        return shift!.id;
      });
      return detail(id);
    },

    async list(actor: Actor, options: { cursor?: string; limit: number }) {
      authorize(actor, 'insights.read');
      const found = await db
        .select({ shift: channelShifts, position: newestFirst.position })
        .from(channelShifts)
        .where(newestFirst.after(options.cursor))
        .orderBy(...newestFirst.orderBy)
        .limit(options.limit + 1);
      const page = newestFirst.page(found, options.limit);
      return { shifts: page.rows.map((row) => row.shift), nextCursor: page.nextCursor };
    },

    get(actor: Actor, id: string) {
      authorize(actor, 'insights.read');
      return detail(id);
    },
  };
}
