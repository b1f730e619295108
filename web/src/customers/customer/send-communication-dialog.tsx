import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { communicationsApi, newIdempotencyKey } from '../../communications/communications.api.js';
import {
  describeFields,
  parseData,
  PublishedTemplateField,
  sampleDataText,
  SendDataField,
  sendErrors,
  usePublishedVersion,
} from '../../communications/send-data.js';
import { templatesApi, type TemplateListItem } from '../../templates/templates.api.js';
import { Dialog } from '../../ui/dialog.js';
import { FormActions, FormError, submitWith, useSubmission } from '../../ui/form.js';
import { Empty, ErrorNotice, Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import type { Customer } from '../customers.api.js';
// Shares the look of the delivery screens: the JSON data field and small print.
import '../../communications/communications.css';

const fieldNames = ['template', 'data'];

function SendForm({
  customer,
  templates,
  onClose,
}: {
  customer: Customer;
  templates: TemplateListItem[];
  onClose: () => void;
}) {
  const navigate = useNavigate();
  // One key for as long as the dialog is open: a double click or a retry after a lost answer sends once.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [templateKey, setTemplateKey] = useState('');
  // The data starts as the chosen template's sample data; what the person typed is kept per template.
  const [edited, setEdited] = useState<{ templateKey: string; text: string }>();
  const template = templates.find((candidate) => candidate.key === templateKey);
  const version = usePublishedVersion(template);
  const { published } = version;
  const data = edited?.templateKey === templateKey ? edited.text : published ? sampleDataText(published) : '';
  const fields = describeFields(published);

  const submission = useSubmission(async () => {
    const communication = await communicationsApi.send(
      { template: templateKey, customerId: customer.id, data: parseData(data) },
      idempotencyKey,
    );
    navigate(`/communications/${communication.id}`);
  });
  const { errors, dataError } = sendErrors(submission.error, fieldNames);
  const loadingVersion = Boolean(template) && !published && version.error === undefined;

  const submit = submitWith(submission.run);

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Send a communication">
      <FormError message={errors.general} />
      <PublishedTemplateField
        id="send-template"
        templates={templates}
        value={templateKey}
        onChange={setTemplateKey}
        error={errors.fields.template}
        unchosen="Only published templates can be sent."
      />
      {version.error !== undefined && <ErrorNotice error={version.error} onRetry={version.reload} />}
      <SendDataField
        id="send-data"
        value={data}
        onChange={(text) => setEdited({ templateKey, text })}
        error={dataError}
        rows={8}
        disabled={!published}
        placeholder={loadingVersion ? 'Loading the template’s sample data…' : '{}'}
        hint={
          !template
            ? 'Choose a template first; its sample data fills in here.'
            : fields
              ? `The template uses ${fields}. The customer’s own fields come from their record.`
              : 'This template declares no data of its own.'
        }
      />
      <p className="muted small">
        It goes to {customer.name} on their preferred channel that they consented to, with a fallback when a channel
        fails.
      </p>
      <FormActions
        label="Send"
        busyLabel="Sending…"
        saving={submission.saving}
        disabled={!published}
        title={!templateKey ? 'Choose a template first' : undefined}
        onCancel={onClose}
      />
    </form>
  );
}

/** Sends one published template to one customer now, then opens the new communication. */
export function SendCommunicationDialog({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const templates = useApiData<{ templates: TemplateListItem[] }>(templatesApi.listPath({}));
  const published = templates.data?.templates.filter((template) => template.published);

  return (
    <Dialog title={`Send a communication to ${customer.name}`} onClose={onClose}>
      <Loaded what="templates" data={published} error={templates.error} onRetry={templates.reload}>
        {(list) =>
          list.length === 0 ? (
            <Empty title="No published template">
              A template can be sent once a reviewer approved it and it was published.
            </Empty>
          ) : (
            <SendForm customer={customer} templates={list} onClose={onClose} />
          )
        }
      </Loaded>
    </Dialog>
  );
}
