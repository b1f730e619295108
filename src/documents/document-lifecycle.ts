import { AppError } from '../shared/errors.js';
import type { DocumentStatus } from './documents.tables.js';

export const documentActions = ['delete', 'declare_record', 'dispose'] as const;
export type DocumentAction = (typeof documentActions)[number];

/**
 * An active document can be deleted (kept, hidden) or declared a record; a record is never deleted,
 * only disposed of once its retention has ended. Holds refuse these separately (legal-holds.guard.ts).
 */
const transitions: Record<DocumentAction, { from: DocumentStatus[]; to: DocumentStatus }> = {
  delete: { from: ['active'], to: 'deleted' },
  declare_record: { from: ['active'], to: 'record' },
  dispose: { from: ['record'], to: 'disposed' },
};

/** The status a document moves to, or the reason it may not. */
export function nextDocumentStatus(action: DocumentAction, document: { status: DocumentStatus; title: string }) {
  const transition = transitions[action];
  if (!transition.from.includes(document.status)) {
    throw new AppError(
      'conflict',
      'document.wrong_status',
      `The document "${document.title}" is ${document.status}; "${action}" applies only to a document that is ${transition.from.join(' or ')}.`,
    );
  }
  return transition.to;
}

/** Content, metadata, links and locks change only while a document is active: never for a record. */
export function assertChangeable(document: { status: DocumentStatus; title: string }) {
  if (document.status !== 'active') {
    throw new AppError(
      'conflict',
      document.status === 'record' ? 'document.record' : 'document.not_active',
      document.status === 'record'
        ? `The document "${document.title}" is a record; its content and metadata can no longer change.`
        : `The document "${document.title}" is ${document.status}; it can no longer be changed.`,
    );
  }
}
