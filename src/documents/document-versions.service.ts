import { eq } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Database, Executor } from '../db/database.js';
import { actorLabel, type Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { assertNotHeld } from '../records/legal-holds.guard.js';
import { AppError } from '../shared/errors.js';
import { receive, type IncomingFile } from './document-content.js';
import type { TextExtraction } from './text/text-extraction.service.js';
import { assertChangeable } from './document-lifecycle.js';
import { checkLock, type LockAction } from './document-locks.js';
import { assertDocumentAccess } from './access/document-permissions.js';
import { loadDocument, loadVersion, presentDocument, userName, type DocumentRow } from './document-records.js';
import type { VersionFields } from './documents.schemas.js';
import { documents, documentVersions } from './documents.tables.js';
import { nextVersion, parseVersionLabel, versionLabel } from './version-label.js';

export type DocumentVersionsService = ReturnType<typeof createDocumentVersionsService>;

type Content = { sha256: string; size: number; mediaType: string; filename: string };

const userIdOf = (actor: Actor) => (actor.kind === 'user' ? actor.userId : null);

/**
 * A document's versions and its check-out lock: every new content is a version (major or minor,
 * with a comment), any version can be read or restored as a new one, and the lock rules of
 * document-locks.ts decide who may change a document that is checked out.
 */
export function createDocumentVersionsService({
  db,
  audit,
  clock,
  blobs,
  maxBytes,
  textExtraction,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  blobs: Pick<BlobStore, 'put' | 'open'>;
  maxBytes: number;
  /** Every new version's text is read by a job queued with it. */
  textExtraction: Pick<TextExtraction, 'enqueue'>;
}) {
  /** The lock rule for this action on this document, with the holder's name for the message. */
  async function lockCheck(executor: Executor, actor: Actor, document: DocumentRow, action: LockAction) {
    return checkLock(
      action,
      { ...document, holderName: await userName(executor, document.lockedBy) },
      userIdOf(actor),
      clock.now(),
    );
  }

  /** The document under a row lock, refused unless it is active and this actor may change its content. */
  async function loadForChange(tx: Executor, actor: Actor, id: string, action: LockAction) {
    const document = await loadDocument(tx, id, true);
    await assertDocumentAccess(tx, actor, id, 'write');
    assertChangeable(document);
    await lockCheck(tx, actor, document, action);
    if (action === 'change') await assertNotHeld(tx, [{ type: 'document', id }], 'given a new version');
    return document;
  }

  /** The next version after the current one, made current. */
  async function insertVersion(
    tx: Executor,
    actor: Actor,
    document: DocumentRow,
    content: Content,
    options: { major: boolean; comment: string },
  ) {
    const number = nextVersion(parseVersionLabel(document.currentVersion, 'currentVersion'), options.major);
    const now = clock.now();
    const [version] = await tx
      .insert(documentVersions)
      .values({
        documentId: document.id,
        ...number,
        contentSha256: content.sha256,
        size: content.size,
        mediaType: content.mediaType,
        filename: content.filename,
        comment: options.comment,
        createdBy: userIdOf(actor),
        createdAt: now,
      })
      .returning({ id: documentVersions.id });
    await textExtraction.enqueue(tx, [version!.id]);
    await tx
      .update(documents)
      .set({ currentVersion: versionLabel(number), contentSha256: content.sha256, updatedAt: now })
      .where(eq(documents.id, document.id));
    return versionLabel(number);
  }

  /** Refuses early (before any byte is read) what the transaction would refuse anyway. */
  async function precheck(actor: Actor, id: string, action: LockAction) {
    const document = await loadDocument(db, id);
    await assertDocumentAccess(db, actor, id, 'write');
    assertChangeable(document);
    await lockCheck(db, actor, document, action);
    if (action === 'change') await assertNotHeld(db, [{ type: 'document', id }], 'given a new version');
  }

  async function releaseLock(tx: Executor, id: string) {
    await tx
      .update(documents)
      .set({ lockedBy: null, lockedAt: null, lockExpiresAt: null, updatedAt: clock.now() })
      .where(eq(documents.id, id));
  }

  return {
    /** New content as the next version; the lock holder's upload keeps the lock. */
    async add(actor: Actor, id: string, fields: VersionFields, file: IncomingFile) {
      authorize(actor, 'documents.write');
      await precheck(actor, id, 'change');
      const content = await receive(blobs, file, maxBytes);
      return db.transaction(async (tx) => {
        const document = await loadForChange(tx, actor, id, 'change');
        const label = await insertVersion(tx, actor, document, content, {
          major: fields.major ?? false,
          comment: fields.comment ?? '',
        });
        await audit.record(tx, actor, {
          action: 'document.version_added',
          entityType: 'document',
          entityId: id,
          summary: { version: label, sha256: content.sha256, size: content.size, comment: fields.comment ?? '' },
        });
        return presentDocument(tx, id, clock.now());
      });
    },

    /** An older version's content saved again as the next (minor) version; history stays as it was. */
    async restore(actor: Actor, id: string, label: string) {
      authorize(actor, 'documents.write');
      const number = parseVersionLabel(label, 'params.label');
      return db.transaction(async (tx) => {
        const document = await loadForChange(tx, actor, id, 'change');
        const old = await loadVersion(tx, id, number);
        const comment = `Restored from ${versionLabel(number)}`;
        const restored = await insertVersion(
          tx,
          actor,
          document,
          { sha256: old.contentSha256, size: old.size, mediaType: old.mediaType, filename: old.filename },
          { major: false, comment },
        );
        await audit.record(tx, actor, {
          action: 'document.version_restored',
          entityType: 'document',
          entityId: id,
          summary: { version: restored, restoredFrom: versionLabel(number), sha256: old.contentSha256 },
        });
        return presentDocument(tx, id, clock.now());
      });
    },

    /** Takes the exclusive lock (or renews one's own), for a while or until check-in. */
    async checkout(actor: Actor, id: string, options: { expiresInMinutes?: number }) {
      authorize(actor, 'documents.write');
      if (actor.kind !== 'user')
        throw new AppError('bad_request', 'document.checkout_needs_user', 'Only a signed-in user can check out.');
      return db.transaction(async (tx) => {
        await loadForChange(tx, actor, id, 'checkout');
        const now = clock.now();
        const expiresAt = options.expiresInMinutes ? new Date(now.getTime() + options.expiresInMinutes * 60_000) : null;
        await tx
          .update(documents)
          .set({ lockedBy: actor.userId, lockedAt: now, lockExpiresAt: expiresAt })
          .where(eq(documents.id, id));
        await audit.record(tx, actor, {
          action: 'document.checked_out',
          entityType: 'document',
          entityId: id,
          summary: { expiresAt: expiresAt?.toISOString() ?? null },
        });
        return presentDocument(tx, id, now);
      });
    },

    /** Releases the holder's lock, with new content as the next version when a file comes along. */
    async checkin(actor: Actor, id: string, fields: VersionFields, file: IncomingFile | null) {
      authorize(actor, 'documents.write');
      await precheck(actor, id, 'checkin');
      const content = file ? await receive(blobs, file, maxBytes) : null;
      return db.transaction(async (tx) => {
        const document = await loadForChange(tx, actor, id, 'checkin');
        if (content) await assertNotHeld(tx, [{ type: 'document', id }], 'given a new version');
        const label = content
          ? await insertVersion(tx, actor, document, content, {
              major: fields.major ?? false,
              comment: fields.comment ?? '',
            })
          : null;
        await releaseLock(tx, id);
        await audit.record(tx, actor, {
          action: 'document.checked_in',
          entityType: 'document',
          entityId: id,
          summary: { version: label, sha256: content?.sha256 ?? null, comment: fields.comment ?? '' },
        });
        return presentDocument(tx, id, clock.now());
      });
    },

    /** The holder gives the lock back without new content. */
    async cancelCheckout(actor: Actor, id: string) {
      authorize(actor, 'documents.write');
      return db.transaction(async (tx) => {
        await loadForChange(tx, actor, id, 'cancel');
        await releaseLock(tx, id);
        await audit.record(tx, actor, {
          action: 'document.checkout_cancelled',
          entityType: 'document',
          entityId: id,
          summary: {},
        });
        return presentDocument(tx, id, clock.now());
      });
    },

    /** A records manager or admin takes someone's lock away; the audit names whose it was. */
    async breakLock(actor: Actor, id: string) {
      authorize(actor, 'documents.manage');
      return db.transaction(async (tx) => {
        const document = await loadDocument(tx, id, true);
        await assertDocumentAccess(tx, actor, id, 'manage');
        await lockCheck(tx, actor, document, 'break');
        await releaseLock(tx, id);
        await audit.record(tx, actor, {
          action: 'document.lock_broken',
          entityType: 'document',
          entityId: id,
          summary: {
            holderId: document.lockedBy,
            holderName: await userName(tx, document.lockedBy),
            lockedAt: document.lockedAt?.toISOString() ?? null,
            brokenBy: actorLabel(actor),
          },
        });
        return presentDocument(tx, id, clock.now());
      });
    },

    /** A version's bytes (the current one unless named), as a stream checked against its hash. */
    async content(actor: Actor, id: string, label: string | undefined) {
      authorize(actor, 'documents.read');
      const document = await loadDocument(db, id);
      await assertDocumentAccess(db, actor, id, 'read');
      if (document.status === 'disposed')
        throw new AppError(
          'not_found',
          'document.disposed',
          `The content of "${document.title}" was destroyed at the end of its retention.`,
        );
      const version = await loadVersion(
        db,
        id,
        parseVersionLabel(label ?? document.currentVersion, 'querystring.version'),
      );
      return {
        sha256: version.contentSha256,
        size: version.size,
        mediaType: version.mediaType,
        filename: version.filename,
        open: () => blobs.open(version.contentSha256),
      };
    },
  };
}
