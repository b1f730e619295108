import { asc, eq, inArray, sql } from 'drizzle-orm';
import { can } from '../../auth/policy.js';
import type { Executor } from '../../db/database.js';
import type { Actor } from '../../shared/actor.js';
import { users } from '../../users/users.tables.js';
import type { DocumentRow } from '../document-records.js';
import { documentVersions } from '../documents.tables.js';
import { versionLabel } from '../version-label.js';
import {
  allows,
  decisionRefusal,
  reviewPermission,
  type ReviewAction,
  type VersionReviewStatus,
} from './review-lifecycle.js';
import { documentReviewEvents, documentReviews, type ReviewEventAction } from './review.tables.js';

type RoundRow = typeof documentReviews.$inferSelect;
type VersionRow = typeof documentVersions.$inferSelect;

/** Everything about a document's review: its versions, their rounds and every event, oldest first. */
export async function readReview(executor: Executor, documentId: string) {
  const versions = await executor
    .select()
    .from(documentVersions)
    .where(eq(documentVersions.documentId, documentId))
    .orderBy(sql`${documentVersions.major} desc, ${documentVersions.minor} desc`);
  const rounds = await executor
    .select()
    .from(documentReviews)
    .where(eq(documentReviews.documentId, documentId))
    .orderBy(asc(documentReviews.submittedAt), asc(documentReviews.round));
  const events = rounds.length
    ? await executor
        .select()
        .from(documentReviewEvents)
        .where(
          inArray(
            documentReviewEvents.reviewId,
            rounds.map((round) => round.id),
          ),
        )
        .orderBy(asc(documentReviewEvents.createdAt), asc(documentReviewEvents.id))
    : [];
  const latest = new Map<string, RoundRow>();
  for (const round of rounds) latest.set(round.versionId, round);
  const statusOf = (version: VersionRow): VersionReviewStatus => latest.get(version.id)?.status ?? 'draft';
  const deciders = (roundId: string, action?: ReviewEventAction) =>
    new Set(
      events.flatMap((event) =>
        event.reviewId === roundId &&
        event.actorId &&
        (action ? event.action === action : event.action === 'approved' || event.action === 'rejected')
          ? [event.actorId]
          : [],
      ),
    );
  return { versions, rounds, events, latest, statusOf, deciders };
}

/** The names of these users, by id. */
export async function namesOf(executor: Executor, ids: readonly (string | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  const rows = wanted.length
    ? await executor.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, wanted))
    : [];
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** What this actor may do with a version now: the lifecycle's rule, the permission, and for decisions being asked. */
function actionsFor(
  actor: Actor,
  document: DocumentRow,
  version: VersionRow,
  status: VersionReviewStatus,
  round: RoundRow | undefined,
  decidedBy: ReadonlySet<string>,
) {
  const label = versionLabel(version);
  const possible: Exclude<ReviewAction, 'supersede'>[] = [];
  if (allows('submit', status) && label === document.currentVersion && can(actor, reviewPermission.submit))
    possible.push('submit');
  if (round && allows('approve', status) && actor.kind === 'user' && can(actor, reviewPermission.approve)) {
    const refusal = decisionRefusal(actor, round, { label, createdBy: version.createdBy }, decidedBy);
    if (!refusal) possible.push('approve', 'reject');
  }
  if (allows('publish', status) && can(actor, reviewPermission.publish)) possible.push('publish');
  return possible;
}

/** A document's review as its page shows it to this actor: versions, rounds, what they may do, the history. */
export async function presentReview(executor: Executor, actor: Actor, document: DocumentRow) {
  const review = await readReview(executor, document.id);
  const names = await namesOf(executor, [
    ...review.rounds.flatMap((round) => [...round.reviewerIds, round.submittedBy]),
    ...review.events.map((event) => event.actorId),
  ]);
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? 'a former user' } : null);
  const labelOf = new Map(review.versions.map((version) => [version.id, versionLabel(version)]));
  const published = review.versions.find((version) => review.statusOf(version) === 'published');
  return {
    documentId: document.id,
    publishedVersion: published ? versionLabel(published) : null,
    versions: review.versions.map((version) => {
      const round = review.latest.get(version.id);
      const status = review.statusOf(version);
      const decided = round ? review.deciders(round.id) : new Set<string>();
      const approved = round ? review.deciders(round.id, 'approved') : new Set<string>();
      return {
        label: versionLabel(version),
        status,
        current: versionLabel(version) === document.currentVersion,
        round: round
          ? {
              id: round.id,
              round: round.round,
              message: round.message,
              reviewers: round.reviewerIds.map((id) => person(id)!),
              role: round.reviewerRole,
              submittedBy: person(round.submittedBy),
              submittedAt: round.submittedAt,
              approvedBy: [...approved].map((id) => person(id)!),
              waitingFor: round.reviewerIds.filter((id) => !decided.has(id)).map((id) => person(id)!),
            }
          : null,
        actions: actionsFor(actor, document, version, status, round, decided),
      };
    }),
    history: review.events
      .map((event) => {
        const round = review.rounds.find((candidate) => candidate.id === event.reviewId)!;
        return {
          version: labelOf.get(round.versionId) ?? '?',
          round: round.round,
          action: event.action,
          actor: {
            id: event.actorId,
            name: event.actorId ? (names.get(event.actorId) ?? event.actorName) : event.actorName,
          },
          comment: event.comment,
          at: event.createdAt,
        };
      })
      .reverse(),
  };
}
