import { DialogForm } from '../ui/dialog-form.js';
import { SelectField, TextAreaField, TextField, useForm } from '../ui/form.js';
import { useApiData } from '../ui/use-api-data.js';
import { announcementsApi, type AnnouncementDetail } from './announcements.api.js';

type Named = { id: string; name: string };

/**
 * Drafts an announcement to one team or everyone, with an optional mailing of a published template
 * to a segment; given a draft, edits it instead.
 */
export function AnnouncementDialog({
  draft,
  onClose,
  onSaved,
}: {
  draft?: AnnouncementDetail;
  onClose: () => void;
  onSaved: (announcement: AnnouncementDetail) => void;
}) {
  const teams = useApiData<{ teams: Named[] }>('/api/teams');
  const segments = useApiData<{ segments: Named[] }>('/api/segments');
  const form = useForm(
    {
      title: draft?.title ?? '',
      body: draft?.body ?? '',
      teamId: draft?.teamIds[0] ?? '',
      segmentId: draft?.segmentId ?? '',
      template: draft?.templateKey ?? '',
      data: JSON.stringify(draft?.customerData ?? {}),
    },
    async (values) => {
      const data = values.segmentId ? (JSON.parse(values.data || '{}') as Record<string, unknown>) : undefined;
      const input = {
        title: values.title,
        body: values.body,
        teamIds: values.teamId ? [values.teamId] : [],
        customerMailing: values.segmentId
          ? { segmentId: values.segmentId, template: values.template, data }
          : undefined,
      };
      onSaved(
        draft
          ? await announcementsApi.update(draft.id, { ...input, customerMailing: input.customerMailing ?? null })
          : await announcementsApi.create(input),
      );
    },
    { fields: ['title', 'body', 'teamIds', 'customerMailing'] },
  );
  return (
    <DialogForm
      title={draft ? 'Edit the draft' : 'New announcement'}
      onClose={onClose}
      form={form}
      submitLabel="Save draft"
    >
      <TextField form={form} name="title" label="Title" required />
      <TextAreaField form={form} name="body" label="What changes" rows={5} required />
      <SelectField
        form={form}
        name="teamId"
        label="Told to"
        empty="Everyone on staff"
        choices={(teams.data?.teams ?? []).map((team) => ({ value: team.id, label: team.name }))}
      />
      <SelectField
        form={form}
        name="segmentId"
        label="Customer mailing to segment"
        empty="No customer mailing"
        choices={(segments.data?.segments ?? []).map((segment) => ({ value: segment.id, label: segment.name }))}
      />
      {form.values.segmentId && (
        <>
          <TextField form={form} name="template" label="Template key" hint="A published template" required />
          <TextAreaField form={form} name="data" label="Template data (JSON)" rows={3} />
        </>
      )}
    </DialogForm>
  );
}
