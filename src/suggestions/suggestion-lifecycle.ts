import { AppError } from '../shared/errors.js';
import type { SuggestionStatus } from './suggestions.tables.js';

/**
 * open → under review → planned → done; declined from anywhere before done, and a declined
 * suggestion may be taken up again for review. Every move is made by an owner, with a reason.
 */
export const suggestionTransitions: Record<SuggestionStatus, readonly SuggestionStatus[]> = {
  open: ['under_review', 'planned', 'declined'],
  under_review: ['planned', 'declined'],
  planned: ['under_review', 'done', 'declined'],
  done: [],
  declined: ['under_review'],
};

export const statusWords = (status: SuggestionStatus) => status.replace('_', ' ');

/** Whether a suggestion in `from` may be moved to `to`. */
export const mayMove = (from: SuggestionStatus, to: SuggestionStatus) => suggestionTransitions[from].includes(to);

/** Refuses a move the table does not hold, saying where the suggestion may go from here. */
export function assertMove(from: SuggestionStatus, to: SuggestionStatus) {
  if (mayMove(from, to)) return;
  const next = suggestionTransitions[from];
  throw new AppError(
    'conflict',
    'suggestions.wrong_status',
    next.length === 0
      ? `The suggestion is ${statusWords(from)}; its status no longer changes.`
      : `The suggestion is ${statusWords(from)}; it can move to ${next.map(statusWords).join(' or ')}, not ${statusWords(to)}.`,
  );
}
