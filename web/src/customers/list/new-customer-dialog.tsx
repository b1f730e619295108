import { DialogForm } from '../../ui/dialog-form.js';
import { choicesIn, Radios } from '../../ui/choices.js';
import { FieldGroup, SelectField, TextField, useForm } from '../../ui/form.js';
import { customersApi, type Customer } from '../customers.api.js';
import { kindLabels, lifecycleLabels, type CustomerKind, type LifecycleStage } from '../customer-vocabulary.js';
import { listOf } from '../text-lists.js';

export function NewCustomerDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (customer: Customer) => void;
}) {
  const form = useForm(
    {
      kind: 'person' as CustomerKind,
      givenName: '',
      familyName: '',
      organizationName: '',
      emails: '',
      phones: '',
      lifecycleStage: 'prospect' as LifecycleStage,
      tags: '',
    },
    async ({ kind, givenName, familyName, organizationName, emails, phones, lifecycleStage, tags }) => {
      const names =
        kind === 'person'
          ? { givenName: givenName.trim() || null, familyName: familyName.trim() || null }
          : { organizationName: organizationName.trim() || null };
      onCreated(
        await customersApi.create({
          kind,
          ...names,
          emails: listOf(emails),
          phones: listOf(phones),
          lifecycleStage,
          tags: listOf(tags),
        }),
      );
    },
  );

  return (
    <DialogForm
      title="New customer"
      onClose={onClose}
      form={form}
      submitLabel="Create customer"
      busyLabel="Creating…"
      noValidate
    >
      <FieldGroup label="Kind" error={form.errors.fields.kind}>
        <Radios
          name="new-customer-kind"
          choices={choicesIn(kindLabels)}
          value={form.values.kind}
          onChange={(kind) => form.set('kind', kind)}
        />
      </FieldGroup>
      {form.values.kind === 'person' ? (
        <div className="form-row">
          <TextField form={form} name="givenName" label="Given name" autoComplete="off" />
          <TextField form={form} name="familyName" label="Family name" autoComplete="off" />
        </div>
      ) : (
        <TextField form={form} name="organizationName" label="Organization name" autoComplete="off" />
      )}
      <div className="form-row">
        <TextField
          form={form}
          name="emails"
          label="Email"
          hint="Separate several with commas; the first is the primary address."
          type="email"
          multiple
          autoComplete="off"
        />
        <TextField form={form} name="phones" label="Phone" hint="Any common format." type="tel" autoComplete="off" />
      </div>
      <div className="form-row">
        <SelectField form={form} name="lifecycleStage" label="Lifecycle stage" choices={choicesIn(lifecycleLabels)} />
        <TextField form={form} name="tags" label="Tags" hint="Separated by commas." autoComplete="off" />
      </div>
    </DialogForm>
  );
}
