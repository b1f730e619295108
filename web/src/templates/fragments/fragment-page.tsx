import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client.js';
import { useSignedInUser } from '../../auth/session.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { Field, FormError, formErrors, RunButton, useSubmission } from '../../ui/form.js';
import { formatDateTime } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { ErrorNotice, Loading, Notice } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { SourceField } from '../editor/source-field.js';
import { StatusBadge } from '../status-badge.js';
import { fragmentsApi, type FragmentDetail, type FragmentVersion } from '../studio.api.js';
import { actionsFor, fragmentKindLabels, workflowSteps, type WorkflowAction } from '../template-vocabulary.js';
import { may } from '../../ui/permissions.js';

function FragmentEditor({
  fragment,
  canAuthor,
  onSaved,
}: {
  fragment: FragmentDetail;
  canAuthor: boolean;
  onSaved: (version: FragmentVersion) => void;
}) {
  const latest = fragment.versions.reduce<FragmentVersion | undefined>(
    (newest, version) => (!newest || version.number > newest.number ? version : newest),
    undefined,
  );
  const [body, setBody] = useState(latest?.body ?? '');
  const [savedBody, setSavedBody] = useState(latest?.body ?? '');
  const [changeNote, setChangeNote] = useState('');
  const submission = useSubmission(async () => {
    const version = await fragmentsApi.saveVersion(fragment.key, {
      body,
      ...(changeNote.trim() ? { changeNote: changeNote.trim() } : {}),
    });
    setSavedBody(body);
    setChangeNote('');
    onSaved(version);
  });
  const errors = formErrors(submission.error, ['body', 'changeNote']);
  return (
    <section className="card form" aria-label="Fragment body">
      <Field
        label="Body"
        htmlFor="fragment-source"
        error={errors.fields.body}
        hint={`Liquid and Markdown. Templates include it with {% fragment '${fragment.key}' %}.`}
      >
        <SourceField id="fragment-source" value={body} onChange={setBody} readOnly={!canAuthor} minRows={6} />
      </Field>
      {canAuthor && (
        <>
          <Field label="Change note" htmlFor="fragment-change-note" error={errors.fields.changeNote}>
            <input
              id="fragment-change-note"
              value={changeNote}
              onChange={(event) => setChangeNote(event.target.value)}
            />
          </Field>
          <FormError message={errors.general} />
          <div className="form-actions">
            <RunButton
              primary
              submission={submission}
              disabled={body === savedBody}
              label="Save version"
              busyLabel="Saving…"
            />
          </div>
        </>
      )}
    </section>
  );
}

function VersionRow({
  fragmentKey,
  version,
  onChanged,
}: {
  fragmentKey: string;
  version: FragmentVersion;
  onChanged: (message: string) => void;
}) {
  const user = useSignedInUser();
  const [failure, setFailure] = useState<string | null>(null);
  const act = async (action: WorkflowAction) => {
    setFailure(null);
    try {
      await fragmentsApi.act(fragmentKey, version.number, action);
      onChanged(`Version ${version.number}: ${workflowSteps[action].label.toLowerCase()} done.`);
    } catch (error) {
      setFailure(error instanceof ApiError ? error.message : String(error));
    }
  };
  return (
    <li className="version-item">
      <div className="version-line">
        <span className="strong">Version {version.number}</span>
        <StatusBadge status={version.status} />
        <span className="muted small">
          {version.createdBy} · {formatDateTime(version.createdAt)}
          {version.decidedBy && ` · decided by ${version.decidedBy}`}
        </span>
        <span className="row-actions version-actions">
          {actionsFor(user, version.status).map((action) =>
            action === 'publish' || action === 'retire' ? (
              <ConfirmButton
                key={action}
                label={workflowSteps[action].label}
                question={`${workflowSteps[action].label} version ${version.number}?`}
                consequence={
                  action === 'publish'
                    ? 'Templates published from now on include this version.'
                    : 'Templates that include it can no longer be published until another version is.'
                }
                danger={action === 'retire'}
                onConfirm={() => act(action)}
              />
            ) : (
              <button key={action} type="button" className="button button-small" onClick={() => void act(action)}>
                {workflowSteps[action].label}
              </button>
            ),
          )}
        </span>
      </div>
      {version.changeNote && <div className="version-note">{version.changeNote}</div>}
      {failure && (
        <Notice tone="error" className="notice-inline">
          {failure}
        </Notice>
      )}
      <details>
        <summary className="muted small">Body</summary>
        <pre className="code-view">{version.body}</pre>
      </details>
    </li>
  );
}

/** One fragment: its body, a new version on each save, and its versions through review. */
export function FragmentPage() {
  const { key = '' } = useParams();
  const user = useSignedInUser();
  const fragment = useApiData<FragmentDetail>(fragmentsApi.fragmentPath(key));
  const [notice, setNotice] = useState<string | null>(null);

  if (fragment.error !== undefined && !fragment.data)
    return <ErrorNotice error={fragment.error} onRetry={fragment.reload} />;
  if (!fragment.data) return <Loading what="the fragment" />;
  const changed = (message: string) => {
    setNotice(message);
    fragment.reload();
  };
  const versions = [...fragment.data.versions].sort((a, b) => b.number - a.number);
  return (
    <>
      <p className="breadcrumb">
        <Link to="/templates/fragments">Fragments</Link>
      </p>
      <PageHeader
        title={fragment.data.name}
        description={
          <>
            <code>{fragment.data.key}</code> · {fragmentKindLabels[fragment.data.kind]}
          </>
        }
      />
      {notice && <Notice tone="success">{notice}</Notice>}
      <div className="review">
        <div className="review-main">
          <FragmentEditor
            fragment={fragment.data}
            canAuthor={may(user, 'templates.author')}
            onSaved={(version) => changed(`Saved version ${version.number} as a draft.`)}
          />
        </div>
        <aside className="review-side">
          <section className="card" aria-label="Versions">
            <h2>Versions</h2>
            <ol className="version-list">
              {versions.map((version) => (
                <VersionRow key={version.id} fragmentKey={key} version={version} onChanged={changed} />
              ))}
            </ol>
          </section>
        </aside>
      </div>
    </>
  );
}
