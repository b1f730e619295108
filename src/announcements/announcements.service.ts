import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { BatchRunsService } from '../communications/batch-runs.service.js';
import { segments } from '../customers/customers.tables.js';
import { rows, uuidArray, type Database, type Executor } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { Actor } from '../shared/actor.js';
import { actorLabel } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
import { AppError, notFound } from '../shared/errors.js';
import { assertSendData } from '../templates/send-data.js';
import type { TemplatesService } from '../templates/templates.service.js';
import { teams } from '../users/users.tables.js';
import { movableBy, nextAnnouncementStatus, type AnnouncementAction } from './announcement-lifecycle.js';
import { acknowledgementOf, reachCounts, reachOf, unacknowledgedBy } from './announcement-reach.js';
import { announcementRecipients, announcements, type AnnouncementStatus } from './announcements.tables.js';

export const REMIND_JOB = 'announcement.remind';
const HOUR_MS = 3_600_000;

export type AnnouncementInput = {
  title: string;
  body: string;
  teamIds?: string[];
  remindAfterHours?: number;
  /** A matching communication to a customer segment, sent by a published template when the announcement is published. */
  customerMailing?: { segmentId: string; template: string; data?: Record<string, unknown> };
};

/** A draft's fields to change; a customer mailing of null drops it. */
export type AnnouncementUpdate = Partial<Omit<AnnouncementInput, 'customerMailing'>> & {
  customerMailing?: AnnouncementInput['customerMailing'] | null;
};

export type AnnouncementsService = ReturnType<typeof createAnnouncementsService>;

const newestFirst = keyset(
  [
    { expression: announcements.createdAt, type: 'timestamptz' },
    { expression: announcements.id, type: 'uuid' },
  ],
  'desc',
);

const staffOnly = (actor: Actor) => {
  if (actor.kind !== 'user')
    throw new AppError('forbidden', 'announcements.staff_only', 'Only a signed-in staff member acknowledges.');
  return actor.userId;
};

/**
 * Change announcements: told to staff teams until each person acknowledges, reminded by a job, and
 * mailed to a customer segment through a batch run (each customer on their own channel).
 */
export function createAnnouncementsService(deps: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  queue: Pick<JobQueue, 'enqueue'>;
  notifications: Pick<NotificationsService, 'notify'>;
  templates: Pick<TemplatesService, 'sendable'>;
  runs: Pick<BatchRunsService, 'start' | 'cancel' | 'progress'>;
}) {
  const { db, audit, clock } = deps;

  async function find(executor: Executor, id: string) {
    const [announcement] = await executor.select().from(announcements).where(eq(announcements.id, id));
    if (!announcement) throw notFound('announcement', id);
    return announcement;
  }

  async function assertTeams(executor: Executor, teamIds: string[]) {
    if (teamIds.length === 0) return;
    const found = await executor.select({ id: teams.id }).from(teams).where(inArray(teams.id, teamIds));
    const missing = teamIds.filter((id) => !found.some((team) => team.id === id));
    if (missing.length)
      throw new AppError('validation_failed', 'announcement.unknown_team', `No team with id ${missing.join(', ')}.`, [
        { path: 'body.teamIds', message: `names no team: ${missing.join(', ')}` },
      ]);
  }

  /** The template a customer mailing is sent by, once its segment, template and data are found sendable. */
  async function mailingTemplate(tx: Executor, mailing: AnnouncementInput['customerMailing'] | null) {
    if (!mailing) return null;
    // The caller's transaction reads the segment: another connection would wait for it on PGlite.
    const [segment] = await tx.select({ id: segments.id }).from(segments).where(eq(segments.id, mailing.segmentId));
    if (!segment) throw notFound('segment', mailing.segmentId);
    const { template, version } = await deps.templates.sendable(tx, mailing.template);
    assertSendData(version.dataSchema, mailing.data ?? {});
    return template.id;
  }

  /** Creates a draft in the caller's transaction (the channel-shift planner starts one with its own records). */
  async function createIn(tx: Executor, actor: Actor, input: AnnouncementInput) {
    authorize(actor, 'announcements.manage');
    const teamIds = [...new Set(input.teamIds ?? [])];
    await assertTeams(tx, teamIds);
    const mailing = input.customerMailing;
    const templateId = await mailingTemplate(tx, mailing);
    const [created] = await tx
      .insert(announcements)
      .values({
        title: input.title,
        body: input.body,
        teamIds,
        remindAfterHours: input.remindAfterHours ?? 24,
        segmentId: mailing?.segmentId ?? null,
        templateId,
        customerData: mailing?.data ?? {},
        createdBy: actorLabel(actor),
        createdAt: clock.now(),
      })
      .returning();
    await audit.record(tx, actor, {
      action: 'announcement.created',
      entityType: 'announcement',
      entityId: created!.id,
      summary: { title: input.title, teams: teamIds.length, customerMailing: Boolean(mailing) },
    });
    return created!;
  }

  async function detail(actor: Actor, id: string) {
    const announcement = await find(db, id);
    const mine = actor.kind === 'user' ? await acknowledgementOf(db, id, actor.userId) : undefined;
    const names = await rows<{ segment_name: string | null; template_key: string | null; team_names: string[] | null }>(
      db,
      sql`select (select name from segments where id = ${announcement.segmentId}) as segment_name,
                 (select key from templates where id = ${announcement.templateId}) as template_key,
                 (select array_agg(name order by name) from teams where id = any(${uuidArray(announcement.teamIds)})) as team_names`,
    );
    return {
      ...announcement,
      segmentName: names[0]?.segment_name ?? null,
      templateKey: names[0]?.template_key ?? null,
      teamNames: names[0]?.team_names ?? [],
      addressedToMe: mine !== undefined,
      acknowledgedAt: mine?.acknowledgedAt ?? null,
    };
  }

  /** Applies a lifecycle action with a conditional update, so two at once cannot both succeed. */
  async function move(
    tx: Executor,
    id: string,
    action: AnnouncementAction,
    values: Partial<typeof announcements.$inferInsert>,
  ) {
    const current = await find(tx, id);
    const status: AnnouncementStatus = nextAnnouncementStatus(action, current.status);
    const [moved] = await tx
      .update(announcements)
      .set({ ...values, status })
      .where(and(eq(announcements.id, id), inArray(announcements.status, movableBy(action))))
      .returning();
    // Another request moved it between the read and the update: report what it is now.
    if (!moved) nextAnnouncementStatus(action, (await find(tx, id)).status);
    return moved!;
  }

  const reminderAt = (from: Date, hours: number) => new Date(from.getTime() + hours * HOUR_MS);

  return {
    createIn,
    create: (actor: Actor, input: AnnouncementInput) => db.transaction((tx) => createIn(tx, actor, input)),

    async list(actor: Actor, options: { status?: AnnouncementStatus; cursor?: string; limit: number }) {
      authorize(actor, 'announcements.read');
      const found = await db
        .select({ announcement: announcements, ...reachCounts, position: newestFirst.position })
        .from(announcements)
        .where(
          and(options.status ? eq(announcements.status, options.status) : undefined, newestFirst.after(options.cursor)),
        )
        .orderBy(...newestFirst.orderBy)
        .limit(options.limit + 1);
      const page = newestFirst.page(found, options.limit);
      return {
        announcements: page.rows.map(({ announcement, recipients, acknowledged }) => ({
          ...announcement,
          recipients,
          acknowledged,
        })),
        nextCursor: page.nextCursor,
      };
    },

    get(actor: Actor, id: string) {
      authorize(actor, 'announcements.read');
      return detail(actor, id);
    },

    /** The published announcements the signed-in person has not acknowledged yet, oldest first. */
    async pending(actor: Actor) {
      authorize(actor, 'announcements.read');
      return { announcements: await unacknowledgedBy(db, staffOnly(actor)) };
    },

    /**
     * Publishes: the staff of its teams (or everyone) are told and a reminder is due; the customer
     * mailing starts as a batch run of its template over its segment.
     */
    async publish(actor: Actor, id: string) {
      authorize(actor, 'announcements.manage');
      const draft = await find(db, id);
      nextAnnouncementStatus('publish', draft.status);
      const run =
        draft.segmentId && draft.templateId
          ? await deps.runs.start(actor, {
              template: draft.templateId,
              segmentId: draft.segmentId,
              data: draft.customerData,
            })
          : undefined;
      try {
        await db.transaction(async (tx) => {
          const now = clock.now();
          const published = await move(tx, id, 'publish', { publishedAt: now, batchRunId: run?.id ?? null });
          const told = await rows<{ user_id: string }>(
            tx,
            sql`insert into announcement_recipients (announcement_id, user_id)
                select ${id}, u.id from users u
                where u.active and (cardinality(${uuidArray(published.teamIds)}) = 0 or exists (
                  select 1 from team_members m where m.user_id = u.id and m.team_id = any(${uuidArray(published.teamIds)})))
                returning user_id`,
          );
          await deps.notifications.notify(
            tx,
            told.map((row) => row.user_id),
            {
              kind: 'announcement',
              title: published.title,
              body: published.body,
              subjectType: 'announcement',
              subjectId: id,
            },
          );
          const dueAt = reminderAt(now, published.remindAfterHours);
          await deps.queue.enqueue(tx, {
            kind: REMIND_JOB,
            payload: { announcementId: id },
            runAt: dueAt,
            idempotencyKey: `${REMIND_JOB}:${id}:${dueAt.toISOString()}`,
          });
          await audit.record(tx, actor, {
            action: 'announcement.published',
            entityType: 'announcement',
            entityId: id,
            summary: { staff: told.length, batchRunId: run?.id ?? null },
          });
        });
      } catch (error) {
        // The announcement did not publish: its mailing must not go out alone.
        if (run) await deps.runs.cancel(actor, run.id);
        throw error;
      }
      return detail(actor, id);
    },

    /** Changes a draft's fields; a published or closed one is refused (its staff have read it). */
    async update(actor: Actor, id: string, input: AnnouncementUpdate) {
      authorize(actor, 'announcements.manage');
      await db.transaction(async (tx) => {
        const { teamIds, customerMailing: mailing, ...fields } = input;
        const values: Partial<typeof announcements.$inferInsert> = fields;
        if (teamIds) {
          values.teamIds = [...new Set(teamIds)];
          await assertTeams(tx, values.teamIds);
        }
        if (mailing !== undefined) {
          values.templateId = await mailingTemplate(tx, mailing);
          values.segmentId = mailing?.segmentId ?? null;
          values.customerData = mailing?.data ?? {};
        }
        await move(tx, id, 'edit', values);
        await audit.record(tx, actor, {
          action: 'announcement.updated',
          entityType: 'announcement',
          entityId: id,
          summary: { fields: Object.keys(input) },
        });
      });
      return detail(actor, id);
    },

    async close(actor: Actor, id: string) {
      authorize(actor, 'announcements.manage');
      await db.transaction(async (tx) => {
        await move(tx, id, 'close', { closedAt: clock.now() });
        await audit.record(tx, actor, { action: 'announcement.closed', entityType: 'announcement', entityId: id });
      });
      return detail(actor, id);
    },

    /** The signed-in person has read it; acknowledging twice keeps the first time. */
    async acknowledge(actor: Actor, id: string) {
      authorize(actor, 'announcements.read');
      const userId = staffOnly(actor);
      const announcement = await find(db, id);
      const [recipient] = await db
        .select()
        .from(announcementRecipients)
        .where(and(eq(announcementRecipients.announcementId, id), eq(announcementRecipients.userId, userId)));
      if (!recipient || announcement.status === 'draft')
        throw new AppError('conflict', 'announcement.not_addressed', 'This announcement was not published to you.');
      if (!recipient.acknowledgedAt)
        await db.transaction(async (tx) => {
          await tx
            .update(announcementRecipients)
            .set({ acknowledgedAt: clock.now() })
            .where(
              and(
                eq(announcementRecipients.announcementId, id),
                eq(announcementRecipients.userId, userId),
                isNull(announcementRecipients.acknowledgedAt),
              ),
            );
          await audit.record(tx, actor, {
            action: 'announcement.acknowledged',
            entityType: 'announcement',
            entityId: id,
          });
        });
      return detail(actor, id);
    },

    /** Reach of both halves on one page: staff told and acknowledged, customers mailed by status. */
    async reach(actor: Actor, id: string) {
      authorize(actor, 'announcements.read');
      return reachOf(db, await find(db, id), deps.runs);
    },

    /**
     * The reminder job: those of a published announcement who have not acknowledged are notified
     * again, and the next reminder is due while anyone is left.
     */
    async remind(announcementId: string) {
      return db.transaction(async (tx) => {
        const [announcement] = await tx.select().from(announcements).where(eq(announcements.id, announcementId));
        if (announcement?.status !== 'published') return { reminded: 0 };
        const now = clock.now();
        const waiting = await tx
          .update(announcementRecipients)
          .set({ lastRemindedAt: now })
          .where(
            and(
              eq(announcementRecipients.announcementId, announcementId),
              isNull(announcementRecipients.acknowledgedAt),
            ),
          )
          .returning({ userId: announcementRecipients.userId });
        if (waiting.length === 0) return { reminded: 0 };
        await deps.notifications.notify(
          tx,
          waiting.map((row) => row.userId),
          {
            kind: 'announcement.reminder',
            title: `Please acknowledge: ${announcement.title}`,
            body: announcement.body,
            subjectType: 'announcement',
            subjectId: announcementId,
          },
        );
        const dueAt = reminderAt(now, announcement.remindAfterHours);
        await deps.queue.enqueue(tx, {
          kind: REMIND_JOB,
          payload: { announcementId },
          runAt: dueAt,
          idempotencyKey: `${REMIND_JOB}:${announcementId}:${dueAt.toISOString()}`,
        });
        return { reminded: waiting.length };
      });
    },
  };
}
