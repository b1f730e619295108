import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Radios } from '../ui/choices.js';
import { FieldGroup, FormError, SelectField, TextAreaField, TextField, useForm } from '../ui/form.js';
import { formatDateTime } from '../ui/format.js';
import { useApiData, useInvalidate } from '../ui/use-api-data.js';
import { useCursorPages } from '../ui/use-cursor-pages.js';
import { AttachmentsField } from './attachments-field.js';
import { titleOf } from './inbox-page.js';
import { PortalHeader } from './portal-layout.js';
import { usePortalMe } from './portal-session.js';
import { channelNouns } from './portal-vocabulary.js';
import {
  portalApi,
  type NewPortalTicket,
  type PortalUpload,
  type PortalCommunication,
  type PortalInboxItem,
} from './portal.api.js';

type Kind = NewPortalTicket['kind'];

const kindChoices = [
  { value: 'request' as const, label: 'A question or request' },
  { value: 'complaint' as const, label: 'A complaint' },
];

const itemLabel = (item: { channel: PortalInboxItem['channel']; sentAt: string }, title: string) =>
  `${channelNouns[item.channel]}: ${title} (${formatDateTime(item.sentAt)})`;

/**
 * The letters and messages a complaint can be about: the latest of the inbox, and the one the
 * customer came from even when it is older.
 */
function useComplaintChoices(full: boolean, chosen: string) {
  const inbox = useCursorPages<'items', PortalInboxItem>(full ? portalApi.inboxPath : null, 'items');
  const from = useApiData<PortalCommunication>(full && chosen ? portalApi.communicationPath(chosen) : null);
  const choices = (inbox.items ?? []).map((item) => ({ value: item.id, label: itemLabel(item, titleOf(item)) }));
  const cameFrom = from.data;
  if (cameFrom && cameFrom.id === chosen && !choices.some((choice) => choice.value === chosen))
    choices.unshift({
      value: cameFrom.id,
      label: itemLabel(cameFrom, titleOf(cameFrom)),
    });
  return choices;
}

/**
 * A new request or complaint. A complaint names the letter or message it is about (preselected
 * when the customer came from it); a request from a help article says which article did not help.
 */
export function NewRequestPage() {
  const me = usePortalMe();
  const full = me.access === 'full';
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const articleSlug = params.get('articleSlug') ?? undefined;
  const [kind, setKind] = useState<Kind>(full && params.get('kind') === 'complaint' ? 'complaint' : 'request');
  const [attachments, setAttachments] = useState<PortalUpload[]>([]);
  const form = useForm(
    { subject: params.get('subject') ?? '', body: '', communicationId: params.get('communicationId') ?? '' },
    async (values) => {
      const created = await portalApi.openTicket({
        kind,
        subject: values.subject.trim(),
        body: values.body,
        ...(kind === 'complaint' && values.communicationId && { communicationId: values.communicationId }),
        ...(articleSlug && { articleSlug }),
        attachments: attachments.map((file) => file.sha256),
      });
      await invalidate(portalApi.ticketsPath, '/api/portal/communications');
      navigate(`/portal/requests/${created.id}`, { state: { opened: true } });
    },
  );
  const choices = useComplaintChoices(full, form.values.communicationId);
  const complaint = kind === 'complaint';

  return (
    <div className="portal-narrow">
      <PortalHeader title={complaint ? 'Make a complaint' : 'New request'}>
        {articleSlug && <p>Tell us what the article left open; we answer you here and by your usual channel.</p>}
      </PortalHeader>
      <form className="form card portal-card" onSubmit={form.submit} noValidate aria-label="New request">
        <FormError message={form.errors.general} />
        {full && (
          <FieldGroup label="What is it?">
            <Radios name="kind" choices={kindChoices} value={kind} onChange={setKind} column />
          </FieldGroup>
        )}
        {complaint && (
          <SelectField
            form={form}
            name="communicationId"
            label="What is the complaint about?"
            empty="Nothing we sent"
            choices={choices}
            hint="The letter, email or message you are unhappy with, if any."
          />
        )}
        <TextField form={form} name="subject" label="Subject" maxLength={300} required />
        <TextAreaField
          form={form}
          name="body"
          label={complaint ? 'What went wrong?' : 'Your message'}
          rows={7}
          required
        />
        <AttachmentsField attachments={attachments} onChange={setAttachments} />
        <div className="form-actions">
          <Link to="/portal/requests" className="button">
            Cancel
          </Link>
          <button type="submit" className="button button-primary" disabled={form.saving}>
            {form.saving ? 'Sending…' : complaint ? 'Send complaint' : 'Send request'}
          </button>
        </div>
      </form>
    </div>
  );
}
