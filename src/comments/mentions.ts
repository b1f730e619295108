import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Role } from '../auth/roles.js';
import type { Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';
import { users } from '../users/users.tables.js';

/**
 * An @mention: `@anna.berg` (the part of a colleague's email before the @) or `@anna.berg@example.com`.
 * Not preceded by a letter, digit or dot, so an email address written in the text mentions no one.
 */
const MENTION = /(?<![\w.@])@([\w+-]+(?:\.[\w+-]+)*(?:@[\w-]+(?:\.[\w-]+)+)?)/gu;

/** The handles a text mentions, lower-cased, each once, in order. */
export function mentionHandles(text: string): string[] {
  return [...new Set([...text.matchAll(MENTION)].map((match) => match[1]!.toLowerCase()))];
}

export type MentionedUser = { id: string; name: string; email: string; roles: Role[] };

/** The staff member a handle names, as an actor, to ask the policy what they may read. */
export const asActor = (user: MentionedUser): Actor => ({
  kind: 'user',
  userId: user.id,
  email: user.email,
  roles: user.roles,
  via: 'session',
});

/**
 * The active staff the handles name. A handle naming no one is text (`@home`); a short handle
 * two colleagues share is refused, so a notice never goes to the wrong one.
 */
export async function resolveMentions(executor: Executor, handles: string[]): Promise<MentionedUser[]> {
  if (handles.length === 0) return [];
  const emails = handles.filter((handle) => handle.includes('@'));
  const locals = handles.filter((handle) => !handle.includes('@'));
  const localPart = sql<string>`lower(split_part(${users.email}, '@', 1))`;
  const found = await executor
    .select({ id: users.id, name: users.name, email: users.email, roles: users.roles, localPart })
    .from(users)
    .where(
      and(
        eq(users.active, true),
        or(
          emails.length > 0 ? inArray(sql`lower(${users.email})`, emails) : undefined,
          locals.length > 0 ? inArray(localPart, locals) : undefined,
        ),
      ),
    );
  const ambiguous = locals.filter((handle) => found.filter((user) => user.localPart === handle).length > 1);
  if (ambiguous.length > 0)
    throw new AppError(
      'validation_failed',
      'comments.mention_ambiguous',
      `@${ambiguous[0]} names more than one colleague; write their whole email address.`,
      ambiguous.map((handle) => ({
        path: 'body.body',
        message: `mentions @${handle}, which names more than one colleague`,
      })),
    );
  const byId = new Map(found.map(({ localPart: _localPart, ...user }) => [user.id, user]));
  return [...byId.values()];
}
