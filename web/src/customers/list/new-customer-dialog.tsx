import { useState, type FormEvent } from 'react';
import { Dialog } from '../../ui/dialog.js';
import { Field, FieldGroup, FormError, formErrors, useSubmission } from '../../ui/form.js';
import { customersApi, type Customer } from '../customers.api.js';
import {
  customerKinds,
  kindLabels,
  lifecycleLabels,
  lifecycleStages,
  type CustomerKind,
  type LifecycleStage,
} from '../customer-vocabulary.js';
import { listOf } from '../text-lists.js';

const fieldNames = [
  'kind',
  'givenName',
  'familyName',
  'organizationName',
  'emails',
  'phones',
  'lifecycleStage',
  'tags',
];

export function NewCustomerDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (customer: Customer) => void;
}) {
  const [kind, setKind] = useState<CustomerKind>('person');
  const [givenName, setGivenName] = useState('');
  const [familyName, setFamilyName] = useState('');
  const [organizationName, setOrganizationName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [lifecycleStage, setLifecycleStage] = useState<LifecycleStage>('prospect');
  const [tags, setTags] = useState('');
  const submission = useSubmission(async () => {
    const names =
      kind === 'person'
        ? { givenName: givenName.trim() || null, familyName: familyName.trim() || null }
        : { organizationName: organizationName.trim() || null };
    const created = await customersApi.create({
      kind,
      ...names,
      emails: listOf(email),
      phones: listOf(phone),
      lifecycleStage,
      tags: listOf(tags),
    });
    onCreated(created);
  });
  const errors = formErrors(submission.error, fieldNames);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run();
  };

  return (
    <Dialog title="New customer" onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <FormError message={errors.general} />
        <FieldGroup label="Kind" error={errors.fields.kind}>
          <div className="choice-row">
            {customerKinds.map((option) => (
              <label key={option} className="checkbox">
                <input
                  type="radio"
                  name="new-customer-kind"
                  value={option}
                  checked={kind === option}
                  onChange={() => setKind(option)}
                />
                {kindLabels[option]}
              </label>
            ))}
          </div>
        </FieldGroup>
        {kind === 'person' ? (
          <div className="form-row">
            <Field label="Given name" htmlFor="new-customer-given-name" error={errors.fields.givenName}>
              <input
                id="new-customer-given-name"
                autoComplete="off"
                value={givenName}
                onChange={(event) => setGivenName(event.target.value)}
              />
            </Field>
            <Field label="Family name" htmlFor="new-customer-family-name" error={errors.fields.familyName}>
              <input
                id="new-customer-family-name"
                autoComplete="off"
                value={familyName}
                onChange={(event) => setFamilyName(event.target.value)}
              />
            </Field>
          </div>
        ) : (
          <Field label="Organization name" htmlFor="new-customer-organization" error={errors.fields.organizationName}>
            <input
              id="new-customer-organization"
              autoComplete="off"
              value={organizationName}
              onChange={(event) => setOrganizationName(event.target.value)}
            />
          </Field>
        )}
        <div className="form-row">
          <Field
            label="Email"
            htmlFor="new-customer-email"
            error={errors.fields.emails}
            hint="Separate several with commas; the first is the primary address."
          >
            <input
              id="new-customer-email"
              type="email"
              multiple
              autoComplete="off"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          </Field>
          <Field label="Phone" htmlFor="new-customer-phone" error={errors.fields.phones} hint="Any common format.">
            <input
              id="new-customer-phone"
              type="tel"
              autoComplete="off"
              value={phone}
              onChange={(event) => setPhone(event.target.value)}
            />
          </Field>
        </div>
        <div className="form-row">
          <Field label="Lifecycle stage" htmlFor="new-customer-lifecycle" error={errors.fields.lifecycleStage}>
            <select
              id="new-customer-lifecycle"
              value={lifecycleStage}
              onChange={(event) => setLifecycleStage(event.target.value as LifecycleStage)}
            >
              {lifecycleStages.map((stage) => (
                <option key={stage} value={stage}>
                  {lifecycleLabels[stage]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Tags" htmlFor="new-customer-tags" error={errors.fields.tags} hint="Separated by commas.">
            <input
              id="new-customer-tags"
              autoComplete="off"
              value={tags}
              onChange={(event) => setTags(event.target.value)}
            />
          </Field>
        </div>
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={submission.saving}>
            {submission.saving ? 'Creating…' : 'Create customer'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
