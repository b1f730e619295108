import { useId, useState } from 'react';
import { ConfirmButton } from '../ui/confirm-button.js';
import { FormError, formErrors, submitWith, useSubmission } from '../ui/form.js';
import { formatDateTime } from '../ui/format.js';
import { PagedList } from '../ui/paged-list.js';
import { useApiData, useInvalidate } from '../ui/use-api-data.js';
import { useCursorPages } from '../ui/use-cursor-pages.js';
import { commentsApi, type CommentSubject, type CommentSubjectKind, type RecordComment } from './comments.api.js';
import './comments.css';

export type { CommentSubjectKind };

/** A comment's text with its @mentions marked, so a reader sees who was told. */
function CommentText({ body }: { body: string }) {
  const parts = body.split(/(@[\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)/u);
  return (
    <p className="record-comment-text">
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <span key={index} className="record-comment-mention">
            {part}
          </span>
        ) : (
          part
        ),
      )}
    </p>
  );
}

function CommentForm({
  label,
  initial = '',
  onSave,
  onCancel,
}: {
  label: string;
  initial?: string;
  onSave: (body: string) => Promise<void>;
  onCancel?: () => void;
}) {
  const id = useId();
  const [body, setBody] = useState(initial);
  const submission = useSubmission(async () => {
    await onSave(body);
    setBody('');
  });
  const errors = formErrors(submission.error, ['body']);
  return (
    <form className="record-comment-form" onSubmit={submitWith(submission.run)}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={3}
        required
        value={body}
        aria-describedby={`${id}-hint`}
        onChange={(event) => setBody(event.target.value)}
      />
      <span id={`${id}-hint`} className="field-hint">
        Mention a colleague with @ and their email, or the part of it before the @ (@anna.berg).
      </span>
      {(errors.fields.body || errors.general) && (
        <FormError message={errors.fields.body ? `The comment ${errors.fields.body}` : errors.general} />
      )}
      <div className="record-comment-form-actions">
        {onCancel && (
          <button type="button" className="button button-small" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button
          type="submit"
          className="button button-small button-primary"
          disabled={submission.saving || body.trim() === ''}
        >
          {submission.saving ? 'Saving…' : onCancel ? 'Save' : 'Comment'}
        </button>
      </div>
    </form>
  );
}

function CommentItem({ comment, onChanged }: { comment: RecordComment; onChanged: () => Promise<void> }) {
  const [editing, setEditing] = useState(false);
  return (
    <li className="record-comment" aria-label={`Comment by ${comment.authorName}`}>
      <div className="record-comment-meta">
        <span className="strong">{comment.authorName}</span>
        <time className="muted" dateTime={comment.createdAt}>
          {formatDateTime(comment.createdAt)}
        </time>
        {comment.editedAt && <span className="muted">(edited)</span>}
      </div>
      {editing ? (
        <CommentForm
          label="Edit comment"
          initial={comment.body}
          onSave={async (body) => {
            await commentsApi.edit(comment.id, body);
            setEditing(false);
            await onChanged();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <CommentText body={comment.body} />
      )}
      {comment.mine && !editing && (
        <div className="record-comment-actions">
          <button type="button" className="button button-small" onClick={() => setEditing(true)}>
            Edit
          </button>
          <ConfirmButton
            label="Delete"
            question="Delete this comment?"
            consequence="It is gone for everyone; the audit trail keeps that it was deleted."
            danger
            onConfirm={async () => {
              await commentsApi.remove(comment.id);
              await onChanged();
            }}
          />
        </div>
      )}
    </li>
  );
}

function FollowButton({
  subject,
  following,
  onChanged,
}: {
  subject: CommentSubject;
  following: boolean;
  onChanged: () => Promise<void>;
}) {
  const toggle = useSubmission(async () => {
    await (following ? commentsApi.unfollow(subject) : commentsApi.follow(subject));
    await onChanged();
  });
  return (
    <button
      type="button"
      className="button button-small"
      aria-pressed={following}
      disabled={toggle.saving}
      title={following ? 'Comments and changes here show in your feed' : 'Show comments and changes here in your feed'}
      onClick={() => void toggle.run()}
    >
      {following ? 'Following' : 'Follow'}
    </button>
  );
}

/** Comments on any record, with @mentions and following; the same panel on every record's page. */
export function CommentsPanel({ subject }: { subject: { kind: CommentSubjectKind; id: string } }) {
  const list = useCursorPages<'comments', RecordComment>(commentsApi.listPath(subject), 'comments');
  const follow = useApiData<{ following: boolean }>(commentsApi.followPath(subject));
  const invalidate = useInvalidate();
  // Commenting follows the record, so the follow state is asked again with the comments.
  const changed = () => invalidate('/api/record-comments', '/api/follows', '/api/feed');
  return (
    <section className="card record-comments" aria-label="Comments">
      <div className="card-heading">
        <h2>Comments</h2>
        {follow.data && <FollowButton subject={subject} following={follow.data.following} onChanged={changed} />}
      </div>
      <PagedList
        list={list}
        what="comments"
        more="block"
        empty={{ title: 'No comments yet', hint: 'Start the conversation; mention a colleague to tell them.' }}
      >
        {(items) => (
          <ul className="record-comment-list">
            {items.map((comment) => (
              <CommentItem key={comment.id} comment={comment} onChanged={changed} />
            ))}
          </ul>
        )}
      </PagedList>
      <CommentForm
        label="Add a comment"
        onSave={async (body) => {
          await commentsApi.add(subject, body);
          await changed();
        }}
      />
    </section>
  );
}
