import { RunButton, useSubmission } from '../ui/form.js';
import { useInvalidate } from '../ui/use-api-data.js';
import {
  linkKindLabels,
  statusLabels,
  suggestionsApi,
  type Suggestion,
  type SuggestionStatus,
} from './suggestions.api.js';

export function SuggestionStatusBadge({ status }: { status: SuggestionStatus }) {
  return <span className={`status suggestion-status suggestion-status-${status}`}>{statusLabels[status]}</span>;
}

/** What a suggestion is about, as "Queue: Billing". */
export function SuggestionLink({ link }: { link: Suggestion['link'] }) {
  if (!link) return null;
  return (
    <span className="tag">
      {linkKindLabels[link.kind]}: {link.label ?? `${link.id} (gone)`}
    </span>
  );
}

/** My vote, given or taken back, with the count beside it. */
export function VoteButton({ suggestion }: { suggestion: Suggestion }) {
  const invalidate = useInvalidate();
  const vote = useSubmission(async () => {
    await suggestionsApi.toggleVote(suggestion.id);
    await invalidate('/api/suggestions');
  });
  return (
    <div className="suggestion-votes">
      <strong>
        {suggestion.votes}
        <span className="visually-hidden">{suggestion.votes === 1 ? ' vote' : ' votes'}</span>
      </strong>
      <RunButton
        submission={vote}
        label={suggestion.votedByMe ? 'Take back vote' : 'Vote'}
        busyLabel="Saving…"
        primary={!suggestion.votedByMe}
      />
    </div>
  );
}
