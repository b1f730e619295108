import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { Field, FormError, formErrors, useSubmission } from '../../ui/form.js';
import { PageHeader } from '../../ui/page.js';
import { Loaded, Notice } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { may } from '../../ui/permissions.js';
import { customersApi, type AttributeDefinition } from '../customers.api.js';
import { FilterBuilder } from './filter-builder.js';
import { draftOf, filterOf } from './segment-draft.js';
import { SegmentPreview } from './segment-preview.js';
import { segmentsApi, type Segment } from './segments.api.js';

const emptySegment: Pick<Segment, 'name' | 'description' | 'filter'> = {
  name: '',
  description: '',
  filter: { lifecycle: ['active'] },
};

function SegmentEditor({ segment, definitions }: { segment?: Segment; definitions: AttributeDefinition[] }) {
  const user = useSignedInUser();
  const navigate = useNavigate();
  const initial = segment ?? emptySegment;
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [draft, setDraft] = useState(() => draftOf(initial.filter));
  const [saved, setSaved] = useState(false);
  const filter = filterOf(draft, definitions);
  const canManage = may(user, 'segments.manage');

  const submission = useSubmission(async () => {
    const input = { name: name.trim(), description: description.trim(), filter };
    if (segment) {
      await segmentsApi.update(segment.id, input);
      setSaved(true);
    } else {
      const created = await segmentsApi.create(input);
      navigate(`/customers/segments/${created.id}`, { replace: true });
    }
  });
  const errors = formErrors(submission.error, ['name', 'description']);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    void submission.run();
  };
  const remove = async () => {
    if (!segment) return;
    await segmentsApi.remove(segment.id);
    navigate('/customers/segments');
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/customers/segments">Segments</Link> /
      </p>
      <PageHeader
        title={segment ? segment.name : 'New segment'}
        description="Choose who belongs; the count on the right follows every change."
        actions={
          segment &&
          canManage && (
            <ConfirmButton
              label="Delete segment"
              question={`Delete ${segment.name}?`}
              consequence="The saved filter is removed. Customers are not affected."
              danger
              onConfirm={remove}
            />
          )
        }
      />
      <div className="segment-layout">
        <form className="card form" onSubmit={submit} noValidate>
          <FormError message={errors.general} />
          {saved && <Notice tone="success">Saved.</Notice>}
          <div className="form-row">
            <Field label="Name" htmlFor="segment-name" error={errors.fields.name}>
              <input
                id="segment-name"
                required
                value={name}
                disabled={!canManage}
                onChange={(event) => setName(event.target.value)}
              />
            </Field>
            <Field label="Description" htmlFor="segment-description" error={errors.fields.description}>
              <input
                id="segment-description"
                value={description}
                disabled={!canManage}
                onChange={(event) => setDescription(event.target.value)}
              />
            </Field>
          </div>
          <FilterBuilder draft={draft} definitions={definitions} onChange={setDraft} />
          {canManage && (
            <div className="form-actions">
              <Link className="button" to="/customers/segments">
                Cancel
              </Link>
              <button type="submit" className="button button-primary" disabled={submission.saving}>
                {submission.saving ? 'Saving…' : segment ? 'Save segment' : 'Create segment'}
              </button>
            </div>
          )}
        </form>
        <SegmentPreview filter={filter} segmentId={segment?.id} />
      </div>
    </>
  );
}

export function SegmentEditorPage() {
  const { id } = useParams();
  const attributes = useApiData<{ attributes: AttributeDefinition[] }>(customersApi.attributesPath);
  const segment = useApiData<Segment>(id ? segmentsApi.segmentPath(id) : null);
  if (!id) {
    return (
      <Loaded what="custom attributes" data={attributes.data} error={attributes.error} onRetry={attributes.reload}>
        {({ attributes: definitions }) => <SegmentEditor definitions={definitions} />}
      </Loaded>
    );
  }
  return (
    <Loaded what="the segment" data={segment.data} error={segment.error} onRetry={segment.reload}>
      {(loaded) => <SegmentEditor key={loaded.id} segment={loaded} definitions={attributes.data?.attributes ?? []} />}
    </Loaded>
  );
}
