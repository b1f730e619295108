import { useState } from 'react';
import { roleLabels, type Role } from '../../auth/roles.js';
import { useSession } from '../../auth/session.js';
import { Checkboxes, Radios } from '../../ui/choices.js';
import { DataTable, orDash } from '../../ui/data-table.js';
import { DialogForm } from '../../ui/dialog-form.js';
import { FieldGroup, RunButton, SelectField, TextAreaField, useForm, useSubmission } from '../../ui/form.js';
import { formatDateTime } from '../../ui/format.js';
import { may } from '../../ui/permissions.js';
import { ErrorNotice, Loaded } from '../../ui/states.js';
import { useApiData, useApiList, useInvalidate } from '../../ui/use-api-data.js';
import type { TidingsDocument } from '../documents.api.js';
import {
  reviewApi,
  reviewEventWords,
  reviewStatusLabels,
  type DocumentReview,
  type Reviewer,
  type ReviewedVersion,
  type ReviewStatus,
} from './review.api.js';

/** The roles whose members may review documents, as the server's policy says. */
const reviewingRoles = (Object.keys(roleLabels) as Role[]).filter((role) =>
  may({ roles: [role] } as Parameters<typeof may>[0], 'documents.review'),
);

export function ReviewStatusBadge({ status }: { status: ReviewStatus }) {
  return <span className={`badge review-status review-status-${status}`}>{reviewStatusLabels[status]}</span>;
}

/** Who a round is asked of: the named reviewers, or a role. */
const askedOf = (round: NonNullable<ReviewedVersion['round']>) =>
  round.role ? `Any ${roleLabels[round.role].toLowerCase()}` : round.reviewers.map((person) => person.name).join(', ');

/** Submitting a version: to named reviewers (each must approve) or to a role (one approval is enough), with a message. */
function SubmitDialog({
  documentId,
  label,
  onDone,
  onClose,
}: {
  documentId: string;
  label: string;
  onDone: () => Promise<void>;
  onClose: () => void;
}) {
  const { user } = useSession();
  const reviewers = useApiList<'reviewers', Reviewer>(reviewApi.reviewersPath, 'reviewers');
  const [asked, setAsked] = useState<'people' | 'role'>('people');
  const [chosen, setChosen] = useState<string[]>([]);
  const others = (reviewers.items ?? []).filter((reviewer) => reviewer.id !== user?.id);
  const names = Object.fromEntries(others.map((reviewer) => [reviewer.id, reviewer.name]));
  const form = useForm({ role: reviewingRoles[0] ?? '', message: '', reviewerIds: '' }, async ({ role, message }) => {
    await reviewApi.submit(
      documentId,
      label,
      asked === 'people' ? { reviewerIds: chosen, message } : { role: role as Role, message },
    );
    await onDone();
    onClose();
  });
  return (
    <DialogForm title={`Submit version ${label} for review`} onClose={onClose} form={form} submitLabel="Submit">
      <Radios
        name="asked"
        value={asked}
        onChange={setAsked}
        choices={[
          { value: 'people', label: 'Named reviewers (all must approve)' },
          { value: 'role', label: 'A role (one member approves)' },
        ]}
      />
      {asked === 'people' ? (
        <FieldGroup label="Reviewers" error={form.errors.fields.reviewerIds}>
          <Checkboxes
            values={others.map((reviewer) => reviewer.id)}
            labels={names}
            checked={chosen}
            onChange={setChosen}
          />
        </FieldGroup>
      ) : (
        <SelectField
          form={form}
          name="role"
          label="Role"
          choices={reviewingRoles.map((role) => ({ value: role, label: roleLabels[role] }))}
        />
      )}
      <TextAreaField form={form} name="message" label="Message to the reviewers" rows={3} />
    </DialogForm>
  );
}

/** A reviewer's decision with a comment: a rejection says what must change. */
function DecisionDialog({
  documentId,
  label,
  decision,
  onDone,
  onClose,
}: {
  documentId: string;
  label: string;
  decision: 'approve' | 'reject';
  onDone: () => Promise<void>;
  onClose: () => void;
}) {
  const form = useForm({ comment: '' }, async ({ comment }) => {
    await (decision === 'approve' ? reviewApi.approve : reviewApi.reject)(documentId, label, comment.trim());
    await onDone();
    onClose();
  });
  return (
    <DialogForm
      title={`${decision === 'approve' ? 'Approve' : 'Reject'} version ${label}`}
      onClose={onClose}
      form={form}
      submitLabel={decision === 'approve' ? 'Approve' : 'Reject'}
    >
      <TextAreaField
        form={form}
        name="comment"
        label={decision === 'approve' ? 'Comment' : 'What must change'}
        rows={4}
        required={decision === 'reject'}
      />
    </DialogForm>
  );
}

type Dialog = { kind: 'submit' | 'approve' | 'reject'; label: string } | null;

/** The versions in review or published, with the actions open to whoever looks, and the review's history. */
function ReviewView({ documentId, review }: { documentId: string; review: DocumentReview }) {
  const invalidate = useInvalidate();
  const [dialog, setDialog] = useState<Dialog>(null);
  const refresh = () => invalidate(reviewApi.reviewPath(documentId), reviewApi.minePath);
  const publish = useSubmission(async (label: string) => {
    await reviewApi.publish(documentId, label);
    await refresh();
  });
  const shown = review.versions.filter((version) => version.current || version.round !== null);
  return (
    <>
      <p>
        {review.publishedVersion ? (
          <>
            Published version: <strong>{review.publishedVersion}</strong>
          </>
        ) : (
          <span className="muted">No version is published yet.</span>
        )}
      </p>
      <DataTable
        label="Review by version"
        compact
        rows={shown}
        rowKey={(version) => version.label}
        columns={(column) => [
          { header: 'Version', className: 'nowrap', cell: (version) => version.label },
          { header: 'Status', cell: (version) => <ReviewStatusBadge status={version.status} /> },
          { header: 'Asked of', cell: (version) => orDash(version.round && askedOf(version.round)) },
          {
            header: 'Waiting for',
            cell: (version) =>
              orDash(
                version.status === 'in_review' && version.round
                  ? version.round.role
                    ? roleLabels[version.round.role]
                    : version.round.waitingFor.map((person) => person.name).join(', ')
                  : null,
              ),
          },
          column.actions((version) => (
            <>
              {version.actions.includes('submit') && (
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => setDialog({ kind: 'submit', label: version.label })}
                >
                  Submit for review
                </button>
              )}
              {version.actions.includes('approve') && (
                <button
                  type="button"
                  className="button button-small button-primary"
                  onClick={() => setDialog({ kind: 'approve', label: version.label })}
                >
                  Approve
                </button>
              )}
              {version.actions.includes('reject') && (
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => setDialog({ kind: 'reject', label: version.label })}
                >
                  Reject
                </button>
              )}
              {version.actions.includes('publish') && (
                <RunButton
                  submission={publish}
                  args={[version.label]}
                  label={`Publish ${version.label}`}
                  busyLabel="Publishing…"
                  primary
                />
              )}
            </>
          )),
        ]}
      />
      {publish.error !== undefined && <ErrorNotice error={publish.error} />}
      {review.history.length > 0 && (
        <ol className="documents-review-history" aria-label="Review history">
          {review.history.map((event, index) => (
            <li key={index}>
              <span>
                <strong>{event.actor.name}</strong> {reviewEventWords[event.action]} version {event.version}
                {event.round > 1 && ` (round ${event.round})`}
              </span>{' '}
              <span className="muted small">{formatDateTime(event.at)}</span>
              {event.comment && <blockquote>{event.comment}</blockquote>}
            </li>
          ))}
        </ol>
      )}
      {dialog?.kind === 'submit' && (
        <SubmitDialog documentId={documentId} label={dialog.label} onDone={refresh} onClose={() => setDialog(null)} />
      )}
      {(dialog?.kind === 'approve' || dialog?.kind === 'reject') && (
        <DecisionDialog
          documentId={documentId}
          label={dialog.label}
          decision={dialog.kind}
          onDone={refresh}
          onClose={() => setDialog(null)}
        />
      )}
    </>
  );
}

/** The document page's review section. */
export function DocumentReviewSection({ document }: { document: TidingsDocument }) {
  // Under /api/documents, so the page's refresh after a new version reads it again too.
  const review = useApiData<DocumentReview>(reviewApi.reviewPath(document.id));
  return (
    <section className="card" aria-labelledby="document-review">
      <h2 id="document-review">Review</h2>
      <Loaded what="the review" data={review.data} error={review.error} onRetry={review.reload}>
        {(data) => <ReviewView documentId={document.id} review={data} />}
      </Loaded>
    </section>
  );
}
