import { useState } from 'react';
import { CommentsPanel } from '../../comments/comments-panel.js';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { customersApi, type TimelineEntry } from '../../customers/customers.api.js';
import { CustomerTimeline } from '../../customers/customer/customer-timeline.js';
import { formatDateTime } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { may } from '../../ui/permissions.js';
import { ErrorNotice, Loaded } from '../../ui/states.js';
import { useApiData, useApiList, useInvalidate } from '../../ui/use-api-data.js';
import { useCursorPages } from '../../ui/use-cursor-pages.js';
import { kindLabel, PriorityBadge, SlaTargets, TicketStatusBadge } from '../ticket-badges.js';
import { actionLabels, sourceLabels, type TicketSource } from '../ticket-vocabulary.js';
import { ticketsApi, type Ticket, type TicketChange, type TicketDetail, type TicketQueue } from '../tickets.api.js';
import { ConcernedCommunication } from './concerned-communication.js';
import { Conversation } from './conversation.js';
import { MergeDialog } from './merge-dialog.js';
import { TicketComposer } from './ticket-composer.js';
import { TicketProperties } from './ticket-properties.js';
import { useColleagues } from './use-staff.js';

/** The status changes the ticket allows now, as buttons; the server says which. */
function StatusActions({
  ticket,
  onAct,
}: {
  ticket: Ticket;
  onAct: (action: Ticket['actions'][number]) => Promise<void>;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>();
  const act = async (action: Ticket['actions'][number]) => {
    setBusy(action);
    setFailure(undefined);
    try {
      await onAct(action);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <div className="ticket-actions" role="group" aria-label="Status">
        {ticket.actions.map((action) => (
          <button
            key={action}
            type="button"
            className={action === 'resolve' ? 'button button-primary button-small' : 'button button-small'}
            disabled={busy !== null}
            onClick={() => void act(action)}
          >
            {busy === action ? 'Working…' : actionLabels[action]}
          </button>
        ))}
      </div>
      {failure !== undefined && <ErrorNotice error={failure} />}
    </>
  );
}

/** The customer's timeline beside the ticket: every touchpoint, this ticket's changes among them. */
function TimelineBeside({ customerId }: { customerId: string }) {
  const [kind, setKind] = useState('');
  const timeline = useCursorPages<'entries', TimelineEntry>(
    customersApi.timelinePath(customerId, kind || undefined),
    'entries',
  );
  return (
    <CustomerTimeline
      customerId={customerId}
      timeline={timeline}
      kind={kind}
      onKindChange={setKind}
      canWrite={false}
      onNoteAdded={timeline.reload}
    />
  );
}

function TicketView({ ticket, reload }: { ticket: TicketDetail; reload: () => Promise<void> }) {
  const user = useSignedInUser();
  const navigate = useNavigate();
  const [merging, setMerging] = useState(false);
  const queues = useApiList<'queues', TicketQueue>(ticketsApi.queuesPath, 'queues');
  const colleagues = useColleagues([
    ticket.assigneeId ? { id: ticket.assigneeId, name: ticket.assigneeName ?? '' } : null,
  ]);
  const canWork = may(user, 'tickets.work') && !ticket.mergedIntoId;
  const invalidate = useInvalidate();

  const save = async (change: TicketChange) => {
    await ticketsApi.update(ticket.id, change);
    await reload();
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/tickets">← Inbox</Link>
      </p>
      <PageHeader
        title={`#${ticket.number} ${ticket.subject}`}
        description={
          <span className="ticket-headline">
            <TicketStatusBadge status={ticket.status} />
            <PriorityBadge priority={ticket.priority} />
            <span>
              {kindLabel(ticket.kind)} from <Link to={`/customers/${ticket.customerId}`}>{ticket.customerName}</Link>
            </span>
            <span className="muted">
              by {sourceLabels[ticket.source as TicketSource] ?? ticket.source} · opened{' '}
              {formatDateTime(ticket.createdAt)}
            </span>
          </span>
        }
        actions={
          canWork && (
            <>
              <StatusActions
                ticket={ticket}
                onAct={async (action) => {
                  await ticketsApi.act(ticket.id, action);
                  await reload();
                }}
              />
              <button type="button" className="button button-small" onClick={() => setMerging(true)}>
                Merge…
              </button>
            </>
          )
        }
      />
      {ticket.mergedIntoId && (
        <div className="notice notice-info" role="status">
          Merged into <Link to={`/tickets/${ticket.mergedIntoId}`}>another ticket</Link>; its conversation continues
          there.
        </div>
      )}
      <div className="ticket-layout">
        <div className="ticket-main">
          {ticket.communication && <ConcernedCommunication concerned={ticket.communication} />}
          <section className="card" aria-labelledby="conversation-heading">
            <h2 id="conversation-heading">Conversation</h2>
            <Conversation
              ticketId={ticket.id}
              messages={ticket.messages}
              colleagues={colleagues}
              onSplit={
                canWork
                  ? async (messageId, subject) => {
                      const split = await ticketsApi.split(ticket.id, messageId, subject);
                      await reload();
                      navigate(`/tickets/${split.id}`);
                    }
                  : undefined
              }
            />
          </section>
          {canWork && (
            <TicketComposer
              ticketId={ticket.id}
              customerName={ticket.customerName}
              colleagues={colleagues}
              onReply={async (reply) => {
                await ticketsApi.reply(ticket.id, reply);
                // A reply is a communication too: the outbox and the customer's timeline move with it.
                await Promise.all([reload(), invalidate('/api/communications')]);
              }}
              onNote={async (body, mentions, attachments) => {
                await ticketsApi.addNote(ticket.id, body, mentions, attachments);
                await reload();
              }}
              onCustomerMessage={async (body) => {
                await ticketsApi.addCustomerMessage(ticket.id, body);
                await reload();
              }}
            />
          )}
        </div>
        <div className="ticket-side">
          <section className="card" aria-labelledby="sla-heading">
            <h2 id="sla-heading">Service level</h2>
            <SlaTargets ticket={ticket} />
          </section>
          {canWork && (
            <TicketProperties
              key={ticket.updatedAt}
              ticket={ticket}
              queues={queues.items ?? []}
              colleagues={colleagues}
              onSave={save}
            />
          )}
          <CommentsPanel subject={{ kind: 'ticket', id: ticket.id }} />
          <TimelineBeside customerId={ticket.customerId} />
        </div>
      </div>
      {merging && (
        <MergeDialog
          ticket={ticket}
          onClose={() => setMerging(false)}
          onMerge={async (intoTicketId) => {
            await ticketsApi.merge(ticket.id, intoTicketId);
            await reload();
            navigate(`/tickets/${intoTicketId}`);
          }}
        />
      )}
    </>
  );
}

/** /tickets/:id: the ticket, its conversation, the communication it is about and the customer's timeline. */
export function TicketPage() {
  const { id = '' } = useParams();
  const ticket = useApiData<TicketDetail>(ticketsApi.ticketPath(id));
  const invalidate = useInvalidate();
  const shown = ticket.data?.id === id ? ticket.data : undefined;
  // A change to a ticket moves the inbox and its counts, and lands on the customer's timeline.
  const reload = () =>
    invalidate('/api/tickets', shown ? customersApi.customerPath(shown.customerId) : '/api/customers');
  return (
    <Loaded what="the ticket" data={shown} error={ticket.error} onRetry={ticket.reload}>
      {(loaded) => <TicketView key={loaded.id} ticket={loaded} reload={reload} />}
    </Loaded>
  );
}
