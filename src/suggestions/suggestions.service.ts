import { and, eq, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import { actorName, staffOnly, type Activity } from '../comments/activity.service.js';
import type { Database, Executor } from '../db/database.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
import { AppError } from '../shared/errors.js';
import { users } from '../users/users.tables.js';
import { assertMove, statusWords, suggestionTransitions } from './suggestion-lifecycle.js';
import { checkedLink, linkLabel, linkOptions } from './suggestion-links.js';
import type { CreateSuggestionInput, SuggestionStatusInput, SuggestionsQuery } from './suggestions.schemas.js';
import { suggestions, suggestionVotes } from './suggestions.tables.js';

type SuggestionRow = typeof suggestions.$inferSelect;

const orders = {
  votes: keyset(
    [
      { expression: suggestions.votes, type: 'bigint' },
      { expression: suggestions.createdAt, type: 'timestamptz' },
      { expression: suggestions.id, type: 'uuid' },
    ],
    'desc',
  ),
  newest: keyset(
    [
      { expression: suggestions.createdAt, type: 'timestamptz' },
      { expression: suggestions.id, type: 'uuid' },
    ],
    'desc',
  ),
};

/** A suggestion as comments, notices and the feed name it. */
export const suggestionView = (suggestion: Pick<SuggestionRow, 'id' | 'title'>) => ({
  label: `Suggestion: ${suggestion.title}`,
  path: `/suggestions/${suggestion.id}`,
});

const notFound = (id: string) => new AppError('not_found', 'suggestions.not_found', `There is no suggestion ${id}.`);

export type SuggestionsService = ReturnType<typeof createSuggestionsService>;

/**
 * Employees' proposals to change how work is done: anyone proposes and votes (one vote each, a
 * second takes it back); owners move a suggestion through suggestion-lifecycle.ts with a reason,
 * and its author is told.
 */
export function createSuggestionsService({
  db,
  audit,
  clock,
  activity,
  notifications,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  activity: Pick<Activity, 'record' | 'follow'>;
  notifications: Pick<NotificationsService, 'notify'>;
}) {
  const authorName = sql<
    string | null
  >`(select ${users.name} from ${users} where ${users.id} = ${suggestions.authorId})`;
  const changedByName = sql<
    string | null
  >`(select ${users.name} from ${users} where ${users.id} = ${suggestions.statusChangedBy})`;
  const votedBy = (actor: Actor) =>
    actor.kind === 'user'
      ? sql<boolean>`exists (select 1 from ${suggestionVotes} where ${suggestionVotes.suggestionId} = ${suggestions.id} and ${suggestionVotes.userId} = ${actor.userId})`
      : sql<boolean>`false`;

  const columns = (actor: Actor) => ({
    suggestion: suggestions,
    authorName,
    changedByName,
    votedByMe: votedBy(actor),
  });

  async function present(
    executor: Executor,
    row: { suggestion: SuggestionRow; authorName: string | null; changedByName: string | null; votedByMe: boolean },
  ) {
    const { linkKind, linkId, statusChangedBy: _by, ...suggestion } = row.suggestion;
    const link =
      linkKind && linkId
        ? { kind: linkKind, id: linkId, label: await linkLabel(executor, { kind: linkKind, id: linkId }) }
        : null;
    return {
      ...suggestion,
      authorName: row.authorName ?? 'A former colleague',
      statusChangedByName: row.changedByName,
      votedByMe: row.votedByMe,
      link,
      nextStatuses: [...suggestionTransitions[suggestion.status]],
    };
  }

  async function find(executor: Executor, actor: Actor, id: string) {
    const [row] = await executor.select(columns(actor)).from(suggestions).where(eq(suggestions.id, id));
    if (!row) throw notFound(id);
    return row;
  }

  async function locked(tx: Executor, id: string) {
    const [row] = await tx.select().from(suggestions).where(eq(suggestions.id, id)).for('update');
    if (!row) throw notFound(id);
    return row;
  }

  return {
    async list(actor: Actor, query: SuggestionsQuery) {
      authorize(actor, 'suggestions.read');
      const order = orders[query.sort];
      const rows = await db
        .select({ ...columns(actor), position: order.position })
        .from(suggestions)
        .where(and(query.status ? eq(suggestions.status, query.status) : undefined, order.after(query.cursor)))
        .orderBy(...order.orderBy)
        .limit(query.limit + 1);
      const page = order.page(rows, query.limit);
      return {
        suggestions: await Promise.all(page.rows.map((row) => present(db, row))),
        nextCursor: page.nextCursor,
      };
    },

    async get(actor: Actor, id: string) {
      authorize(actor, 'suggestions.read');
      return present(db, await find(db, actor, id));
    },

    async linkOptions(actor: Actor) {
      authorize(actor, 'suggestions.propose');
      return linkOptions(db);
    },

    async create(actor: Actor, input: CreateSuggestionInput) {
      authorize(actor, 'suggestions.propose');
      const id = await db.transaction(async (tx) => {
        if (input.link) await checkedLink(tx, input.link);
        const now = clock.now();
        const [created] = await tx
          .insert(suggestions)
          .values({
            title: input.title,
            body: input.body,
            authorId: actor.kind === 'user' ? actor.userId : null,
            linkKind: input.link?.kind ?? null,
            linkId: input.link?.id ?? null,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        const subject = { kind: 'suggestion' as const, id: created!.id };
        await activity.record(tx, actor, subject, suggestionView(created!), {
          kind: 'suggestion.created',
          summary: created!.title,
        });
        if (actor.kind === 'user') await activity.follow(tx, [actor.userId], subject);
        await audit.record(tx, actor, {
          action: 'suggestion.created',
          entityType: 'suggestion',
          entityId: created!.id,
          summary: { title: created!.title, link: input.link ?? null },
        });
        return created!.id;
      });
      return this.get(actor, id);
    },

    /** My vote on a suggestion, given or taken back: one per person, counted in the same transaction. */
    async toggleVote(actor: Actor, id: string) {
      authorize(actor, 'suggestions.propose');
      const userId = staffOnly(actor);
      await db.transaction(async (tx) => {
        await locked(tx, id);
        const taken = await tx
          .delete(suggestionVotes)
          .where(and(eq(suggestionVotes.suggestionId, id), eq(suggestionVotes.userId, userId)))
          .returning({ userId: suggestionVotes.userId });
        if (taken.length === 0)
          await tx.insert(suggestionVotes).values({ suggestionId: id, userId, createdAt: clock.now() });
        await tx
          .update(suggestions)
          .set({ votes: sql`${suggestions.votes} + ${taken.length === 0 ? 1 : -1}` })
          .where(eq(suggestions.id, id));
        await audit.record(tx, actor, {
          action: taken.length === 0 ? 'suggestion.voted' : 'suggestion.vote_withdrawn',
          entityType: 'suggestion',
          entityId: id,
        });
      });
      return this.get(actor, id);
    },

    /** An owner moves the suggestion on with a reason; the author hears of it, followers see it in their feed. */
    async setStatus(actor: Actor, id: string, input: SuggestionStatusInput) {
      authorize(actor, 'suggestions.manage');
      await db.transaction(async (tx) => {
        const before = await locked(tx, id);
        assertMove(before.status, input.status);
        const now = clock.now();
        await tx
          .update(suggestions)
          .set({
            status: input.status,
            statusReason: input.reason,
            statusChangedAt: now,
            statusChangedBy: actor.kind === 'user' ? actor.userId : null,
            updatedAt: now,
          })
          .where(eq(suggestions.id, id));
        const view = suggestionView(before);
        const summary = `${statusWords(input.status)}: ${input.reason}`;
        await activity.record(tx, actor, { kind: 'suggestion', id }, view, { kind: 'suggestion.status', summary });
        if (before.authorId && (actor.kind !== 'user' || actor.userId !== before.authorId))
          await notifications.notify(tx, [before.authorId], {
            kind: 'suggestion.status',
            title: `${await actorName(tx, actor)} set your suggestion "${before.title}" to ${statusWords(input.status)}`,
            body: input.reason,
            subjectType: 'suggestion',
            subjectId: id,
          });
        await audit.record(tx, actor, {
          action: 'suggestion.status_changed',
          entityType: 'suggestion',
          entityId: id,
          summary: { from: before.status, to: input.status, reason: input.reason },
        });
      });
      return this.get(actor, id);
    },
  };
}
