import { eq } from 'drizzle-orm';
import { communications } from '../communications/communications.tables.js';
import type { Executor } from '../db/database.js';
import { nextDocumentStatus } from '../documents/document-lifecycle.js';
import { loadDocument } from '../documents/document-records.js';
import { documentLinks, documents, documentVersions } from '../documents/documents.tables.js';
import { forgetDocumentTexts } from '../documents/text/text-extraction.service.js';
import { communicationTexts } from '../search/search.tables.js';

/** Marks a document disposed: content gone, metadata down to its title, links dropped; its version hashes. */
export async function disposeDocument(tx: Executor, id: string, now: Date) {
  const document = await loadDocument(tx, id, true);
  const status = nextDocumentStatus('dispose', document);
  await tx
    .update(documents)
    .set({
      status,
      description: '',
      tags: [],
      metadata: {},
      lockedBy: null,
      lockedAt: null,
      lockExpiresAt: null,
      updatedAt: now,
    })
    .where(eq(documents.id, id));
  await tx.delete(documentLinks).where(eq(documentLinks.documentId, id));
  // Text extracted from destroyed content is that content too: it goes with it.
  await forgetDocumentTexts(tx, id);
  const versions = await tx
    .selectDistinct({ sha256: documentVersions.contentSha256, size: documentVersions.size })
    .from(documentVersions)
    .where(eq(documentVersions.documentId, id));
  return versions;
}

/** The archived copy and the snapshot it was rendered from; the text search read from the copy goes with them. */
export async function communicationContent(tx: Executor, id: string) {
  await tx.delete(communicationTexts).where(eq(communicationTexts.communicationId, id));
  const [communication] = await tx
    .select({
      archive: communications.archiveSha256,
      size: communications.archiveSize,
      snapshot: communications.snapshotSha256,
    })
    .from(communications)
    .where(eq(communications.id, id));
  const contents: { sha256: string; size: number | null }[] = [];
  if (communication?.archive) contents.push({ sha256: communication.archive, size: communication.size });
  if (communication?.snapshot) contents.push({ sha256: communication.snapshot, size: null });
  return contents;
}
