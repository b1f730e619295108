import { useId, useRef, useState, type ChangeEvent } from 'react';
import { Field, FormError, formErrors, submitWith, useSubmission } from '../../ui/form.js';
import type { Attachment, NewReply } from '../tickets.api.js';
import { ReplyForm } from './reply-form.js';
import { AttachmentsField } from './reply-tools.js';
import type { Colleague } from './use-staff.js';

/** What is typed after an `@` up to the caret, and where the `@` stands. */
type MentionQuery = { text: string; at: number };

const mentionBefore = (text: string, caret: number): MentionQuery | null => {
  const match = /(?:^|\s)@([^\s@]*)$/u.exec(text.slice(0, caret));
  return match ? { text: match[1]!, at: caret - match[1]!.length - 1 } : null;
};

/**
 * An internal note. Typing `@` and a few letters offers the colleagues whose names match; picking one
 * writes `@Name` into the note and notifies them, unless their name is deleted from it again.
 */
function NoteForm({
  colleagues,
  onAdd,
}: {
  colleagues: Colleague[];
  onAdd: (body: string, mentions: string[], attachments: Attachment[]) => Promise<void>;
}) {
  const id = useId();
  const box = useRef<HTMLTextAreaElement>(null);
  const [body, setBody] = useState('');
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [picked, setPicked] = useState<Colleague[]>([]);
  const [query, setQuery] = useState<MentionQuery | null>(null);
  const mentioned = picked.filter((colleague) => body.includes(`@${colleague.name}`));
  const submission = useSubmission(async () => {
    await onAdd(
      body,
      mentioned.map((colleague) => colleague.id),
      attachments,
    );
    setBody('');
    setPicked([]);
    setAttachments([]);
  });
  const errors = formErrors(submission.error, ['body']);
  const suggestions = query
    ? colleagues.filter((colleague) => colleague.name.toLowerCase().includes(query.text.toLowerCase())).slice(0, 6)
    : [];

  const type = (event: ChangeEvent<HTMLTextAreaElement>) => {
    setBody(event.target.value);
    setQuery(mentionBefore(event.target.value, event.target.selectionStart));
  };
  /** Writes `@Name ` in place of what was typed after the `@` (or at the end), and puts the caret after it. */
  const mention = (colleague: Colleague) => {
    const at = query?.at ?? body.length;
    const before = at === body.length && body && !/\s$/.test(body) ? `${body} ` : body.slice(0, at);
    const after = query ? body.slice(query.at + 1 + query.text.length) : '';
    const inserted = `@${colleague.name} `;
    setBody(`${before}${inserted}${after.replace(/^ /, '')}`);
    setPicked((current) => (current.some((other) => other.id === colleague.id) ? current : [...current, colleague]));
    setQuery(null);
    const caret = before.length + inserted.length;
    requestAnimationFrame(() => {
      box.current?.focus();
      box.current?.setSelectionRange(caret, caret);
    });
  };

  return (
    <form className="form" onSubmit={submitWith(submission.run)} aria-label="Internal note">
      <FormError message={errors.general} />
      <Field
        label="Internal note"
        htmlFor={`${id}-note`}
        error={errors.fields.body}
        hint="Only staff see notes. Type @ and a name to notify a colleague."
      >
        <textarea
          ref={box}
          id={`${id}-note`}
          rows={4}
          value={body}
          onChange={type}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && query) {
              event.preventDefault();
              setQuery(null);
            }
          }}
        />
      </Field>
      {suggestions.length > 0 && (
        <ul className="picker ticket-mention-picker" aria-label="Colleagues to mention">
          {suggestions.map((colleague) => (
            <li key={colleague.id}>
              <button type="button" className="picker-option" onClick={() => mention(colleague)}>
                {colleague.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <AttachmentsField attachments={attachments} onChange={setAttachments} />
      <div className="ticket-composer-footer">
        <label className="inline-filter">
          Mention
          <select
            value=""
            onChange={(event) => {
              const colleague = colleagues.find((candidate) => candidate.id === event.target.value);
              if (colleague) mention(colleague);
            }}
          >
            <option value="">a colleague…</option>
            {colleagues.map((colleague) => (
              <option key={colleague.id} value={colleague.id}>
                {colleague.name}
              </option>
            ))}
          </select>
        </label>
        {mentioned.length > 0 && (
          <span className="muted small" role="status">
            Notifies {mentioned.map((colleague) => colleague.name).join(', ')}
          </span>
        )}
        <button
          type="submit"
          className="button button-primary button-small"
          disabled={submission.saving || body.trim() === ''}
        >
          {submission.saving ? 'Adding…' : 'Add note'}
        </button>
      </div>
    </form>
  );
}

/** What the customer said on the phone or wrote in a letter, recorded as their message. */
function CustomerMessageForm({
  customerName,
  onAdd,
}: {
  customerName: string;
  onAdd: (body: string) => Promise<void>;
}) {
  const id = useId();
  const [body, setBody] = useState('');
  const submission = useSubmission(async () => {
    await onAdd(body);
    setBody('');
  });
  const errors = formErrors(submission.error, ['body']);
  return (
    <form className="form" onSubmit={submitWith(submission.run)} aria-label="Customer message">
      <FormError message={errors.general} />
      <Field
        label={`What ${customerName} said`}
        htmlFor={`${id}-said`}
        error={errors.fields.body}
        hint="A call or a letter, in their words. A ticket waiting for the customer opens again."
      >
        <textarea id={`${id}-said`} rows={4} value={body} onChange={(event) => setBody(event.target.value)} />
      </Field>
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary button-small"
          disabled={submission.saving || body.trim() === ''}
        >
          {submission.saving ? 'Recording…' : 'Record customer message'}
        </button>
      </div>
    </form>
  );
}

type Mode = 'reply' | 'note' | 'customer';

/** Where staff add to the conversation: a public reply, an internal note, or what the customer said elsewhere. */
export function TicketComposer({
  ticketId,
  customerName,
  colleagues,
  onReply,
  onNote,
  onCustomerMessage,
}: {
  ticketId: string;
  customerName: string;
  colleagues: Colleague[];
  onReply: (reply: NewReply) => Promise<void>;
  onNote: (body: string, mentions: string[], attachments: Attachment[]) => Promise<void>;
  onCustomerMessage: (body: string) => Promise<void>;
}) {
  const [mode, setMode] = useState<Mode>('reply');
  const modes: { value: Mode; label: string }[] = [
    { value: 'reply', label: 'Reply' },
    { value: 'note', label: 'Internal note' },
    { value: 'customer', label: 'Customer message' },
  ];
  return (
    <section className="card ticket-composer" aria-labelledby="composer-heading">
      <h2 id="composer-heading">Add to the conversation</h2>
      <div className="segmented" role="group" aria-label="What to add">
        {modes.map((candidate) => (
          <button
            key={candidate.value}
            type="button"
            className="segment"
            aria-pressed={mode === candidate.value}
            onClick={() => setMode(candidate.value)}
          >
            {candidate.label}
          </button>
        ))}
      </div>
      {mode === 'reply' ? (
        <ReplyForm ticketId={ticketId} customerName={customerName} onReply={onReply} />
      ) : mode === 'note' ? (
        <NoteForm colleagues={colleagues} onAdd={onNote} />
      ) : (
        <CustomerMessageForm customerName={customerName} onAdd={onCustomerMessage} />
      )}
    </section>
  );
}
