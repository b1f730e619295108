import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { Dialog } from '../../ui/dialog.js';
import { Field, FormError, formErrors, useSubmission } from '../../ui/form.js';
import { PageHeader } from '../../ui/page.js';
import { Empty, Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { keyFrom } from '../editor/template-details.js';
import { VersionMark } from '../status-badge.js';
import { fragmentsApi, type FragmentListItem } from '../studio.api.js';
import { fragmentKindLabels, fragmentKinds, may, type FragmentKind } from '../template-vocabulary.js';

function NewFragmentDialog({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [kind, setKind] = useState<FragmentKind>('disclosure');
  const [body, setBody] = useState('');
  const submission = useSubmission(async () => {
    const fragment = await fragmentsApi.create({ key, name, kind, body });
    navigate(`/templates/fragments/${fragment.key}`);
  });
  const errors = formErrors(submission.error, ['key', 'name', 'kind', 'body']);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run();
  };
  const rename = (next: string) => {
    if (key === keyFrom(name)) setKey(keyFrom(next));
    setName(next);
  };
  return (
    <Dialog title="New fragment" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <FormError message={errors.general} />
        <Field label="Name" htmlFor="fragment-name" error={errors.fields.name}>
          <input id="fragment-name" required value={name} onChange={(event) => rename(event.target.value)} />
        </Field>
        <div className="form-row">
          <Field
            label="Key"
            htmlFor="fragment-key"
            error={errors.fields.key}
            hint={`Templates include it as {% fragment '${key || 'key'}' %}.`}
          >
            <input id="fragment-key" required value={key} onChange={(event) => setKey(event.target.value)} />
          </Field>
          <Field label="Kind" htmlFor="fragment-kind" error={errors.fields.kind}>
            <select id="fragment-kind" value={kind} onChange={(event) => setKind(event.target.value as FragmentKind)}>
              {fragmentKinds.map((candidate) => (
                <option key={candidate} value={candidate}>
                  {fragmentKindLabels[candidate]}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <Field
          label="Body"
          htmlFor="fragment-body"
          error={errors.fields.body}
          hint="Liquid and Markdown, like a template body."
        >
          <textarea
            id="fragment-body"
            className="code-input"
            rows={6}
            value={body}
            onChange={(event) => setBody(event.target.value)}
          />
        </Field>
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={submission.saving}>
            {submission.saving ? 'Creating…' : 'Create fragment'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Reusable, separately approved pieces: letterheads, signatures, disclosures, unsubscribe footers. */
export function FragmentLibraryPage() {
  const user = useSignedInUser();
  const fragments = useApiData<{ fragments: FragmentListItem[] }>(fragmentsApi.listPath);
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title="Fragments"
        description="Approved building blocks that templates include by key. A published template keeps the fragment versions it was published with."
        actions={
          may(user, 'templates.author') && (
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              New fragment
            </button>
          )
        }
      />
      <Loaded what="fragments" data={fragments.data} error={fragments.error} onRetry={fragments.reload}>
        {({ fragments: list }) =>
          list.length === 0 ? (
            <Empty title="No fragments yet">
              Fragments hold text many templates share, such as the legal disclosure.
            </Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label="Fragments">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Key</th>
                    <th>Kind</th>
                    <th>Latest version</th>
                    <th>Published</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((fragment) => (
                    <tr key={fragment.id}>
                      <td>
                        <Link to={`/templates/fragments/${fragment.key}`} className="strong">
                          {fragment.name}
                        </Link>
                      </td>
                      <td>
                        <code>{fragment.key}</code>
                      </td>
                      <td>{fragmentKindLabels[fragment.kind]}</td>
                      <td>
                        <VersionMark version={fragment.latest} />
                      </td>
                      <td>
                        {fragment.published ? (
                          `v${fragment.published.number}`
                        ) : (
                          <span className="muted">Not published</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
      {creating && <NewFragmentDialog onClose={() => setCreating(false)} />}
    </>
  );
}
