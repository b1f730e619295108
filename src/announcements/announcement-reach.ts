import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { BatchRunsService } from '../communications/batch-runs.service.js';
import type { Executor } from '../db/database.js';
import { users } from '../users/users.tables.js';
import { announcementRecipients, announcements } from './announcements.tables.js';

/** How many were told and how many acknowledged, as columns of a select from announcements. */
export const reachCounts = {
  recipients: sql<number>`(select count(*)::int from announcement_recipients r where r.announcement_id = ${announcements.id})`,
  acknowledged: sql<number>`(select count(*)::int from announcement_recipients r where r.announcement_id = ${announcements.id} and r.acknowledged_at is not null)`,
};

/** When the person acknowledged the announcement (null: not yet), or undefined when it was not published to them. */
export async function acknowledgementOf(executor: Executor, announcementId: string, userId: string) {
  const [mine] = await executor
    .select({ acknowledgedAt: announcementRecipients.acknowledgedAt })
    .from(announcementRecipients)
    .where(and(eq(announcementRecipients.announcementId, announcementId), eq(announcementRecipients.userId, userId)));
  return mine;
}

/** The published announcements the person has not acknowledged yet, oldest first. */
export async function unacknowledgedBy(executor: Executor, userId: string) {
  const found = await executor
    .select({ announcement: announcements })
    .from(announcementRecipients)
    .innerJoin(announcements, eq(announcements.id, announcementRecipients.announcementId))
    .where(
      and(
        eq(announcementRecipients.userId, userId),
        isNull(announcementRecipients.acknowledgedAt),
        eq(announcements.status, 'published'),
      ),
    )
    .orderBy(asc(announcements.publishedAt), asc(announcements.id));
  return found.map((row) => row.announcement);
}

/** Everyone an announcement was published to, with when each acknowledged, and the totals. */
export async function staffReach(executor: Executor, announcementId: string) {
  const people = await executor
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      acknowledgedAt: announcementRecipients.acknowledgedAt,
      lastRemindedAt: announcementRecipients.lastRemindedAt,
    })
    .from(announcementRecipients)
    .innerJoin(users, eq(users.id, announcementRecipients.userId))
    .where(eq(announcementRecipients.announcementId, announcementId))
    .orderBy(asc(users.name), asc(users.id));
  const acknowledged = people.filter((person) => person.acknowledgedAt !== null).length;
  return { recipients: people.length, acknowledged, pending: people.length - acknowledged, people };
}

type RunProgress = Awaited<ReturnType<BatchRunsService['progress']>>;

/** A customer mailing's reach from its batch run: sent counts everything handed over, delivered those confirmed. */
export function customerReach(run: RunProgress) {
  const of = (...statuses: string[]) => statuses.reduce((sum, status) => sum + (run.statuses[status] ?? 0), 0);
  return {
    batchRunId: run.id,
    runStatus: run.status,
    segmentName: run.segmentName,
    templateName: run.templateName,
    total: run.total,
    created: run.created,
    sent: of('sent', 'delivered', 'awaiting_print'),
    delivered: of('delivered'),
    failed: of('failed', 'bounced'),
    suppressed: of('suppressed'),
    inProgress: of('queued', 'rendered', 'handing_over'),
    channels: run.channels,
    costMillicents: run.costMillicents,
  };
}

/** Reach of both halves on one page: staff told and acknowledged, customers mailed by status. */
export async function reachOf(
  executor: Executor,
  announcement: typeof announcements.$inferSelect,
  runs: Pick<BatchRunsService, 'progress'>,
) {
  return {
    announcementId: announcement.id,
    status: announcement.status,
    staff: await staffReach(executor, announcement.id),
    customers: announcement.batchRunId ? customerReach(await runs.progress(announcement.batchRunId)) : null,
  };
}
