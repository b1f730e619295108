import { DialogForm } from '../../ui/dialog-form.js';
import { Field, TextAreaField, TextField, useForm } from '../../ui/form.js';
import type { AttributeDefinition, Customer, CustomerChange, PostalAddress } from '../customers.api.js';
import { problemsUnder } from '../field-problems.js';
import { listOf, textOf } from '../text-lists.js';

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
  const form = useForm(
    {
      givenName: customer.givenName ?? '',
      familyName: customer.familyName ?? '',
      organizationName: customer.organizationName ?? '',
      emails: textOf(customer.emails, '\n'),
      phones: textOf(customer.phones, '\n'),
      fax: customer.fax ?? '',
      language: customer.language,
      timeZone: customer.timeZone,
      externalId: customer.externalId ?? '',
      address: addressDraft(customer.address),
      attributes: Object.fromEntries(
        attributes.map((definition) => [definition.key, String(customer.attributes[definition.key] ?? '')]),
      ),
    },
    async (draft) => {
      const names =
        customer.kind === 'person'
          ? { givenName: orNull(draft.givenName), familyName: orNull(draft.familyName) }
          : { organizationName: orNull(draft.organizationName) };
      await onSave({
        ...names,
        emails: listOf(draft.emails),
        phones: listOf(draft.phones),
        fax: orNull(draft.fax),
        address: addressOf(draft.address),
        language: draft.language.trim(),
        timeZone: draft.timeZone.trim(),
        externalId: orNull(draft.externalId),
        attributes: Object.fromEntries(Object.entries(draft.attributes).map(([key, value]) => [key, orNull(value)])),
      });
      onClose();
    },
  );
  const { address } = form.values;
  const addressErrors = problemsUnder(form.error, 'address');
  // A problem with the address as a whole (not one of its parts) shows under the street.
  const streetError =
    addressErrors.lines ?? (Object.keys(addressErrors).length ? undefined : form.errors.fields.address);
  const attributeErrors = problemsUnder(form.error, 'attributes');
  const addressText = (name: keyof AddressDraft, label: string) => (
    <Field label={label} htmlFor={form.idOf(`address-${name}`)} error={addressErrors[name]}>
      <input
        id={form.idOf(`address-${name}`)}
        value={address[name]}
        onChange={(event) => form.set('address', { ...address, [name]: event.target.value })}
      />
    </Field>
  );

  return (
    <DialogForm title={`Edit ${customer.name}`} onClose={onClose} form={form} submitLabel="Save details" noValidate>
      {customer.kind === 'person' ? (
        <div className="form-row">
          <TextField form={form} name="givenName" label="Given name" />
          <TextField form={form} name="familyName" label="Family name" />
        </div>
      ) : (
        <TextField form={form} name="organizationName" label="Organization name" />
      )}
      <div className="form-row">
        <TextAreaField
          form={form}
          name="emails"
          label="Emails"
          hint="One per line; the first is the primary address."
          rows={2}
        />
        <TextAreaField form={form} name="phones" label="Phones" hint="One per line, any common format." rows={2} />
      </div>
      <TextField form={form} name="fax" label="Fax" />
      <fieldset className="field">
        <legend>Postal address</legend>
        <div className="form">
          <Field label="Street and house number" htmlFor={form.idOf('address-lines')} error={streetError}>
            <textarea
              id={form.idOf('address-lines')}
              rows={2}
              value={address.lines}
              onChange={(event) => form.set('address', { ...address, lines: event.target.value })}
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
        <TextField form={form} name="language" label="Language" hint="A tag such as en or de-CH." />
        <TextField form={form} name="timeZone" label="Time zone" hint="Such as Europe/Berlin." />
      </div>
      <TextField form={form} name="externalId" label="External ID" hint="The customer number in another system." />
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
                  value={form.values.attributes[definition.key] ?? ''}
                  onChange={(value) => form.set('attributes', { ...form.values.attributes, [definition.key]: value })}
                />
              </Field>
            ))}
          </div>
        </fieldset>
      )}
    </DialogForm>
  );
}
