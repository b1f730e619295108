import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Dialog } from '../../ui/dialog.js';
import { FormActions, FormError, submitWith, useSubmission } from '../../ui/form.js';
import { formatDateTime } from '../../ui/format.js';
import { messageOf } from '../../ui/states.js';
import { messageKindLabels, type TicketMessageKind } from '../ticket-vocabulary.js';
import { ticketsApi, type TicketMessage } from '../tickets.api.js';
import type { Colleague } from './use-staff.js';

/** Makes one customer message a ticket of its own, with a subject of its own if given. */
function SplitDialog({
  message,
  onSplit,
  onClose,
}: {
  message: TicketMessage;
  onSplit: (messageId: string, subject: string | undefined) => Promise<void>;
  onClose: () => void;
}) {
  const [subject, setSubject] = useState('');
  const submission = useSubmission(() => onSplit(message.id, subject.trim() || undefined));
  return (
    <Dialog title="Split into a new ticket" onClose={onClose} size="small">
      <form className="form" onSubmit={submitWith(submission.run)}>
        <p>
          The message of {formatDateTime(message.createdAt)} moves to a new ticket of the same customer; this ticket
          keeps the rest of the conversation.
        </p>
        <FormError message={submission.error === undefined ? null : messageOf(submission.error)} />
        <div className="field">
          <label htmlFor="split-subject">Subject of the new ticket</label>
          <input
            id="split-subject"
            value={subject}
            maxLength={300}
            placeholder="The same subject as this ticket"
            onChange={(event) => setSubject(event.target.value)}
          />
        </div>
        <FormActions label="Split" busyLabel="Splitting…" saving={submission.saving} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function Message({
  ticketId,
  message,
  colleagues,
  onSplit,
}: {
  ticketId: string;
  message: TicketMessage;
  colleagues: Colleague[];
  onSplit?: () => void;
}) {
  const kind = message.kind as TicketMessageKind;
  // Staff messages carry the author's sign-in, where their name reads better; a customer message
  // names the customer, and the staff member who took it down when it came by phone or letter.
  const staff = colleagues.find((colleague) => colleague.id === message.authorUserId)?.name;
  const author = kind === 'customer' ? message.authorLabel : (staff ?? message.authorLabel);
  const recordedBy = kind === 'customer' && message.authorUserId ? (staff ?? 'a colleague') : null;
  const mentioned = message.mentions.map(
    (id) => colleagues.find((colleague) => colleague.id === id)?.name ?? 'a colleague',
  );
  return (
    <li className={`ticket-message ticket-message-${kind}`} aria-label={`${messageKindLabels[kind]} by ${author}`}>
      <div className="ticket-message-head">
        <span className="badge">{messageKindLabels[kind]}</span>
        <span className="strong">{author}</span>
        <time className="muted small" dateTime={message.createdAt}>
          {formatDateTime(message.createdAt)}
        </time>
        {recordedBy && <span className="muted small">recorded by {recordedBy}</span>}
        {onSplit && (
          <button type="button" className="button button-small ticket-message-action" onClick={onSplit}>
            Split into a new ticket
          </button>
        )}
      </div>
      <p className="ticket-message-body">{message.body}</p>
      {message.attachments.length > 0 && (
        <ul className="ticket-attachment-list" aria-label="Attachments">
          {message.attachments.map((attachment) => (
            <li key={attachment.sha256}>
              <a href={ticketsApi.attachmentPath(ticketId, attachment.sha256)} download={attachment.filename}>
                {attachment.filename}
              </a>
            </li>
          ))}
        </ul>
      )}
      {message.communicationId && (
        <p className="muted small">
          Sent as <Link to={`/communications/${message.communicationId}`}>a communication</Link>
        </p>
      )}
      {mentioned.length > 0 && <p className="muted small">Notified: {mentioned.join(', ')}</p>}
    </li>
  );
}

/**
 * The conversation, oldest first: what the customer said, the public replies, and the internal notes,
 * each kind set apart so a note is never mistaken for something the customer saw.
 */
export function Conversation({
  ticketId,
  messages,
  colleagues,
  onSplit,
}: {
  ticketId: string;
  messages: TicketMessage[];
  colleagues: Colleague[];
  /** Offered on customer messages when the reader may work the ticket. */
  onSplit?: (messageId: string, subject: string | undefined) => Promise<void>;
}) {
  const [splitting, setSplitting] = useState<TicketMessage | null>(null);
  if (messages.length === 0) return <p className="muted">No message yet.</p>;
  return (
    <>
      <ol className="ticket-conversation" aria-label="Conversation">
        {messages.map((message) => (
          <Message
            key={message.id}
            ticketId={ticketId}
            message={message}
            colleagues={colleagues}
            onSplit={onSplit && message.kind === 'customer' ? () => setSplitting(message) : undefined}
          />
        ))}
      </ol>
      {splitting && onSplit && <SplitDialog message={splitting} onSplit={onSplit} onClose={() => setSplitting(null)} />}
    </>
  );
}
