import { AppError } from '../shared/errors.js';
import type { DocumentStatus } from './documents.tables.js';

export const documentActions = ['delete'] as const;
export type DocumentAction = (typeof documentActions)[number];

/** active → deleted for now; declaring a record and placing a hold add their rows here. */
const transitions: Record<DocumentAction, { from: DocumentStatus[]; to: DocumentStatus }> = {
  delete: { from: ['active'], to: 'deleted' },
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

/** Content, metadata, links and locks change only while a document is active. */
export function assertChangeable(document: { status: DocumentStatus; title: string }) {
  if (document.status !== 'active') {
    throw new AppError(
      'conflict',
      'document.not_active',
      `The document "${document.title}" is ${document.status}; it can no longer be changed.`,
    );
  }
}
