import { useState, type FormEvent } from 'react';
import { Dialog } from '../../ui/dialog.js';
import { Field, FormError, formErrors, useSubmission } from '../../ui/form.js';
import type { AttributeDefinition, Customer, CustomerChange, PostalAddress } from '../customers.api.js';
import { problemsUnder } from '../field-problems.js';
import { listOf, textOf } from '../text-lists.js';

const fieldNames = [
  'givenName',
  'familyName',
  'organizationName',
  'emails',
  'phones',
  'fax',
  'address',
  'language',
  'timeZone',
  'externalId',
  'attributes',
];

type AddressDraft = { lines: string; postalCode: string; city: string; region: string; country: string };

const addressDraft = (address: PostalAddress | null): AddressDraft => ({
  lines: textOf(address?.lines ?? [], '\n'),
  postalCode: address?.postalCode ?? '',
  city: address?.city ?? '',
  region: address?.region ?? '',
  country: address?.country ?? '',
});

function addressOf(draft: AddressDraft): PostalAddress | null {
  if (Object.values(draft).every((value) => value.trim() === '')) return null;
  const region = draft.region.trim();
  return {
    lines: listOf(draft.lines, { commas: false }),
    postalCode: draft.postalCode.trim(),
    city: draft.city.trim(),
    ...(region && { region }),
    country: draft.country.trim().toUpperCase(),
  };
}

const orNull = (text: string) => text.trim() || null;

function AttributeInput({
  definition,
  value,
  onChange,
}: {
  definition: AttributeDefinition;
  value: string;
  onChange: (value: string) => void;
}) {
  const id = `customer-attribute-${definition.key}`;
  if (definition.type === 'choice') {
    return (
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">Not set</option>
        {definition.choices.map((choice) => (
          <option key={choice}>{choice}</option>
        ))}
      </select>
    );
  }
  const type = { text: 'text', number: 'number', date: 'date' }[definition.type];
  return <input id={id} type={type} value={value} onChange={(event) => onChange(event.target.value)} />;
}

type Props = {
  customer: Customer;
  attributes: AttributeDefinition[];
  onClose: () => void;
  onSave: (change: CustomerChange) => Promise<void>;
};

export function EditDetailsDialog({ customer, attributes, onClose, onSave }: Props) {
  const [draft, setDraft] = useState({
    givenName: customer.givenName ?? '',
    familyName: customer.familyName ?? '',
    organizationName: customer.organizationName ?? '',
    emails: textOf(customer.emails, '\n'),
    phones: textOf(customer.phones, '\n'),
    fax: customer.fax ?? '',
    language: customer.language,
    timeZone: customer.timeZone,
    externalId: customer.externalId ?? '',
  });
  const [address, setAddress] = useState(addressDraft(customer.address));
  const [attributeValues, setAttributeValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      attributes.map((definition) => [definition.key, String(customer.attributes[definition.key] ?? '')]),
    ),
  );
  const submission = useSubmission(async () => {
    const names =
      customer.kind === 'person'
        ? { givenName: orNull(draft.givenName), familyName: orNull(draft.familyName) }
        : { organizationName: orNull(draft.organizationName) };
    await onSave({
      ...names,
      emails: listOf(draft.emails),
      phones: listOf(draft.phones),
      fax: orNull(draft.fax),
      address: addressOf(address),
      language: draft.language.trim(),
      timeZone: draft.timeZone.trim(),
      externalId: orNull(draft.externalId),
      attributes: Object.fromEntries(Object.entries(attributeValues).map(([key, value]) => [key, orNull(value)])),
    });
    onClose();
  });
  const errors = formErrors(submission.error, fieldNames);
  const addressErrors = problemsUnder(submission.error, 'address');
  // A problem with the address as a whole (not one of its parts) shows under the street.
  const streetError = addressErrors.lines ?? (Object.keys(addressErrors).length ? undefined : errors.fields.address);
  const attributeErrors = problemsUnder(submission.error, 'attributes');

  const text = (name: keyof typeof draft, label: string, hint?: string) => (
    <Field label={label} htmlFor={`customer-${name}`} error={errors.fields[name]} hint={hint}>
      <input
        id={`customer-${name}`}
        value={draft[name]}
        onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}
      />
    </Field>
  );
  const addressText = (name: keyof AddressDraft, label: string) => (
    <Field label={label} htmlFor={`customer-address-${name}`} error={addressErrors[name]}>
      <input
        id={`customer-address-${name}`}
        value={address[name]}
        onChange={(event) => setAddress({ ...address, [name]: event.target.value })}
      />
    </Field>
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run();
  };

  return (
    <Dialog title={`Edit ${customer.name}`} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <FormError message={errors.general} />
        {customer.kind === 'person' ? (
          <div className="form-row">
            {text('givenName', 'Given name')}
            {text('familyName', 'Family name')}
          </div>
        ) : (
          text('organizationName', 'Organization name')
        )}
        <div className="form-row">
          <Field
            label="Emails"
            htmlFor="customer-emails"
            error={errors.fields.emails}
            hint="One per line; the first is the primary address."
          >
            <textarea
              id="customer-emails"
              rows={2}
              value={draft.emails}
              onChange={(event) => setDraft({ ...draft, emails: event.target.value })}
            />
          </Field>
          <Field
            label="Phones"
            htmlFor="customer-phones"
            error={errors.fields.phones}
            hint="One per line, any common format."
          >
            <textarea
              id="customer-phones"
              rows={2}
              value={draft.phones}
              onChange={(event) => setDraft({ ...draft, phones: event.target.value })}
            />
          </Field>
        </div>
        {text('fax', 'Fax')}
        <fieldset className="field">
          <legend>Postal address</legend>
          <div className="form">
            <Field label="Street and house number" htmlFor="customer-address-lines" error={streetError}>
              <textarea
                id="customer-address-lines"
                rows={2}
                value={address.lines}
                onChange={(event) => setAddress({ ...address, lines: event.target.value })}
              />
            </Field>
            <div className="form-row">
              {addressText('postalCode', 'Postal code')}
              {addressText('city', 'City')}
            </div>
            <div className="form-row">
              {addressText('region', 'Region')}
              {addressText('country', 'Country code')}
            </div>
          </div>
        </fieldset>
        <div className="form-row">
          {text('language', 'Language', 'A tag such as en or de-CH.')}
          {text('timeZone', 'Time zone', 'Such as Europe/Berlin.')}
        </div>
        {text('externalId', 'External ID', 'The customer number in another system.')}
        {attributes.length > 0 && (
          <fieldset className="field">
            <legend>Custom attributes</legend>
            <div className="form-row">
              {attributes.map((definition) => (
                <Field
                  key={definition.key}
                  label={definition.label}
                  htmlFor={`customer-attribute-${definition.key}`}
                  error={attributeErrors[definition.key]}
                >
                  <AttributeInput
                    definition={definition}
                    value={attributeValues[definition.key] ?? ''}
                    onChange={(value) => setAttributeValues({ ...attributeValues, [definition.key]: value })}
                  />
                </Field>
              ))}
            </div>
          </fieldset>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={submission.saving}>
            {submission.saving ? 'Saving…' : 'Save details'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
