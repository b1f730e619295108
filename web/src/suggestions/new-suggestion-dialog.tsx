import { useNavigate } from 'react-router-dom';
import { choicesIn, namedChoices, Options } from '../ui/choices.js';
import { DialogForm } from '../ui/dialog-form.js';
import { Field, SelectField, TextAreaField, TextField, useForm } from '../ui/form.js';
import { useApiData, useInvalidate } from '../ui/use-api-data.js';
import { linkKindLabels, suggestionsApi, type LinkOptions, type SuggestionLinkKind } from './suggestions.api.js';

/** Proposes a change to how work is done, optionally about one queue, template, workflow or KPI. */
export function NewSuggestionDialog({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const options = useApiData<LinkOptions>(suggestionsApi.linkOptionsPath);
  const form = useForm(
    { title: '', body: '', linkKind: '', linkId: '' },
    async ({ title, body, linkKind, linkId }) => {
      const created = await suggestionsApi.create({
        title,
        body,
        link: linkKind && linkId ? { kind: linkKind as SuggestionLinkKind, id: linkId } : null,
      });
      await invalidate('/api/suggestions');
      navigate(`/suggestions/${created.id}`);
    },
    { fields: ['title', 'body', 'link'] },
  );
  const kind = form.values.linkKind as SuggestionLinkKind | '';
  return (
    <DialogForm title="New suggestion" onClose={onClose} form={form} submitLabel="Propose" busyLabel="Proposing…">
      <TextField form={form} name="title" label="What should change" required maxLength={200} autoFocus />
      <TextAreaField form={form} name="body" label="Why, and how" rows={5} maxLength={10_000} />
      <Field label="About" htmlFor={form.idOf('linkKind')} error={form.errors.fields.link}>
        <select
          id={form.idOf('linkKind')}
          value={kind}
          onChange={(event) => {
            // A queue's id means nothing as a KPI: choosing another kind starts the choice again.
            form.set('linkKind', event.target.value);
            form.set('linkId', '');
          }}
        >
          <option value="">Nothing in particular</option>
          <Options choices={choicesIn(linkKindLabels)} />
        </select>
      </Field>
      {kind && (
        <SelectField
          form={form}
          name="linkId"
          label={linkKindLabels[kind]}
          empty="Choose…"
          required
          choices={namedChoices(options.data?.[kind] ?? [])}
        />
      )}
    </DialogForm>
  );
}
