import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { FormError, TextAreaField, useForm } from '../ui/form.js';
import { formatDateTime } from '../ui/format.js';
import { Loaded } from '../ui/states.js';
import { useApiData, useInvalidate } from '../ui/use-api-data.js';
import { formatFileSize } from '../ui/format.js';
import { AttachmentsField } from './attachments-field.js';
import { PortalHeader } from './portal-layout.js';
import { titleOf } from './inbox-page.js';
import { usePortalMe } from './portal-session.js';
import { channelNouns, ticketKindLabels } from './portal-vocabulary.js';
import { TicketStatus } from './requests-page.js';
import { portalApi, type PortalCommunication, type PortalTicket, type PortalUpload } from './portal.api.js';

function Conversation({ ticket }: { ticket: PortalTicket }) {
  return (
    <ol className="portal-conversation" aria-label="Conversation">
      {ticket.messages.map((message) => {
        const yours = message.kind === 'customer';
        const who = yours ? 'You' : message.authorLabel;
        return (
          <li
            key={message.id}
            className={yours ? 'portal-message portal-message-yours' : 'portal-message'}
            aria-label={`${yours ? 'You' : 'Reply from ' + message.authorLabel}, ${formatDateTime(message.createdAt)}`}
          >
            <p className="portal-message-head muted small">
              <span className="strong">{who}</span> ·{' '}
              <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>
            </p>
            <p className="portal-message-body">{message.body}</p>
            {message.attachments.length > 0 && (
              <ul className="portal-files" aria-label="Files">
                {message.attachments.map((file) => (
                  <li key={file.sha256}>
                    <a href={file.url} download={file.filename}>
                      {file.filename}
                    </a>{' '}
                    <span className="muted small">{formatFileSize(file.size)}</span>
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** The letter or message a complaint is about, by its name, for a customer who may open it. */
function ConcernedItem({ id }: { id: string }) {
  const full = usePortalMe().access === 'full';
  const item = useApiData<PortalCommunication>(full ? portalApi.communicationPath(id) : null);
  if (!full) return null;
  return (
    <p>
      About{' '}
      <Link to={`/portal/inbox/${id}`}>
        {item.data ? `${channelNouns[item.data.channel]}: ${titleOf(item.data)}` : 'this item of your inbox'}
      </Link>
    </p>
  );
}

/** Writing back: a reply reopens a request that was waiting for the customer or already resolved. */
function ReplyForm({ ticket, onSent }: { ticket: PortalTicket; onSent: () => Promise<void> }) {
  const [attachments, setAttachments] = useState<PortalUpload[]>([]);
  const form = useForm({ body: '' }, async ({ body }, { reset }) => {
    await portalApi.reply(ticket.id, { body, attachments: attachments.map((file) => file.sha256) });
    reset();
    setAttachments([]);
    await onSent();
  });
  const settled = ticket.status === 'resolved' || ticket.status === 'closed';
  return (
    <form className="form card portal-card" onSubmit={form.submit} noValidate aria-label="Reply">
      <FormError message={form.errors.general} />
      <TextAreaField
        form={form}
        name="body"
        label="Your reply"
        rows={5}
        required
        hint={settled ? 'Writing back opens this request again.' : undefined}
      />
      <AttachmentsField attachments={attachments} onChange={setAttachments} />
      <button type="submit" className="button button-primary" disabled={form.saving || !form.values.body.trim()}>
        {form.saving ? 'Sending…' : 'Send reply'}
      </button>
    </form>
  );
}

export function RequestPage() {
  const { id = '' } = useParams();
  const ticket = useApiData<PortalTicket>(portalApi.ticketPath(id));
  const invalidate = useInvalidate();
  const shown = ticket.data?.id === id ? ticket.data : undefined;
  return (
    <Loaded what="the request" data={shown} error={ticket.error} onRetry={ticket.reload}>
      {(request) => (
        <>
          <PortalHeader title={request.subject}>
            <p className="portal-list-meta">
              <span>
                {ticketKindLabels[request.kind]} #{request.number}
              </span>
              <TicketStatus status={request.status} />
            </p>
            {request.communicationId && <ConcernedItem id={request.communicationId} />}
          </PortalHeader>
          <Conversation ticket={request} />
          <ReplyForm ticket={request} onSent={() => invalidate(portalApi.ticketsPath)} />
          <p>
            <Link to="/portal/requests">All requests</Link>
          </p>
        </>
      )}
    </Loaded>
  );
}
