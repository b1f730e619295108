import { and, eq, inArray } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { fieldChanges } from '../audit/audit-changes.js';
import type { Database, Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import type { NotificationSettingsInput } from './notification-settings.schemas.js';
import { notificationSettings } from './notification-settings.tables.js';

const defaults: NotificationSettingsInput = { emailMentions: false };

const signedInUser = (actor: Actor) => {
  if (actor.kind !== 'user')
    throw new AppError(
      'forbidden',
      'notifications.staff_only',
      'Notification settings belong to a signed-in staff member.',
    );
  return actor.userId;
};

export type NotificationSettingsService = ReturnType<typeof createNotificationSettingsService>;

/** How each staff member wants to hear of things beyond the workspace. */
export function createNotificationSettingsService({
  db,
  audit,
  clock,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
}) {
  async function read(executor: Executor, userId: string): Promise<NotificationSettingsInput> {
    const [row] = await executor
      .select({ emailMentions: notificationSettings.emailMentions })
      .from(notificationSettings)
      .where(eq(notificationSettings.userId, userId));
    return row ?? defaults;
  }

  return {
    mine: (actor: Actor) => read(db, signedInUser(actor)),

    async update(actor: Actor, input: NotificationSettingsInput) {
      const userId = signedInUser(actor);
      return db.transaction(async (tx) => {
        const before = await read(tx, userId);
        await tx
          .insert(notificationSettings)
          .values({ userId, ...input, updatedAt: clock.now() })
          .onConflictDoUpdate({ target: notificationSettings.userId, set: { ...input, updatedAt: clock.now() } });
        await audit.record(tx, actor, {
          action: 'notification_settings.updated',
          entityType: 'user',
          entityId: userId,
          summary: { changes: fieldChanges(before, input) },
        });
        return input;
      });
    },

    /** Of these staff, those who want mentions by email too. */
    async wantingMentionEmail(executor: Executor, userIds: readonly string[]): Promise<string[]> {
      if (userIds.length === 0) return [];
      const rows = await executor
        .select({ userId: notificationSettings.userId })
        .from(notificationSettings)
        .where(and(inArray(notificationSettings.userId, [...userIds]), eq(notificationSettings.emailMentions, true)));
      return rows.map((row) => row.userId);
    },
  };
}
