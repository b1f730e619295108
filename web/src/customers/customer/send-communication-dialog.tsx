import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { communicationsApi, newIdempotencyKey } from '../../communications/communications.api.js';
import { SendForm } from '../../communications/send-data.js';
import { templatesApi, type TemplateListItem } from '../../templates/templates.api.js';
import { Dialog } from '../../ui/dialog.js';
import { Empty, Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import type { Customer } from '../customers.api.js';
// Shares the look of the delivery screens: the JSON data field and small print.
import '../../communications/communications.css';

function SendToCustomerForm({
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
  return (
    <SendForm
      label="Send a communication"
      idPrefix="send"
      templates={templates}
      prefill
      unchosen="Only published templates can be sent."
      sharedData="The customer’s own fields come from their record."
      rows={8}
      submitLabel="Send"
      busyLabel="Sending…"
      onCancel={onClose}
      send={async (template, data) => {
        const communication = await communicationsApi.send({ template, customerId: customer.id, data }, idempotencyKey);
        navigate(`/communications/${communication.id}`);
      }}
      footnote={
        <p className="muted small">
          It goes to {customer.name} on their preferred channel that they consented to, with a fallback when a channel
          fails.
        </p>
      }
    />
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
            <SendToCustomerForm customer={customer} templates={list} onClose={onClose} />
          )
        }
      </Loaded>
    </Dialog>
  );
}
