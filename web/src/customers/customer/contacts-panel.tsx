import { useState } from 'react';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { DialogForm } from '../../ui/dialog-form.js';
import { TextField, useForm } from '../../ui/form.js';
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
  const form = useForm({ name: '', role: '', email: '', phone: '', primary: false }, async (contact) => {
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
  return (
    <DialogForm
      title="Add a contact person"
      onClose={onClose}
      form={form}
      submitLabel="Add contact"
      busyLabel="Adding…"
      noValidate
    >
      <div className="form-row">
        <TextField form={form} name="name" label="Name" autoComplete="off" />
        <TextField form={form} name="role" label="Role" autoComplete="off" />
      </div>
      <div className="form-row">
        <TextField form={form} name="email" label="Email" type="email" autoComplete="off" />
        <TextField form={form} name="phone" label="Phone" type="tel" autoComplete="off" />
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={form.values.primary}
          onChange={(event) => form.set('primary', event.target.checked)}
        />
        Primary contact
      </label>
    </DialogForm>
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
