import { diffLines } from 'diff';
import { eq } from 'drizzle-orm';
import { authorize } from '../auth/policy.js';
import type { Database, Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { loadDocument, loadVersion, userName } from './document-records.js';
import { documentTexts } from './text/document-texts.tables.js';
import { parseVersionLabel, versionLabel, type VersionNumber } from './version-label.js';
import { assertDocumentAccess } from './access/document-permissions.js';

/** Past this many differing lines a comparison stops and says the texts differ too much to show. */
const MAX_EDIT_LINES = 5_000;
/** Unchanged lines shown on each side of a change; longer unchanged runs are folded. */
const CONTEXT_LINES = 3;

export type TextPart = { kind: 'same' | 'added' | 'removed' | 'folded'; lines: string[]; count: number };

/** A version's text as the document page shows it: what extraction says, and the text once found. */
async function textOf(executor: Executor, versionId: string) {
  const [row] = await executor
    .select({
      status: documentTexts.status,
      method: documentTexts.method,
      reason: documentTexts.reason,
      text: documentTexts.text,
    })
    .from(documentTexts)
    .where(eq(documentTexts.versionId, versionId));
  return row ?? { status: 'pending' as const, method: null, reason: null, text: '' };
}

/** Runs of unchanged lines longer than twice the context keep their edges; the middle is folded. */
export function foldUnchanged(parts: TextPart[]): TextPart[] {
  return parts.flatMap((part, index) => {
    if (part.kind !== 'same') return [part];
    const keepBefore = index > 0 ? CONTEXT_LINES : 0;
    const keepAfter = index < parts.length - 1 ? CONTEXT_LINES : 0;
    if (part.lines.length <= keepBefore + keepAfter + 1) return [part];
    const folded = part.lines.length - keepBefore - keepAfter;
    const edges: TextPart[] = [];
    if (keepBefore) edges.push({ kind: 'same', lines: part.lines.slice(0, keepBefore), count: keepBefore });
    edges.push({ kind: 'folded', lines: [], count: folded });
    if (keepAfter) edges.push({ kind: 'same', lines: part.lines.slice(-keepAfter), count: keepAfter });
    return edges;
  });
}

/** The line differences between two texts, unchanged runs folded; null when there are too many to show. */
export function textDifferences(from: string, to: string): TextPart[] | null {
  const changes = diffLines(from, to, { maxEditLength: MAX_EDIT_LINES });
  if (!changes) return null;
  const parts = changes.map((change): TextPart => {
    const lines = change.value.replace(/\n$/, '').split('\n');
    return { kind: change.added ? 'added' : change.removed ? 'removed' : 'same', lines, count: lines.length };
  });
  return foldUnchanged(parts);
}

export type VersionCompare = ReturnType<typeof createVersionCompare>;

/** Two versions of a document side by side: what differs in their details, and their text line by line. */
export function createVersionCompare({ db }: { db: Database }) {
  const version = (documentId: string, number: VersionNumber) => loadVersion(db, documentId, number);

  return {
    async compare(actor: Actor, documentId: string, labels: { from: string; to: string }) {
      authorize(actor, 'documents.read');
      await loadDocument(db, documentId);
      await assertDocumentAccess(db, actor, documentId, 'read');
      const [from, to] = await Promise.all([
        version(documentId, parseVersionLabel(labels.from, 'querystring.from')),
        version(documentId, parseVersionLabel(labels.to, 'querystring.to')),
      ]);
      const details = async (row: typeof from) => ({
        filename: row.filename,
        mediaType: row.mediaType,
        size: row.size,
        sha256: row.contentSha256,
        comment: row.comment,
        createdBy: await userName(db, row.createdBy),
        createdAt: row.createdAt.toISOString(),
      });
      const [fromDetails, toDetails, fromText, toText] = await Promise.all([
        details(from),
        details(to),
        textOf(db, from.id),
        textOf(db, to.id),
      ]);
      const fields = Object.keys(fromDetails) as (keyof typeof fromDetails)[];
      const textsReady = fromText.status === 'done' && toText.status === 'done';
      const parts = textsReady ? textDifferences(fromText.text, toText.text) : null;
      return {
        from: {
          version: labels.from,
          ...fromDetails,
          text: { status: fromText.status, method: fromText.method, reason: fromText.reason },
        },
        to: {
          version: labels.to,
          ...toDetails,
          text: { status: toText.status, method: toText.method, reason: toText.reason },
        },
        changes: fields
          .filter((field) => fromDetails[field] !== toDetails[field])
          .map((field) => ({ field, from: fromDetails[field], to: toDetails[field] })),
        sameContent: from.contentSha256 === to.contentSha256,
        text: {
          /** ready: both texts extracted; waiting: one is still being read or failed (see each side's status). */
          state: !textsReady ? ('waiting' as const) : parts ? ('ready' as const) : ('too_different' as const),
          parts: parts ?? [],
          added: parts?.filter((part) => part.kind === 'added').reduce((sum, part) => sum + part.count, 0) ?? 0,
          removed: parts?.filter((part) => part.kind === 'removed').reduce((sum, part) => sum + part.count, 0) ?? 0,
        },
      };
    },

    /** What the document page says about the text of a version (the current one unless named). */
    async textStatus(actor: Actor, documentId: string, label: string | undefined) {
      authorize(actor, 'documents.read');
      const document = await loadDocument(db, documentId);
      await assertDocumentAccess(db, actor, documentId, 'read');
      const row = await version(documentId, parseVersionLabel(label ?? document.currentVersion, 'querystring.version'));
      const text = await textOf(db, row.id);
      return {
        version: versionLabel(row),
        status: text.status,
        method: text.method,
        reason: text.reason,
        characters: text.text.length,
        excerpt: text.text.slice(0, 2_000),
      };
    },
  };
}
