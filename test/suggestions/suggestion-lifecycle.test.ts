import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors.js';
import { assertMove, mayMove } from '../../src/suggestions/suggestion-lifecycle.js';
import { suggestionStatuses, type SuggestionStatus } from '../../src/suggestions/suggestions.tables.js';

/** Every move the lifecycle allows; any pair not listed is refused. */
const allowed: [SuggestionStatus, SuggestionStatus][] = [
  ['open', 'under_review'],
  ['open', 'planned'],
  ['open', 'declined'],
  ['under_review', 'planned'],
  ['under_review', 'declined'],
  ['planned', 'under_review'],
  ['planned', 'done'],
  ['planned', 'declined'],
  ['declined', 'under_review'],
];

describe('suggestion lifecycle', () => {
  it('allows exactly the moves of its table', () => {
    for (const from of suggestionStatuses)
      for (const to of suggestionStatuses)
        expect(mayMove(from, to), `${from} → ${to}`).toBe(
          allowed.some(([allowedFrom, allowedTo]) => allowedFrom === from && allowedTo === to),
        );
  });

  it('says where a suggestion may go when a move is refused', () => {
    expect(() => assertMove('open', 'done')).toThrow(
      'The suggestion is open; it can move to under review or planned or declined, not done.',
    );
    expect(() => assertMove('done', 'planned')).toThrow('The suggestion is done; its status no longer changes.');
    try {
      assertMove('declined', 'declined');
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).kind).toBe('conflict');
    }
  });
});
