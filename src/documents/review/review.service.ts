import { and, asc, eq, inArray, ne, notExists, or, sql } from 'drizzle-orm';
import type { AuditTrail } from '../../audit/audit.service.js';
import { authorize } from '../../auth/policy.js';
import type { Role } from '../../auth/roles.js';
import type { Database, Executor } from '../../db/database.js';
import type { NotificationsService } from '../../notifications/notifications.service.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, notFound } from '../../shared/errors.js';
import { users } from '../../users/users.tables.js';
import { assertChangeable } from '../document-lifecycle.js';
import { loadDocument, type DocumentRow } from '../document-records.js';
import { documents, documentVersions } from '../documents.tables.js';
import { versionLabel } from '../version-label.js';
import {
  allows,
  approvalComplete,
  decisionRefusal,
  nextReviewStatus,
  reviewPermission,
  rolesMayReview,
} from './review-lifecycle.js';
import type { SubmitReviewInput } from './review.schemas.js';
import { namesOf, presentReview, readReview } from './review-records.js';
import { documentReviewEvents, documentReviews, type ReviewEventAction } from './review.tables.js';
import { assertDocumentAccess } from '../access/document-permissions.js';

export type DocumentReviewsService = ReturnType<typeof createDocumentReviewsService>;

type VersionRow = typeof documentVersions.$inferSelect;

const userIdOf = (actor: Actor) => (actor.kind === 'user' ? actor.userId : null);

/**
 * The review of document versions: a version is submitted to named reviewers or to a role, each
 * reviewer approves or rejects it with a comment, and an approved version can be published as the
 * document's published version. The moves are those of review-lifecycle.ts; each is audited, and
 * the people who must act next are notified.
 */
export function createDocumentReviewsService({
  db,
  audit,
  clock,
  notifications,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  notifications: Pick<NotificationsService, 'notify'>;
}) {
  async function actorName(executor: Executor, actor: Actor) {
    if (actor.kind !== 'user') return actor.label;
    return (await namesOf(executor, [actor.userId])).get(actor.userId) ?? actor.email;
  }

  /** A live (not deleted) document, locked for the transaction so review moves on it happen one at a time. */
  async function loadLive(tx: Executor, documentId: string): Promise<DocumentRow> {
    const document = await loadDocument(tx, documentId, true);
    if (document.status === 'deleted') throw notFound('document', documentId);
    return document;
  }

  function findVersion(versions: VersionRow[], label: string) {
    const version = versions.find((candidate) => versionLabel(candidate) === label);
    if (!version)
      throw new AppError('not_found', 'version.not_found', `The document has no version ${label}.`, [
        { path: 'params.label', message: 'names no version of this document' },
      ]);
    return version;
  }

  async function addEvent(tx: Executor, actor: Actor, reviewId: string, action: ReviewEventAction, comment = '') {
    await tx.insert(documentReviewEvents).values({
      reviewId,
      action,
      actorId: userIdOf(actor),
      actorName: await actorName(tx, actor),
      comment,
      createdAt: clock.now(),
    });
  }

  /** Checks who is asked: named active users who may review and did not write the version, or a role someone else holds. */
  async function checkReviewers(tx: Executor, input: SubmitReviewInput, excluded: ReadonlySet<string>) {
    if (input.reviewerIds) {
      const found = await tx
        .select({ id: users.id, roles: users.roles, active: users.active })
        .from(users)
        .where(inArray(users.id, input.reviewerIds));
      const problems = input.reviewerIds.flatMap((id, index) => {
        const user = found.find((candidate) => candidate.id === id);
        const path = `body.reviewerIds.${index}`;
        if (!user || !user.active) return [{ path, message: 'names no active user' }];
        if (excluded.has(id)) return [{ path, message: 'wrote or submitted this version, so cannot review it' }];
        if (!rolesMayReview(user.roles)) return [{ path, message: 'has no role that may review documents' }];
        return [];
      });
      if (problems.length)
        throw new AppError(
          'validation_failed',
          'review.bad_reviewers',
          problems.map((problem) => `${problem.path}: ${problem.message}`).join('; '),
          problems,
        );
      return input.reviewerIds;
    }
    const role = input.role!;
    if (!rolesMayReview([role]))
      throw new AppError('validation_failed', 'review.bad_reviewers', `The ${role} role may not review documents.`, [
        { path: 'body.role', message: 'may not review documents' },
      ]);
    const members = await roleMembers(tx, role);
    if (!members.some((id) => !excluded.has(id)))
      throw new AppError('validation_failed', 'review.bad_reviewers', `No one else holds the ${role} role.`, [
        { path: 'body.role', message: 'no one but the author holds it' },
      ]);
    return members;
  }

  async function roleMembers(executor: Executor, role: Role) {
    const rows = await executor
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.active, true), sql`${role} = any(${users.roles})`));
    return rows.map((row) => row.id);
  }

  async function auditAndNotify(
    tx: Executor,
    actor: Actor,
    document: DocumentRow,
    label: string,
    action: string,
    summary: Record<string, unknown>,
    notice?: { to: readonly string[]; kind: string; title: string; body?: string },
  ) {
    await audit.record(tx, actor, {
      action: `document.${action}`,
      entityType: 'document',
      entityId: document.id,
      summary: { version: label, ...summary },
    });
    const self = userIdOf(actor);
    if (notice)
      await notifications.notify(
        tx,
        notice.to.filter((id) => id !== self),
        { kind: notice.kind, title: notice.title, body: notice.body, subjectType: 'document', subjectId: document.id },
      );
  }

  /** Records a reviewer's decision; the round is decided by a rejection, or by the approval that completes it. */
  async function decide(
    actor: Actor,
    documentId: string,
    label: string,
    action: 'approve' | 'reject',
    comment: string,
  ) {
    authorize(actor, reviewPermission[action]);
    if (actor.kind !== 'user')
      throw new AppError('forbidden', 'review.needs_user', 'Only a signed-in reviewer can approve or reject.');
    return db.transaction(async (tx) => {
      await assertDocumentAccess(tx, actor, documentId, 'read');
      const document = await loadLive(tx, documentId);
      const review = await readReview(tx, documentId);
      const version = findVersion(review.versions, label);
      const status = nextReviewStatus(action, { label, status: review.statusOf(version) });
      const round = review.latest.get(version.id)!;
      const refusal = decisionRefusal(actor, round, { label, createdBy: version.createdBy }, review.deciders(round.id));
      if (refusal) throw refusal;
      await addEvent(tx, actor, round.id, action === 'approve' ? 'approved' : 'rejected', comment);
      const approvedBy = new Set([
        ...review.deciders(round.id, 'approved'),
        ...(action === 'approve' ? [actor.userId] : []),
      ]);
      const decided = action === 'reject' || approvalComplete(round, approvedBy);
      const now = clock.now();
      if (decided)
        await tx.update(documentReviews).set({ status, decidedAt: now }).where(eq(documentReviews.id, round.id));
      const askers = [round.submittedBy, version.createdBy].filter((id): id is string => id !== null);
      await auditAndNotify(
        tx,
        actor,
        document,
        label,
        action === 'approve' ? 'review_approved' : 'review_rejected',
        { round: round.round, comment, decided },
        decided
          ? {
              to: askers,
              kind: action === 'approve' ? 'document.review_approved' : 'document.review_rejected',
              title: `${document.title} ${label} ${action === 'approve' ? 'approved' : 'rejected'}`,
              body: comment,
            }
          : undefined,
      );
      return presentReview(tx, actor, await loadDocument(tx, documentId));
    });
  }

  /** The decisions this user made in a round, for "not yet decided by me". */
  function decidedByMe(userId: string) {
    return db
      .select({ id: documentReviewEvents.id })
      .from(documentReviewEvents)
      .where(
        and(
          eq(documentReviewEvents.reviewId, documentReviews.id),
          eq(documentReviewEvents.actorId, userId),
          inArray(documentReviewEvents.action, ['approved', 'rejected']),
        ),
      );
  }

  return {
    /** The document's versions with their review status, the actions open to the caller, and the history. */
    async review(actor: Actor, documentId: string) {
      authorize(actor, 'documents.read');
      const document = await loadDocument(db, documentId);
      if (document.status === 'deleted') throw notFound('document', documentId);
      await assertDocumentAccess(db, actor, documentId, 'read');
      return presentReview(db, actor, document);
    },

    /**
     * Submits the current version for review to named reviewers or a role; an older version still in
     * review or approved is superseded by it. The reviewers are notified.
     */
    async submit(actor: Actor, documentId: string, label: string, input: SubmitReviewInput) {
      authorize(actor, reviewPermission.submit);
      return db.transaction(async (tx) => {
        await assertDocumentAccess(tx, actor, documentId, 'write');
        const document = await loadLive(tx, documentId);
        assertChangeable(document);
        const review = await readReview(tx, documentId);
        const version = findVersion(review.versions, label);
        const status = nextReviewStatus('submit', { label, status: review.statusOf(version) });
        if (label !== document.currentVersion)
          throw new AppError(
            'conflict',
            'review.not_current',
            `Only the current version (${document.currentVersion}) can be submitted for review.`,
            [{ path: 'params.label', message: `is not the current version ${document.currentVersion}` }],
          );
        const submitter = userIdOf(actor);
        const excluded = new Set([submitter, version.createdBy].filter((id): id is string => id !== null));
        const asked = await checkReviewers(tx, input, excluded);
        const now = clock.now();
        for (const older of review.versions) {
          const round = review.latest.get(older.id);
          if (older.id !== version.id && round && allows('supersede', round.status) && round.status !== 'published') {
            await tx
              .update(documentReviews)
              .set({ status: nextReviewStatus('supersede', { label: versionLabel(older), status: round.status }) })
              .where(eq(documentReviews.id, round.id));
            await addEvent(tx, actor, round.id, 'superseded', `Version ${label} was submitted`);
          }
        }
        const previous = review.latest.get(version.id);
        const [round] = await tx
          .insert(documentReviews)
          .values({
            documentId,
            versionId: version.id,
            round: (previous?.round ?? 0) + 1,
            status,
            message: input.message,
            reviewerIds: input.reviewerIds ?? [],
            reviewerRole: input.role ?? null,
            submittedBy: submitter,
            submittedAt: now,
          })
          .returning();
        await addEvent(tx, actor, round!.id, 'submitted', input.message);
        await auditAndNotify(
          tx,
          actor,
          document,
          label,
          'review_submitted',
          {
            round: round!.round,
            reviewerIds: input.reviewerIds ?? [],
            role: input.role ?? null,
            message: input.message,
          },
          {
            to: asked.filter((id) => !excluded.has(id)),
            kind: 'document.review_requested',
            title: `Review requested: ${document.title} ${label}`,
            body: input.message,
          },
        );
        return presentReview(tx, actor, document);
      });
    },

    approve: (actor: Actor, documentId: string, label: string, comment: string) =>
      decide(actor, documentId, label, 'approve', comment),

    reject: (actor: Actor, documentId: string, label: string, comment: string) =>
      decide(actor, documentId, label, 'reject', comment),

    /** Publishes an approved version as the document's published version; the one published before is superseded. */
    async publish(actor: Actor, documentId: string, label: string) {
      authorize(actor, reviewPermission.publish);
      return db.transaction(async (tx) => {
        await assertDocumentAccess(tx, actor, documentId, 'write');
        const document = await loadLive(tx, documentId);
        const review = await readReview(tx, documentId);
        const version = findVersion(review.versions, label);
        const status = nextReviewStatus('publish', { label, status: review.statusOf(version) });
        const now = clock.now();
        const previous = review.versions.find((other) => review.statusOf(other) === 'published');
        if (previous) {
          const round = review.latest.get(previous.id)!;
          await tx
            .update(documentReviews)
            .set({ status: nextReviewStatus('supersede', { label: versionLabel(previous), status: 'published' }) })
            .where(eq(documentReviews.id, round.id));
          await addEvent(tx, actor, round.id, 'superseded', `Version ${label} was published`);
        }
        const round = review.latest.get(version.id)!;
        await tx.update(documentReviews).set({ status, publishedAt: now }).where(eq(documentReviews.id, round.id));
        await addEvent(tx, actor, round.id, 'published');
        await auditAndNotify(tx, actor, document, label, 'version_published', {
          round: round.round,
          supersedes: previous ? versionLabel(previous) : null,
        });
        return presentReview(tx, actor, document);
      });
    },

    /** Everyone who could be asked to review a document: active users with a role that may, by name. */
    async reviewers(actor: Actor) {
      authorize(actor, reviewPermission.submit);
      const rows = await db
        .select({ id: users.id, name: users.name, roles: users.roles })
        .from(users)
        .where(eq(users.active, true))
        .orderBy(asc(users.name));
      return rows.filter((row) => rolesMayReview(row.roles)).map(({ id, name }) => ({ id, name }));
    },

    /** The rounds waiting for the signed-in reviewer's decision, oldest first. */
    async mine(actor: Actor) {
      authorize(actor, 'documents.review');
      if (actor.kind !== 'user') return { reviews: [] };
      const decided = decidedByMe(actor.userId);
      const rows = await db
        .select({
          round: documentReviews,
          title: documents.title,
          major: documentVersions.major,
          minor: documentVersions.minor,
          createdBy: documentVersions.createdBy,
          submitterName: users.name,
        })
        .from(documentReviews)
        .innerJoin(documents, eq(documents.id, documentReviews.documentId))
        .innerJoin(documentVersions, eq(documentVersions.id, documentReviews.versionId))
        .leftJoin(users, eq(users.id, documentReviews.submittedBy))
        .where(
          and(
            eq(documentReviews.status, 'in_review'),
            ne(documents.status, 'deleted'),
            or(
              sql`${actor.userId} = any(${documentReviews.reviewerIds})`,
              actor.roles.length ? inArray(documentReviews.reviewerRole, [...actor.roles]) : undefined,
            ),
            notExists(decided),
          ),
        )
        .orderBy(asc(documentReviews.submittedAt), asc(documentReviews.id))
        .limit(500);
      return {
        reviews: rows
          .filter((row) => row.createdBy !== actor.userId && row.round.submittedBy !== actor.userId)
          .map((row) => ({
            reviewId: row.round.id,
            document: { id: row.round.documentId, title: row.title },
            version: versionLabel(row),
            round: row.round.round,
            message: row.round.message,
            role: row.round.reviewerRole,
            submittedBy: row.round.submittedBy
              ? { id: row.round.submittedBy, name: row.submitterName ?? 'a former user' }
              : null,
            submittedAt: row.round.submittedAt,
          })),
      };
    },
  };
}
