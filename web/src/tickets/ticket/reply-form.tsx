import { useId, useRef, useState } from 'react';
import { Field, FormError, formErrors, submitWith, useSubmission } from '../../ui/form.js';
import type { Attachment, NewReply, ReplyChannel } from '../tickets.api.js';
import { ArticlePicker, AttachmentsField, CannedResponsePicker } from './reply-tools.js';

const channelChoices: { value: ReplyChannel | ''; label: string }[] = [
  { value: '', label: "The customer's preference" },
  { value: 'email', label: 'Email' },
  { value: 'letter', label: 'Letter' },
  { value: 'portal', label: 'Customer portal' },
  { value: 'sms', label: 'SMS' },
];

/**
 * A public reply: the agent's Markdown goes out as a communication in the brand layout, by the
 * channel chosen or the customer's preference, and lands in the outbox and on the timeline.
 */
export function ReplyForm({
  ticketId,
  customerName,
  onReply,
}: {
  ticketId: string;
  customerName: string;
  onReply: (reply: NewReply) => Promise<void>;
}) {
  const id = useId();
  const box = useRef<HTMLTextAreaElement>(null);
  const [body, setBody] = useState('');
  const [channel, setChannel] = useState<ReplyChannel | ''>('');
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const submission = useSubmission(async () => {
    await onReply({ body, attachments, ...(channel && { channel }) });
    setBody('');
    setAttachments([]);
  });
  const errors = formErrors(submission.error, ['body', 'channel', 'attachments']);

  /** Puts text where the caret stands (or at the end), as its own paragraph. */
  const insert = (text: string) => {
    const caret = box.current?.selectionStart ?? body.length;
    const before = body.slice(0, caret).replace(/\s*$/, '');
    const after = body.slice(caret).replace(/^\s*/, '');
    const joined = [before, text.trim(), after].filter(Boolean).join('\n\n');
    setBody(joined);
    requestAnimationFrame(() => box.current?.focus());
  };

  return (
    <form className="form" onSubmit={submitWith(submission.run)} aria-label="Reply">
      <FormError message={errors.general} />
      <Field
        label={`Reply to ${customerName}`}
        htmlFor={`${id}-reply`}
        error={errors.fields.body}
        hint="Markdown. Goes out as a communication in the brand layout; on email it answers the customer's mail."
      >
        <textarea
          ref={box}
          id={`${id}-reply`}
          rows={7}
          value={body}
          onChange={(event) => setBody(event.target.value)}
        />
      </Field>
      <div className="ticket-composer-footer">
        <CannedResponsePicker ticketId={ticketId} onInsert={insert} />
        <label className="inline-filter">
          Send by
          <select value={channel} onChange={(event) => setChannel(event.target.value as ReplyChannel | '')}>
            {channelChoices.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ArticlePicker onInsert={insert} />
      <AttachmentsField attachments={attachments} onChange={setAttachments} />
      {errors.fields.attachments && <p className="field-error">{errors.fields.attachments}</p>}
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary button-small"
          disabled={submission.saving || body.trim() === ''}
        >
          {submission.saving ? 'Sending…' : 'Send reply'}
        </button>
      </div>
    </form>
  );
}
