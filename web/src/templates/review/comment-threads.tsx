import { useId, useState } from 'react';
import { FormError, formErrors, submitWith, useSubmission } from '../../ui/form.js';
import { formatDateTime } from '../../ui/format.js';
import { Empty, Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { describePlace } from '../editor/compliance-panel.js';
import { commentsApi, type Comment, type CommentThread } from '../studio.api.js';

type AddComment = (comment: { body: string; parentId?: string; anchor?: string }) => Promise<void>;

function CommentForm({
  label,
  anchors,
  onAdd,
  onCancel,
  autoFocus = false,
}: {
  label: string;
  anchors?: string[];
  onAdd: AddComment;
  onCancel?: () => void;
  autoFocus?: boolean;
}) {
  const id = useId();
  const [body, setBody] = useState('');
  const [anchor, setAnchor] = useState('');
  const submission = useSubmission(async () => {
    await onAdd({ body, ...(anchor ? { anchor } : {}) });
    setBody('');
    setAnchor('');
    onCancel?.();
  });
  const errors = formErrors(submission.error, ['body', 'anchor']);
  const submit = submitWith(submission.run);
  return (
    <form className="comment-form" onSubmit={submit}>
      <label className="visually-hidden" htmlFor={id}>
        {label}
      </label>
      <textarea
        id={id}
        rows={3}
        placeholder={label}
        required
        autoFocus={autoFocus}
        value={body}
        onChange={(event) => setBody(event.target.value)}
      />
      {(errors.fields.body || errors.general) && (
        <FormError message={errors.fields.body ? `The comment ${errors.fields.body}` : errors.general} />
      )}
      <div className="comment-form-actions">
        {anchors && anchors.length > 0 && (
          <select
            aria-label="About"
            className="select-small"
            value={anchor}
            onChange={(event) => setAnchor(event.target.value)}
          >
            <option value="">About the whole version</option>
            {anchors.map((candidate) => (
              <option key={candidate} value={candidate}>
                {describePlace(candidate)}
              </option>
            ))}
          </select>
        )}
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
          {submission.saving ? 'Posting…' : label}
        </button>
      </div>
    </form>
  );
}

function CommentBody({ comment }: { comment: Comment }) {
  return (
    <>
      <div className="comment-meta">
        <span className="strong">{comment.author}</span>
        <span className="muted">{formatDateTime(comment.createdAt)}</span>
        {comment.anchor && <span className="tag">{describePlace(comment.anchor)}</span>}
      </div>
      <p className="comment-text">{comment.body}</p>
    </>
  );
}

function Thread({
  thread,
  canComment,
  onAdd,
  onResolve,
}: {
  thread: CommentThread;
  canComment: boolean;
  onAdd: AddComment;
  onResolve: (comment: Comment, resolved: boolean) => Promise<void>;
}) {
  const [replying, setReplying] = useState(false);
  const resolution = useSubmission(() => onResolve(thread, thread.resolvedAt === null));
  const resolved = thread.resolvedAt !== null;
  return (
    <li
      className={resolved ? 'comment-thread comment-resolved' : 'comment-thread'}
      aria-label={`Comment by ${thread.author}`}
    >
      <CommentBody comment={thread} />
      {resolved && (
        <p className="muted small">
          Resolved by {thread.resolvedBy} · {formatDateTime(thread.resolvedAt)}
        </p>
      )}
      {thread.replies.length > 0 && (
        <ul className="comment-replies">
          {thread.replies.map((reply) => (
            <li key={reply.id} className="comment-reply">
              <CommentBody comment={reply} />
            </li>
          ))}
        </ul>
      )}
      {canComment && !replying && (
        <div className="comment-actions">
          <button type="button" className="button button-small" onClick={() => setReplying(true)}>
            Reply
          </button>
          <button
            type="button"
            className="button button-small"
            disabled={resolution.saving}
            onClick={() => void resolution.run()}
          >
            {resolved ? 'Reopen' : 'Resolve'}
          </button>
        </div>
      )}
      {resolution.error !== undefined && <FormError message={formErrors(resolution.error, []).general} />}
      {replying && (
        <CommentForm
          label="Reply"
          autoFocus
          onAdd={(reply) => onAdd({ ...reply, parentId: thread.id })}
          onCancel={() => setReplying(false)}
        />
      )}
    </li>
  );
}

/** Review comments on one version: threads with replies, resolved when dealt with. */
export function CommentThreads({
  templateKey,
  number,
  anchors,
  canComment,
}: {
  templateKey: string;
  number: number;
  anchors: string[];
  canComment: boolean;
}) {
  const comments = useApiData<{ comments: CommentThread[] }>(commentsApi.listPath(templateKey, number));
  const add: AddComment = async (comment) => {
    await commentsApi.add(templateKey, number, comment);
    comments.reload();
  };
  const resolve = async (comment: Comment, resolved: boolean) => {
    await commentsApi.setResolved(comment.id, resolved);
    comments.reload();
  };
  const open = comments.data?.comments.filter((thread) => thread.resolvedAt === null).length ?? 0;
  return (
    <section className="card comments" aria-label="Comments">
      <div className="card-heading">
        <h2>Comments</h2>
        {comments.data && <span className="muted small">{open} open</span>}
      </div>
      {canComment && <CommentForm label="Add comment" anchors={anchors} onAdd={add} />}
      <Loaded what="comments" data={comments.data} error={comments.error} onRetry={comments.reload}>
        {({ comments: threads }) =>
          threads.length === 0 ? (
            <Empty title="No comments yet">
              {canComment ? 'Point out anything that should change before this version goes out.' : undefined}
            </Empty>
          ) : (
            <ul className="comment-list">
              {threads.map((thread) => (
                <Thread key={thread.id} thread={thread} canComment={canComment} onAdd={add} onResolve={resolve} />
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}
