import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useSession } from '../auth/session.js';
import { DataTable, orDash } from '../ui/data-table.js';
import { namedChoices } from '../ui/choices.js';
import { FilterBar, UrlSelectFilter, UrlTextFilter } from '../ui/filters.js';
import { PageHeader, PrimaryAction } from '../ui/page.js';
import { PagedList } from '../ui/paged-list.js';
import { may } from '../ui/permissions.js';
import { ErrorNotice } from '../ui/states.js';
import { useApiList } from '../ui/use-api-data.js';
import { useCursorPages } from '../ui/use-cursor-pages.js';
import { useDebouncedValue } from '../ui/use-debounced-value.js';
import { documentsApi, type DocumentSummary, type Folder } from './documents.api.js';
import { formatSize, lockText } from './documents-format.js';
import { NewFolderDialog, UploadDialog } from './folder-dialogs.js';
import { FolderTree } from './folder-tree.js';
import { PermissionsDialog } from './permissions-dialog.js';
import { useDocumentTypes } from './types/document-metadata.js';
import type { DocumentType } from './types/document-types.api.js';
import { metadataText } from './types/metadata-fields.js';
import { NetworkDriveHint } from './network-drive.js';
import { SearchBox } from '../search/search-page.js';

/** The first few fields of a type, as columns of its documents' list. */
const MAX_FIELD_COLUMNS = 4;

function DocumentList({
  folderId,
  q,
  typeId,
  type,
}: {
  folderId: string | null;
  q: string;
  typeId: string | null;
  type?: DocumentType;
}) {
  const list = useCursorPages<'documents', DocumentSummary>(
    documentsApi.listPath({ folderId: folderId ?? undefined, q: q || undefined, typeId: typeId ?? undefined }),
    'documents',
  );
  return (
    <PagedList
      list={list}
      what="documents"
      noun={['document', 'documents']}
      empty={
        q
          ? { title: `No document title contains “${q}”` }
          : { title: 'No documents here yet', hint: 'Upload one, or choose another folder.' }
      }
    >
      {(items) => (
        <DataTable
          label="Documents"
          rows={items}
          rowKey={(document) => document.id}
          columns={(column) => [
            column.link('Document', (document) => ({
              to: `/documents/${document.id}`,
              label: document.title,
              note: document.currentVersion.filename,
            })),
            ...(type?.fields.slice(0, MAX_FIELD_COLUMNS) ?? []).map((field) => ({
              header: field.label,
              cell: (document: DocumentSummary) => metadataText(field, document.metadata[field.key]),
            })),
            { header: 'Version', className: 'nowrap', cell: (document) => document.currentVersion.label },
            { header: 'Size', numeric: true, cell: (document) => formatSize(document.currentVersion.size) },
            { header: 'Tags', cell: (document) => orDash(document.tags.join(', ')) },
            { header: 'Lock', cell: (document) => orDash(document.lock && lockText(document.lock)) },
            column.date('Updated', (document) => document.updatedAt),
          ]}
        />
      )}
    </PagedList>
  );
}

/** The repository: the folder tree beside the chosen folder's documents, with upload and new folder. */
export function DocumentsPage() {
  const [params] = useSearchParams();
  const folderId = params.get('folder');
  const q = useDebouncedValue((params.get('q') ?? '').trim(), 250);
  const folders = useApiList<'folders', Folder>(documentsApi.foldersPath, 'folders');
  const types = useDocumentTypes();
  const typeId = params.get('type');
  const { user } = useSession();
  const [dialog, setDialog] = useState<'upload' | 'folder' | 'permissions' | null>(null);
  const folder = folders.items?.find((candidate) => candidate.id === folderId);
  const close = () => setDialog(null);
  return (
    <>
      <PageHeader
        title="Documents"
        description="Files in folders, each change a version. Check a document out to change it without anyone else doing the same."
        actions={
          <>
            {user && may(user, 'documents.write') && (
              <button type="button" className="button" onClick={() => setDialog('folder')}>
                New folder
              </button>
            )}
            {folder && (
              <button type="button" className="button" onClick={() => setDialog('permissions')}>
                Folder permissions
              </button>
            )}
            <PrimaryAction permission="documents.write" onClick={() => setDialog('upload')}>
              Upload
            </PrimaryAction>
          </>
        }
      />
      <div className="documents-layout">
        <aside>
          <SearchBox label="Search the text of documents" />
          {folders.error !== undefined && <ErrorNotice error={folders.error} onRetry={folders.reload} />}
          <FolderTree folders={folders.items ?? []} selected={folderId} />
          <NetworkDriveHint folders={folders.items ?? []} folderId={folderId} />
        </aside>
        <div>
          <FilterBar label="Find documents">
            <UrlTextFilter name="q" label="Title" placeholder="Words in the title" wide />
            <UrlSelectFilter name="type" label="Type" any="Any type" choices={namedChoices(types.items ?? [])} />
          </FilterBar>
          <DocumentList
            folderId={folderId}
            q={q}
            typeId={typeId}
            type={types.items?.find((type) => type.id === typeId)}
          />
        </div>
      </div>
      {dialog === 'folder' && <NewFolderDialog folders={folders.items ?? []} parentId={folderId} onClose={close} />}
      {dialog === 'permissions' && folder && (
        <PermissionsDialog target={{ kind: 'folder', id: folder.id, name: folder.name }} onClose={close} />
      )}
      {dialog === 'upload' && <UploadDialog folders={folders.items ?? []} folderId={folderId} onClose={close} />}
    </>
  );
}
