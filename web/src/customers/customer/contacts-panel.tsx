import { useState, type FormEvent } from 'react';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { Dialog } from '../../ui/dialog.js';
import { Field, FormError, formErrors, useSubmission } from '../../ui/form.js';
import { customersApi, type Contact, type Customer } from '../customers.api.js';

function AddContactDialog({
  customerId,
  onClose,
  onAdded,
}: {
  customerId: string;
  onClose: () => void;
  onAdded: () => void;
}) {
  const [contact, setContact] = useState({ name: '', role: '', email: '', phone: '', primary: false });
  const submission = useSubmission(async () => {
    const optional = (text: string) => text.trim() || undefined;
    await customersApi.addContact(customerId, {
      name: contact.name.trim(),
      role: optional(contact.role),
      email: optional(contact.email),
      phone: optional(contact.phone),
      primary: contact.primary,
    });
    onAdded();
  });
  const errors = formErrors(submission.error, ['name', 'role', 'email', 'phone']);
  const text = (name: 'name' | 'role' | 'email' | 'phone', label: string, type = 'text') => (
    <Field label={label} htmlFor={`contact-${name}`} error={errors.fields[name]}>
      <input
        id={`contact-${name}`}
        type={type}
        autoComplete="off"
        value={contact[name]}
        onChange={(event) => setContact({ ...contact, [name]: event.target.value })}
      />
    </Field>
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run();
  };
  return (
    <Dialog title="Add a contact person" onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <FormError message={errors.general} />
        <div className="form-row">
          {text('name', 'Name')}
          {text('role', 'Role')}
        </div>
        <div className="form-row">
          {text('email', 'Email', 'email')}
          {text('phone', 'Phone', 'tel')}
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={contact.primary}
            onChange={(event) => setContact({ ...contact, primary: event.target.checked })}
          />
          Primary contact
        </label>
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={submission.saving}>
            {submission.saving ? 'Adding…' : 'Add contact'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function ContactItem({
  contact,
  editable,
  onRemove,
}: {
  contact: Contact;
  editable: boolean;
  onRemove: () => Promise<void>;
}) {
  const reach = [contact.email, contact.phone].filter(Boolean).join(' · ');
  return (
    <li className="contact">
      <div>
        <div className="strong">
          {contact.name}
          {contact.primary && <span className="tag">primary</span>}
        </div>
        {contact.role && <div className="muted">{contact.role}</div>}
        {reach && <div>{reach}</div>}
      </div>
      {editable && (
        <ConfirmButton
          label="Remove"
          question={`Remove ${contact.name}?`}
          consequence="They are no longer listed as a contact person of this organization."
          danger
          onConfirm={onRemove}
        />
      )}
    </li>
  );
}

export function ContactsPanel({
  customer,
  editable,
  onChanged,
}: {
  customer: Customer;
  editable: boolean;
  onChanged: () => void;
}) {
  const [adding, setAdding] = useState(false);
  const remove = async (contact: Contact) => {
    await customersApi.removeContact(customer.id, contact.id);
    onChanged();
  };
  return (
    <section className="card" aria-labelledby="contacts-heading">
      <div className="card-header">
        <h2 id="contacts-heading">Contact persons</h2>
        {editable && (
          <button type="button" className="button button-small" onClick={() => setAdding(true)}>
            Add contact
          </button>
        )}
      </div>
      {customer.contacts.length === 0 ? (
        <p className="muted">Nobody yet. Add the people you deal with at {customer.name}.</p>
      ) : (
        <ul className="contacts">
          {customer.contacts.map((contact) => (
            <ContactItem key={contact.id} contact={contact} editable={editable} onRemove={() => remove(contact)} />
          ))}
        </ul>
      )}
      {adding && (
        <AddContactDialog
          customerId={customer.id}
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            onChanged();
          }}
        />
      )}
    </section>
  );
}
