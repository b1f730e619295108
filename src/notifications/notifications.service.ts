import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
import { AppError } from '../shared/errors.js';
import { notifications } from './notifications.tables.js';

export type Notification = typeof notifications.$inferSelect;

export type NotificationInput = {
  kind: string;
  title: string;
  body?: string;
  subjectType?: string;
  subjectId?: string;
};

const newestFirst = keyset(
  [
    { expression: notifications.createdAt, type: 'timestamptz' },
    { expression: notifications.id, type: 'uuid' },
  ],
  'desc',
);

const signedInUser = (actor: Actor) => {
  if (actor.kind !== 'user')
    throw new AppError('forbidden', 'notifications.staff_only', 'Notifications belong to a signed-in staff member.');
  return actor.userId;
};

export type NotificationsService = ReturnType<typeof createNotificationsService>;

/** The workspace's notices to staff; each domain notifies in the transaction that made the news. */
export function createNotificationsService({ db, clock }: { db: Database; clock: Clock }) {
  return {
    async notify(tx: Executor, userIds: readonly string[], notice: NotificationInput) {
      const recipients = [...new Set(userIds)];
      if (recipients.length === 0) return;
      const at = clock.now();
      await tx.insert(notifications).values(recipients.map((userId) => ({ ...notice, userId, createdAt: at })));
    },

    /** The signed-in person's notices, newest first, and how many are unread. */
    async mine(actor: Actor, options: { unreadOnly?: boolean; cursor?: string; limit: number }) {
      const userId = signedInUser(actor);
      const rows = await db
        .select({ notification: notifications, position: newestFirst.position })
        .from(notifications)
        .where(
          and(
            eq(notifications.userId, userId),
            options.unreadOnly ? isNull(notifications.readAt) : undefined,
            newestFirst.after(options.cursor),
          ),
        )
        .orderBy(...newestFirst.orderBy)
        .limit(options.limit + 1);
      const [unread] = await db
        .select({ count: sql<number>`count(*)::int` })
        .from(notifications)
        .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
      const page = newestFirst.page(rows, options.limit);
      return {
        notifications: page.rows.map((row) => row.notification),
        unread: unread!.count,
        nextCursor: page.nextCursor,
      };
    },

    /** Marks the given notices (or all, when none are named) of the signed-in person read. */
    async markRead(actor: Actor, ids?: string[]) {
      const userId = signedInUser(actor);
      const marked = await db
        .update(notifications)
        .set({ readAt: clock.now() })
        .where(
          and(
            eq(notifications.userId, userId),
            isNull(notifications.readAt),
            ids ? inArray(notifications.id, ids) : undefined,
          ),
        )
        .returning({ id: notifications.id });
      return { marked: marked.length };
    },
  };
}
