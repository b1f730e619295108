import { DialogForm } from '../ui/dialog-form.js';
import { SelectField, TextAreaField, TextField, useForm } from '../ui/form.js';
import { documentsApi, type Folder, type TidingsDocument } from './documents.api.js';
import { folderChoices } from './folder-tree.js';

/** A document's title, description, tags and folder. */
export function DocumentDetailsDialog({
  document,
  folders,
  onSaved,
  onClose,
}: {
  document: TidingsDocument;
  folders: readonly Folder[];
  onSaved: () => Promise<void>;
  onClose: () => void;
}) {
  const form = useForm(
    {
      title: document.title,
      description: document.description ?? '',
      tags: document.tags.join(', '),
      folderId: document.folderId,
    },
    async ({ title, description, tags, folderId }) => {
      await documentsApi.update(document.id, {
        title: title.trim(),
        description: description.trim(),
        tags: tags
          .split(',')
          .map((tag) => tag.trim())
          .filter(Boolean),
        folderId,
      });
      await onSaved();
      onClose();
    },
  );
  return (
    <DialogForm title="Edit details" onClose={onClose} form={form} submitLabel="Save">
      <TextField form={form} name="title" label="Title" required />
      <TextAreaField form={form} name="description" label="Description" rows={3} />
      <TextField form={form} name="tags" label="Tags" hint="Separated by commas." />
      <SelectField form={form} name="folderId" label="Folder" choices={folderChoices(folders)} />
    </DialogForm>
  );
}
