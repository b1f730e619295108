import { useState } from 'react';
import { useSignedInUser } from '../auth/session.js';
import { choicesIn } from '../ui/choices.js';
import { DialogForm } from '../ui/dialog-form.js';
import { SelectField, TextAreaField, TextField, useForm } from '../ui/form.js';
import { PageHeader } from '../ui/page.js';
import { PagedTable } from '../ui/paged-list.js';
import { may } from '../ui/permissions.js';
import { useApiList, useInvalidate } from '../ui/use-api-data.js';
import { recordsApi, type Category } from './records.api.js';

type Trigger = Category['trigger'];

const triggerLabels: Record<Trigger, string> = {
  creation: 'N years from creation',
  event: 'N years from an event (e.g. contract end)',
  permanent: 'Kept permanently',
};

export const retentionText = (category: Pick<Category, 'trigger' | 'years' | 'eventField'>) =>
  category.trigger === 'permanent'
    ? 'Permanent'
    : category.trigger === 'creation'
      ? `${category.years} years from creation`
      : `${category.years} years from ${category.eventField ? `the “${category.eventField}” date` : 'the event date'}`;

function CategoryDialog({ category, onClose }: { category: Category | null; onClose: () => void }) {
  const invalidate = useInvalidate();
  const form = useForm(
    {
      name: category?.name ?? '',
      description: category?.description ?? '',
      trigger: (category?.trigger ?? 'creation') as Trigger,
      years: category?.years === null || category?.years === undefined ? '' : String(category.years),
      eventField: category?.eventField ?? '',
    },
    async ({ name, description, trigger, years, eventField }) => {
      const rule = {
        trigger,
        years: trigger === 'permanent' ? null : Number(years),
        eventField: trigger === 'event' && eventField.trim() ? eventField.trim() : null,
      };
      if (category)
        await recordsApi.updateCategory(category.id, { ...(category.builtIn ? {} : { name }), description, ...rule });
      else await recordsApi.createCategory({ name, description, ...rule });
      await invalidate(recordsApi.categoriesPath);
      onClose();
    },
  );
  const triggers = choicesIn(triggerLabels).filter((choice) => !category?.builtIn || choice.value !== 'event');
  return (
    <DialogForm
      title={category ? `Edit ${category.name}` : 'New record category'}
      onClose={onClose}
      form={form}
      submitLabel="Save"
    >
      <TextField form={form} name="name" label="Name" required disabled={category?.builtIn} />
      <TextAreaField form={form} name="description" label="Description" rows={2} />
      <SelectField form={form} name="trigger" label="Retention" choices={triggers} />
      {form.values.trigger !== 'permanent' && (
        <TextField form={form} name="years" label="Years" type="number" min={0} max={200} required />
      )}
      {form.values.trigger === 'event' && (
        <TextField
          form={form}
          name="eventField"
          label="Event date from the metadata field"
          hint="A date field of the document's type, such as “end”; leave empty to set each record's event date by hand."
        />
      )}
    </DialogForm>
  );
}

/** Record categories and their retention rules; the built-in one holds every archived communication. */
export function CategoriesPage() {
  const user = useSignedInUser();
  const canManage = may(user, 'records.manage');
  const categories = useApiList<'categories', Category>(recordsApi.categoriesPath, 'categories');
  const [editing, setEditing] = useState<Category | 'new' | null>(null);
  return (
    <>
      <PageHeader
        title="Record categories"
        description="How long each kind of record is kept. A changed rule applies to the category's records at once."
        actions={
          canManage && (
            <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
              New category
            </button>
          )
        }
      />
      <PagedTable
        list={categories}
        what="record categories"
        empty={{ title: 'No categories yet' }}
        label="Record categories"
        rowKey={(category) => category.id}
        columns={(column) => [
          { header: 'Category', className: 'strong', cell: (category) => category.name },
          { header: 'Retention', cell: retentionText },
          { header: 'Records', numeric: true, cell: (category) => category.records },
          { header: 'Description', cell: (category) => category.description || '—' },
          canManage &&
            column.actions((category) => (
              <button type="button" className="button button-small" onClick={() => setEditing(category)}>
                Edit
              </button>
            )),
        ]}
      />
      {editing && <CategoryDialog category={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}
