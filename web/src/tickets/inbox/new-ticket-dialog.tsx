import { useState } from 'react';
import { communicationsApi, type Communication } from '../../communications/communications.api.js';
import { channelLabels } from '../../customers/customer-vocabulary.js';
import { listOf } from '../../customers/text-lists.js';
import { CustomerPicker, type PreviewCustomer } from '../../templates/preview/customer-picker.js';
import { choicesOf } from '../../ui/choices.js';
import { DialogForm } from '../../ui/dialog-form.js';
import { SelectField, TextAreaField, TextField, useForm } from '../../ui/form.js';
import { formatDateTime } from '../../ui/format.js';
import { useApiList } from '../../ui/use-api-data.js';
import {
  kindLabels,
  priorityLabels,
  sourceLabels,
  ticketKinds,
  ticketPriorities,
  ticketSources,
  type TicketKind,
  type TicketPriority,
  type TicketSource,
} from '../ticket-vocabulary.js';
import { ticketsApi, type Ticket, type TicketQueue } from '../tickets.api.js';

const communicationLabel = (communication: Communication) =>
  `${communication.templateName} · ${communication.channel ? channelLabels[communication.channel] : 'not routed'} · ${formatDateTime(communication.sentAt ?? communication.createdAt)}`;

/** The customer a ticket is for: found by name or email, then shown with a way to choose another. */
function CustomerField({
  customer,
  onChange,
  error,
}: {
  customer: PreviewCustomer | null;
  onChange: (customer: PreviewCustomer | null) => void;
  error?: string;
}) {
  if (!customer)
    return (
      <div className={error ? 'field field-invalid' : 'field'}>
        <CustomerPicker onPick={onChange} />
        {error && <p className="field-error">Customer {error}</p>}
      </div>
    );
  return (
    <div className="ticket-chosen">
      <span>
        Customer: <span className="strong">{customer.name}</span>
      </span>
      <button type="button" className="button button-small" onClick={() => onChange(null)}>
        Choose another
      </button>
    </div>
  );
}

/** Opens a ticket for a customer, about one of their communications when it is a complaint about one. */
export function NewTicketDialog({
  queues,
  onClose,
  onCreated,
}: {
  queues: TicketQueue[];
  onClose: () => void;
  onCreated: (ticket: Ticket) => void;
}) {
  const [customer, setCustomer] = useState<PreviewCustomer | null>(null);
  const communications = useApiList<'communications', Communication>(
    customer ? communicationsApi.listPath({ customerId: customer.id }, 50) : null,
    'communications',
  );
  const form = useForm(
    {
      kind: 'complaint' as TicketKind,
      subject: '',
      queueId: '',
      priority: 'normal' as TicketPriority,
      source: 'phone' as TicketSource,
      communicationId: '',
      message: '',
      tags: '',
    },
    async (values) => {
      onCreated(
        await ticketsApi.create({
          kind: values.kind,
          subject: values.subject,
          // An empty id is sent as such, so the server names the missing customer next to its field.
          customerId: customer?.id ?? '',
          queueId: values.queueId || undefined,
          priority: values.priority,
          source: values.source,
          communicationId: values.communicationId || undefined,
          message: values.message.trim() || undefined,
          tags: listOf(values.tags),
        }),
      );
    },
    {
      fields: ['kind', 'subject', 'customerId', 'queueId', 'priority', 'source', 'communicationId', 'message', 'tags'],
    },
  );
  const chosen = customer !== null && communications.items !== undefined;

  return (
    <DialogForm
      title="New ticket"
      onClose={onClose}
      form={form}
      submitLabel="Open ticket"
      busyLabel="Opening…"
      noValidate
    >
      <CustomerField
        customer={customer}
        onChange={(next) => {
          setCustomer(next);
          form.set('communicationId', '');
        }}
        error={form.errors.fields.customerId}
      />
      <div className="form-row">
        <SelectField form={form} name="kind" label="Kind" choices={choicesOf(ticketKinds, kindLabels)} />
        <SelectField
          form={form}
          name="priority"
          label="Priority"
          choices={choicesOf(ticketPriorities, priorityLabels)}
        />
        <SelectField form={form} name="source" label="Came in by" choices={choicesOf(ticketSources, sourceLabels)} />
      </div>
      <TextField form={form} name="subject" label="Subject" maxLength={300} required />
      <SelectField
        form={form}
        name="communicationId"
        label="About the communication"
        empty={
          !customer ? 'Choose the customer first' : chosen ? 'None in particular' : 'Loading their communications…'
        }
        choices={(communications.items ?? []).map((communication) => ({
          value: communication.id,
          label: communicationLabel(communication),
        }))}
        disabled={!chosen}
        hint="A complaint names the letter or email it is about; the ticket shows its archived copy."
      />
      <SelectField
        form={form}
        name="queueId"
        label="Queue"
        empty="No queue"
        choices={queues.map((queue) => ({ value: queue.id, label: queue.name }))}
        hint="A queue that assigns in turn gives the ticket to an available member of its team."
      />
      <TextField form={form} name="tags" label="Tags" hint="Separated by commas." />
      <TextAreaField form={form} name="message" label="What the customer said" rows={4} />
    </DialogForm>
  );
}
