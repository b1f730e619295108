import { useState } from 'react';
import { ApiError, type FieldProblem } from '../../api/client.js';
import { useSignedInUser } from '../../auth/session.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { Dialog } from '../../ui/dialog.js';
import { Field, FormError, submitWith, useSubmission } from '../../ui/form.js';
import { messageOf, Notice } from '../../ui/states.js';
import { describePlace } from '../editor/compliance-panel.js';
import { actionsFor, workflowSteps, type WorkflowAction } from '../template-vocabulary.js';
import { templatesApi, type TemplateVersion } from '../templates.api.js';

type Outcome =
  | { kind: 'done'; message: string }
  | { kind: 'four-eyes'; message: string }
  | { kind: 'compliance'; message: string; failures: FieldProblem[] }
  | { kind: 'failed'; message: string };

const doneMessages: Record<WorkflowAction, (number: number) => string> = {
  submit: (number) => `Version ${number} is in review.`,
  request_changes: (number) => `Changes requested on version ${number}; the author revises it as a new version.`,
  approve: (number) => `Version ${number} is approved and can be published.`,
  publish: (number) => `Version ${number} is published: sends now use it, and it can no longer change.`,
  retire: (number) => `Version ${number} is retired; nothing sends it any more.`,
};

/** Request changes and Approve take a comment that goes on the version with the decision. */
function DecisionDialog({
  action,
  onClose,
  onDecide,
}: {
  action: 'approve' | 'request_changes';
  onClose: () => void;
  onDecide: (comment: string) => Promise<void>;
}) {
  const [comment, setComment] = useState('');
  const submission = useSubmission(() => onDecide(comment.trim()));
  const submit = submitWith(submission.run);
  const approving = action === 'approve';
  return (
    <Dialog title={approving ? 'Approve this version?' : 'Request changes'} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <Field
          label="Comment"
          htmlFor="decision-comment"
          hint={
            approving
              ? 'Optional; posted on the version with your approval.'
              : 'Say what must change; the author sees it on this version.'
          }
        >
          <textarea
            id="decision-comment"
            rows={4}
            required={!approving}
            value={comment}
            onChange={(event) => setComment(event.target.value)}
          />
        </Field>
        <FormError message={submission.error === undefined ? null : messageOf(submission.error)} />
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={submission.saving}>
            {submission.saving ? 'Working…' : workflowSteps[action].label}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The workflow buttons this user may use on this version, and what came of the last one. */
export function WorkflowActions({
  templateKey,
  version,
  onChanged,
}: {
  templateKey: string;
  version: TemplateVersion;
  onChanged: () => void;
}) {
  const user = useSignedInUser();
  const [deciding, setDeciding] = useState<'approve' | 'request_changes' | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const actions = actionsFor(user, version.status);

  const act = async (action: WorkflowAction, comment?: string) => {
    setOutcome(null);
    try {
      await templatesApi.act(templateKey, version.number, action, comment || undefined);
      setOutcome({ kind: 'done', message: doneMessages[action](version.number) });
      onChanged();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.error === 'version.four_eyes') setOutcome({ kind: 'four-eyes', message: error.message });
      else if (error.status === 422 && error.details.length)
        setOutcome({ kind: 'compliance', message: error.message, failures: error.details });
      else setOutcome({ kind: 'failed', message: error.message });
    }
    setDeciding(null);
  };

  return (
    <div className="workflow">
      {actions.length > 0 && (
        <div className="workflow-buttons">
          {actions.map((action) =>
            action === 'approve' || action === 'request_changes' ? (
              <button
                key={action}
                type="button"
                className={action === 'approve' ? 'button button-primary' : 'button'}
                onClick={() => setDeciding(action)}
              >
                {workflowSteps[action].label}
              </button>
            ) : action === 'submit' ? (
              <button key={action} type="button" className="button button-primary" onClick={() => void act(action)}>
                {workflowSteps[action].label}
              </button>
            ) : (
              <ConfirmButton
                key={action}
                label={workflowSteps[action].label}
                question={
                  action === 'publish' ? `Publish version ${version.number}?` : `Retire version ${version.number}?`
                }
                consequence={
                  action === 'publish'
                    ? 'Sends use this version from now on, with the fragments as they are published today. It can no longer change, and the version published before is retired.'
                    : 'Nothing sends this template until another version is published.'
                }
                danger={action === 'retire'}
                onConfirm={() => act(action)}
              />
            ),
          )}
        </div>
      )}
      {outcome?.kind === 'done' && <Notice tone="success">{outcome.message}</Notice>}
      {outcome?.kind === 'four-eyes' && (
        <Notice tone="error" className="four-eyes">
          <div>
            <strong>Four eyes: you cannot approve your own version.</strong>
            <p>{outcome.message} Ask a reviewer who did not write it.</p>
          </div>
        </Notice>
      )}
      {outcome?.kind === 'failed' && <Notice tone="error">{outcome.message}</Notice>}
      {outcome?.kind === 'compliance' && (
        <Notice tone="error">
          <div>
            <strong>This version breaks the compliance rules for its purpose.</strong>
            <ul className="failure-list-plain">
              {outcome.failures.map((failure, index) => (
                <li key={index}>
                  {failure.message} <span className="muted">({describePlace(failure.path)})</span>
                </li>
              ))}
            </ul>
          </div>
        </Notice>
      )}
      {deciding && (
        <DecisionDialog
          action={deciding}
          onClose={() => setDeciding(null)}
          onDecide={(comment) => act(deciding, comment)}
        />
      )}
    </div>
  );
}
