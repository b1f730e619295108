import { useState } from 'react';
import { Dialog } from '../../ui/dialog.js';
import { FormActions, FormError, submitWith, useSubmission } from '../../ui/form.js';
import { formatDateTime } from '../../ui/format.js';
import { Empty, Loaded, messageOf } from '../../ui/states.js';
import { useApiList } from '../../ui/use-api-data.js';
import { TicketStatusBadge } from '../ticket-badges.js';
import { ticketsApi, type Ticket } from '../tickets.api.js';

/** Merges this ticket into another of the same customer: its messages move there and it closes. */
export function MergeDialog({
  ticket,
  onMerge,
  onClose,
}: {
  ticket: Ticket;
  onMerge: (intoTicketId: string) => Promise<void>;
  onClose: () => void;
}) {
  const others = useApiList<'tickets', Ticket>(
    ticketsApi.listPath({ view: 'all', customerId: ticket.customerId }),
    'tickets',
  );
  const [into, setInto] = useState('');
  const submission = useSubmission(() => onMerge(into));
  const candidates = others.items?.filter((other) => other.id !== ticket.id && !other.mergedIntoId);

  return (
    <Dialog title={`Merge ticket #${ticket.number}`} onClose={onClose}>
      <Loaded what="the customer’s tickets" data={candidates} error={others.error} onRetry={others.reload}>
        {(list) =>
          list.length === 0 ? (
            <Empty title="No other ticket of this customer">Only tickets of {ticket.customerName} can be merged.</Empty>
          ) : (
            <form className="form" onSubmit={submitWith(submission.run)}>
              <p>
                The conversation of #{ticket.number} moves to the ticket you choose, and #{ticket.number} is closed as
                merged.
              </p>
              <FormError message={submission.error === undefined ? null : messageOf(submission.error)} />
              <fieldset className="field">
                <legend>Merge into</legend>
                <ul className="plain-list ticket-merge-choices">
                  {list.map((other) => (
                    <li key={other.id}>
                      <label className="checkbox">
                        <input
                          type="radio"
                          name="merge-into"
                          value={other.id}
                          checked={into === other.id}
                          onChange={() => setInto(other.id)}
                        />
                        #{other.number} {other.subject} <TicketStatusBadge status={other.status} />
                        <span className="muted small">{formatDateTime(other.createdAt)}</span>
                      </label>
                    </li>
                  ))}
                </ul>
              </fieldset>
              <FormActions
                label="Merge"
                busyLabel="Merging…"
                saving={submission.saving}
                disabled={!into}
                title={into ? undefined : 'Choose the ticket to merge into first'}
                onCancel={onClose}
              />
            </form>
          )
        }
      </Loaded>
    </Dialog>
  );
}
