import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useSignedInUser } from '../auth/session.js';
import { CommentsPanel } from '../comments/comments-panel.js';
import { choicesOf } from '../ui/choices.js';
import { DialogForm } from '../ui/dialog-form.js';
import { SelectField, TextAreaField, useForm } from '../ui/form.js';
import { formatDateTime } from '../ui/format.js';
import { PageHeader } from '../ui/page.js';
import { may } from '../ui/permissions.js';
import { Loaded } from '../ui/states.js';
import { useApiData, useInvalidate } from '../ui/use-api-data.js';
import { SuggestionLink, SuggestionStatusBadge, VoteButton } from './suggestion-parts.js';
import { statusLabels, suggestionsApi, type Suggestion, type SuggestionStatus } from './suggestions.api.js';

/** An owner moves the suggestion on, saying why; the author is told both. */
function StatusDialog({ suggestion, onClose }: { suggestion: Suggestion; onClose: () => void }) {
  const invalidate = useInvalidate();
  const form = useForm({ status: suggestion.nextStatuses[0] ?? '', reason: '' }, async ({ status, reason }) => {
    await suggestionsApi.setStatus(suggestion.id, status as SuggestionStatus, reason);
    await invalidate('/api/suggestions', '/api/feed');
    onClose();
  });
  return (
    <DialogForm
      title="Change status"
      onClose={onClose}
      form={form}
      submitLabel="Change status"
      intro={<p className="muted">{suggestion.authorName} is told the new status and your reason.</p>}
    >
      <SelectField
        form={form}
        name="status"
        label="New status"
        choices={choicesOf(suggestion.nextStatuses, statusLabels)}
      />
      <TextAreaField form={form} name="reason" label="Reason" rows={3} required maxLength={2000} />
    </DialogForm>
  );
}

/** One suggestion: what it proposes, its votes, its status with the reason, and its comments. */
export function SuggestionPage() {
  const { id = '' } = useParams();
  const user = useSignedInUser();
  const suggestion = useApiData<Suggestion>(suggestionsApi.path(id));
  const [changing, setChanging] = useState(false);
  return (
    <Loaded what="the suggestion" data={suggestion.data} error={suggestion.error} onRetry={suggestion.reload}>
      {(data) => (
        <>
          <p className="small">
            <Link to="/suggestions">All suggestions</Link>
          </p>
          <PageHeader
            title={data.title}
            description={`Proposed by ${data.authorName} · ${formatDateTime(data.createdAt)}`}
            actions={
              may(user, 'suggestions.manage') &&
              data.nextStatuses.length > 0 && (
                <button type="button" className="button" onClick={() => setChanging(true)}>
                  Change status
                </button>
              )
            }
          />
          <section className="card suggestion-detail" aria-label="Suggestion">
            <VoteButton suggestion={data} />
            <div className="suggestion-item-text">
              <div className="suggestion-meta">
                <SuggestionStatusBadge status={data.status} />
                <SuggestionLink link={data.link} />
              </div>
              {data.body && <p className="suggestion-body">{data.body}</p>}
              {data.statusChangedAt && (
                <p className="suggestion-reason">
                  <span className="strong">
                    {statusLabels[data.status]} by {data.statusChangedByName ?? 'an owner'} ·{' '}
                    {formatDateTime(data.statusChangedAt)}:
                  </span>{' '}
                  {data.statusReason}
                </p>
              )}
            </div>
          </section>
          <CommentsPanel subject={{ kind: 'suggestion', id: data.id }} />
          {changing && <StatusDialog suggestion={data} onClose={() => setChanging(false)} />}
        </>
      )}
    </Loaded>
  );
}
