import { listOf, textOf } from '../../customers/text-lists.js';
import { choicesOf } from '../../ui/choices.js';
import { FormError, SelectField, TextField, useForm } from '../../ui/form.js';
import {
  kindLabels,
  priorityLabels,
  ticketKinds,
  ticketPriorities,
  type TicketKind,
  type TicketPriority,
} from '../ticket-vocabulary.js';
import type { Ticket, TicketChange, TicketQueue } from '../tickets.api.js';
import type { Colleague } from './use-staff.js';

/** Who works the ticket, in which queue, how urgent it is and how it is tagged; saved together. */
export function TicketProperties({
  ticket,
  queues,
  colleagues,
  onSave,
}: {
  ticket: Ticket;
  queues: TicketQueue[];
  colleagues: Colleague[];
  onSave: (change: TicketChange) => Promise<void>;
}) {
  const saved = {
    kind: ticket.kind as TicketKind,
    assigneeId: ticket.assigneeId ?? '',
    queueId: ticket.queueId ?? '',
    priority: ticket.priority as TicketPriority,
    tags: textOf(ticket.tags),
  };
  const form = useForm(saved, async (values) => {
    await onSave({
      kind: values.kind,
      assigneeId: values.assigneeId || null,
      queueId: values.queueId || null,
      priority: values.priority,
      tags: listOf(values.tags),
    });
  });
  const changed = (Object.keys(saved) as (keyof typeof saved)[]).some((name) => form.values[name] !== saved[name]);

  return (
    <section className="card" aria-labelledby="properties-heading">
      <h2 id="properties-heading">Handling</h2>
      <form className="form" onSubmit={form.submit} noValidate aria-label="Handling">
        <FormError message={form.errors.general} />
        <SelectField
          form={form}
          name="assigneeId"
          label="Assignee"
          empty="Nobody"
          choices={colleagues.map((colleague) => ({ value: colleague.id, label: colleague.name }))}
        />
        <SelectField
          form={form}
          name="queueId"
          label="Queue"
          empty="No queue"
          choices={queues.map((queue) => ({ value: queue.id, label: queue.name }))}
        />
        <div className="form-row">
          <SelectField
            form={form}
            name="priority"
            label="Priority"
            choices={choicesOf(ticketPriorities, priorityLabels)}
          />
          <SelectField form={form} name="kind" label="Kind" choices={choicesOf(ticketKinds, kindLabels)} />
        </div>
        <TextField form={form} name="tags" label="Tags" hint="Separated by commas." />
        <div className="form-actions">
          <button type="submit" className="button button-primary button-small" disabled={!changed || form.saving}>
            {form.saving ? 'Saving…' : 'Save changes'}
          </button>
        </div>
      </form>
    </section>
  );
}
