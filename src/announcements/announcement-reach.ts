import { asc, eq } from 'drizzle-orm';
import type { BatchRunsService } from '../communications/batch-runs.service.js';
import type { Executor } from '../db/database.js';
import { users } from '../users/users.tables.js';
import { announcementRecipients } from './announcements.tables.js';

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
