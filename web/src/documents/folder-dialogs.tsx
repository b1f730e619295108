import { useNavigate } from 'react-router-dom';
import { namedChoices } from '../ui/choices.js';
import { DialogForm } from '../ui/dialog-form.js';
import { SelectField, TextAreaField, TextField, useForm } from '../ui/form.js';
import { useInvalidate } from '../ui/use-api-data.js';
import { documentsApi, type Folder, type UploadedDocument } from './documents.api.js';
import { FileField, UploadProgress, useUploadProgress } from './file-upload.js';
import { folderChoices } from './folder-tree.js';
import { useDocumentTypes } from './types/document-metadata.js';
import { MetadataInputs, metadataOf, type MetadataDraft } from './types/metadata-fields.js';

/** A new folder, at the top or inside the one chosen. */
export function NewFolderDialog({
  folders,
  parentId,
  onClose,
}: {
  folders: readonly Folder[];
  parentId: string | null;
  onClose: () => void;
}) {
  const invalidate = useInvalidate();
  const navigate = useNavigate();
  const form = useForm({ name: '', parentId: parentId ?? '' }, async ({ name, parentId: parent }) => {
    const folder = await documentsApi.createFolder(name.trim(), parent || null);
    await invalidate(documentsApi.foldersPath);
    navigate(`/documents?folder=${encodeURIComponent(folder.id)}`);
    onClose();
  });
  return (
    <DialogForm title="New folder" onClose={onClose} form={form} submitLabel="Create folder" busyLabel="Creating…">
      <TextField form={form} name="name" label="Name" required autoFocus />
      <SelectField form={form} name="parentId" label="Inside" empty="(top level)" choices={folderChoices(folders)} />
    </DialogForm>
  );
}

/** What the document page hears of the upload that led to it: other documents with the same bytes. */
export type Uploaded = Pick<UploadedDocument, 'duplicates'>;

/** A new document: its file into a folder, with a title (the file's name unless given), description and tags. */
export function UploadDialog({
  folders,
  folderId,
  onClose,
}: {
  folders: readonly Folder[];
  folderId: string | null;
  onClose: () => void;
}) {
  const invalidate = useInvalidate();
  const navigate = useNavigate();
  const progress = useUploadProgress();
  const types = useDocumentTypes();
  const form = useForm(
    {
      folderId: folderId ?? '',
      title: '',
      description: '',
      tags: '',
      file: null as File | null,
      typeId: '',
      metadata: {} as MetadataDraft,
    },
    async ({ file, metadata, ...fields }) => {
      if (!file) return;
      const type = types.items?.find((candidate) => candidate.id === fields.typeId);
      const document = await progress.track((onProgress) =>
        documentsApi.upload({ ...fields, metadata: metadataOf(type, metadata), file }, onProgress),
      );
      await invalidate('/api/documents', documentsApi.foldersPath);
      const uploaded: Uploaded = { duplicates: document.duplicates };
      navigate(`/documents/${document.id}`, { state: uploaded });
    },
  );
  return (
    <DialogForm title="Upload a document" onClose={onClose} form={form} submitLabel="Upload" busyLabel="Uploading…">
      <SelectField
        form={form}
        name="folderId"
        label="Folder"
        empty="Choose a folder"
        required
        choices={folderChoices(folders)}
      />
      <FileField
        id={form.idOf('file')}
        label="File"
        required
        error={form.errors.fields.file}
        onChoose={(file) => form.set('file', file)}
      />
      <TextField form={form} name="title" label="Title" hint="The file's name when left empty." />
      <TextAreaField form={form} name="description" label="Description" rows={3} />
      <TextField form={form} name="tags" label="Tags" hint="Separated by commas: contract, 2026" />
      <SelectField
        form={form}
        name="typeId"
        label="Document type"
        empty="(no type)"
        choices={namedChoices(types.items ?? [])}
      />
      <MetadataInputs
        type={types.items?.find((type) => type.id === form.values.typeId)}
        values={form.values.metadata}
        onChange={(metadata) => form.set('metadata', metadata)}
        error={form.error}
        idPrefix={form.idOf('metadata')}
      />
      <UploadProgress sent={progress.sent} />
    </DialogForm>
  );
}
