import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useSession } from '../../auth/session.js';
import { namedChoices } from '../../ui/choices.js';
import { DialogForm } from '../../ui/dialog-form.js';
import { SelectField, useForm } from '../../ui/form.js';
import { may } from '../../ui/permissions.js';
import { Loaded } from '../../ui/states.js';
import { useApiList } from '../../ui/use-api-data.js';
import { documentsApi, type TidingsDocument } from '../documents.api.js';
import { documentTypesApi, type DocumentType } from './document-types.api.js';
import { draftOf, MetadataFacts, MetadataInputs, metadataOf, type MetadataDraft } from './metadata-fields.js';

/** The document types, for every place that names or fills them in. */
export const useDocumentTypes = () => useApiList<'types', DocumentType>(documentTypesApi.listPath, 'types');

/** A document's type and its metadata; a new type shows its own fields, checked by the server on save. */
function MetadataDialog({
  document,
  types,
  onSaved,
  onClose,
}: {
  document: TidingsDocument;
  types: readonly DocumentType[];
  onSaved: () => Promise<void>;
  onClose: () => void;
}) {
  const form = useForm(
    { typeId: document.typeId ?? '', metadata: draftOf(document.metadata) as MetadataDraft },
    async ({ typeId, metadata }) => {
      const type = types.find((candidate) => candidate.id === typeId);
      await documentsApi.update(
        document.id,
        type ? { typeId: type.id, metadata: metadataOf(type, metadata) } : { typeId: null },
      );
      await onSaved();
      onClose();
    },
  );
  return (
    <DialogForm title="Edit metadata" onClose={onClose} form={form} submitLabel="Save metadata" noValidate>
      <SelectField form={form} name="typeId" label="Document type" empty="(no type)" choices={namedChoices(types)} />
      <MetadataInputs
        type={types.find((type) => type.id === form.values.typeId)}
        values={form.values.metadata}
        onChange={(metadata) => form.set('metadata', metadata)}
        error={form.error}
        idPrefix={form.idOf('metadata')}
      />
    </DialogForm>
  );
}

/** The document page's metadata: its type's fields with their values, and the change of either. */
export function DocumentMetadata({
  document,
  onChanged,
}: {
  document: TidingsDocument;
  onChanged: () => Promise<void>;
}) {
  const { user } = useSession();
  const types = useDocumentTypes();
  const [editing, setEditing] = useState(false);
  const type = types.items?.find((candidate) => candidate.id === document.typeId);
  return (
    <section className="card" aria-labelledby="document-metadata">
      <div className="documents-section-header">
        <h2 id="document-metadata">{type ? `Metadata · ${type.name}` : 'Metadata'}</h2>
        {user && may(user, 'documents.write') && (
          <button type="button" className="button button-small" onClick={() => setEditing(true)}>
            Edit metadata
          </button>
        )}
      </div>
      {document.typeId ? (
        <Loaded what="its type" data={type} error={types.error} onRetry={types.reload}>
          {(found) => <MetadataFacts type={found} metadata={document.metadata} />}
        </Loaded>
      ) : (
        <p className="muted">
          No document type. <Link to="/documents/types">Document types</Link> give documents fields to fill in.
        </p>
      )}
      {editing && (
        <MetadataDialog
          document={document}
          types={types.items ?? []}
          onSaved={onChanged}
          onClose={() => setEditing(false)}
        />
      )}
    </section>
  );
}
