import { useState } from 'react';
import { useSignedInUser } from '../../auth/session.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { PageHeader } from '../../ui/page.js';
import { PagedTable } from '../../ui/paged-list.js';
import { may } from '../../ui/permissions.js';
import { ErrorNotice } from '../../ui/states.js';
import { useApiList, useInvalidate } from '../../ui/use-api-data.js';
import { documentTypesApi, fieldKindLabels, type DocumentType } from './document-types.api.js';
import { DocumentTypeDialog } from './document-type-dialog.js';

const describeFields = (type: DocumentType) =>
  type.fields
    .map(
      (field) => `${field.label} (${fieldKindLabels[field.kind].toLowerCase()}${field.required ? ', required' : ''})`,
    )
    .join(' · ') || '—';

/** The kinds of document and the metadata each carries; admins and records managers define them. */
export function DocumentTypesPage() {
  const user = useSignedInUser();
  const canManage = may(user, 'documents.types');
  const types = useApiList<'types', DocumentType>(documentTypesApi.listPath, 'types');
  const invalidate = useInvalidate();
  const [editing, setEditing] = useState<DocumentType | 'new' | null>(null);
  const [failure, setFailure] = useState<unknown>();
  const refresh = () => invalidate(documentTypesApi.listPath);
  return (
    <>
      <PageHeader
        title="Document types"
        description={`What kinds of document the repository holds, and the metadata each kind carries.${canManage ? '' : ' Admins and records managers change them.'}`}
        actions={
          canManage && (
            <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
              New type
            </button>
          )
        }
      />
      {failure !== undefined && <ErrorNotice error={failure} />}
      <PagedTable
        list={types}
        what="document types"
        empty={{
          title: 'No document types yet',
          hint: 'A type such as Contract gives its documents fields to fill in.',
        }}
        label="Document types"
        rowKey={(type) => type.id}
        columns={(column) => [
          { header: 'Type', className: 'strong', cell: (type) => type.name },
          { header: 'Fields', cell: describeFields },
          { header: 'Documents', numeric: true, cell: (type) => type.documentCount },
          canManage &&
            column.actions((type) => (
              <>
                <button type="button" className="button button-small" onClick={() => setEditing(type)}>
                  Edit
                </button>
                <ConfirmButton
                  label="Delete"
                  question={`Delete the type ${type.name}?`}
                  consequence="Only a type no document has can be deleted."
                  danger
                  onConfirm={async () => {
                    setFailure(undefined);
                    try {
                      await documentTypesApi.remove(type.id);
                      await refresh();
                    } catch (error) {
                      setFailure(error);
                    }
                  }}
                />
              </>
            )),
        ]}
      />
      {editing && (
        <DocumentTypeDialog
          type={editing === 'new' ? null : editing}
          onSaved={refresh}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}
