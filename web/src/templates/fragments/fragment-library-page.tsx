import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { choicesIn } from '../../ui/choices.js';
import { DialogForm } from '../../ui/dialog-form.js';
import { Field, SelectField, TextAreaField, TextField, useForm } from '../../ui/form.js';
import { PageHeader, PrimaryAction } from '../../ui/page.js';
import { PagedTable } from '../../ui/paged-list.js';
import { useApiList } from '../../ui/use-api-data.js';
import { keyFrom } from '../editor/template-details.js';
import { publishedOf, VersionMark } from '../status-badge.js';
import { fragmentsApi, type FragmentListItem } from '../studio.api.js';
import { fragmentKindLabels, type FragmentKind } from '../template-vocabulary.js';

function NewFragmentDialog({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate();
  const form = useForm({ name: '', key: '', kind: 'disclosure' as FragmentKind, body: '' }, async (input) => {
    const fragment = await fragmentsApi.create(input);
    navigate(`/templates/fragments/${fragment.key}`);
  });
  const { name, key } = form.values;
  // The key follows the name until someone types a key of their own.
  const rename = (next: string) => {
    if (key === keyFrom(name)) form.set('key', keyFrom(next));
    form.set('name', next);
  };
  return (
    <DialogForm title="New fragment" onClose={onClose} form={form} submitLabel="Create fragment" busyLabel="Creating…">
      <Field label="Name" htmlFor={form.idOf('name')} error={form.errors.fields.name}>
        <input id={form.idOf('name')} required value={name} onChange={(event) => rename(event.target.value)} />
      </Field>
      <div className="form-row">
        <TextField
          form={form}
          name="key"
          label="Key"
          hint={`Templates include it as {% fragment '${key || 'key'}' %}.`}
          required
        />
        <SelectField form={form} name="kind" label="Kind" choices={choicesIn(fragmentKindLabels)} />
      </div>
      <TextAreaField
        form={form}
        name="body"
        label="Body"
        hint="Liquid and Markdown, like a template body."
        className="code-input"
        rows={6}
      />
    </DialogForm>
  );
}

/** Reusable, separately approved pieces: letterheads, signatures, disclosures, unsubscribe footers. */
export function FragmentLibraryPage() {
  const fragments = useApiList<'fragments', FragmentListItem>(fragmentsApi.listPath, 'fragments');
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title="Fragments"
        description="Approved building blocks that templates include by key. A published template keeps the fragment versions it was published with."
        actions={<PrimaryAction permission="templates.author" onClick={() => setCreating(true)} label="New fragment" />}
      />
      <PagedTable
        list={fragments}
        what="fragments"
        empty={{
          title: 'No fragments yet',
          hint: 'Fragments hold text many templates share, such as the legal disclosure.',
        }}
        label="Fragments"
        rowKey={(fragment) => fragment.id}
        columns={(column) => [
          column.link('Name', (fragment) => ({ to: `/templates/fragments/${fragment.key}`, label: fragment.name })),
          column.code('Key', (fragment) => fragment.key),
          { header: 'Kind', cell: (fragment) => fragmentKindLabels[fragment.kind] },
          { header: 'Latest version', cell: (fragment) => <VersionMark version={fragment.latest} /> },
          { header: 'Published', cell: (fragment) => publishedOf(fragment.published) },
        ]}
      />
      {creating && <NewFragmentDialog onClose={() => setCreating(false)} />}
    </>
  );
}
