import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { formatDateTime } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { Loaded, Notice } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { may } from '../../ui/permissions.js';
import { customersApi, type AttributeDefinition, type Customer } from '../customers.api.js';
import { kindLabels } from '../customer-vocabulary.js';
import { ChannelPreferences } from './channel-preferences.js';
import { CommentsPanel } from '../../comments/comments-panel.js';
import { ConsentPanel } from './consent-panel.js';
import { ContactsPanel } from './contacts-panel.js';
import { CustomerFacts } from './customer-facts.js';
import { CustomerTimeline } from './customer-timeline.js';
import { DetailsPanel } from './details-panel.js';
import { EditDetailsDialog } from './edit-details-dialog.js';
import { ReachabilityPanel } from './reachability-panel.js';
import { SendCommunicationDialog } from './send-communication-dialog.js';
import { useCustomerRecord, type CustomerRecord } from './use-customer-record.js';

function StatusNotice({ customer }: { customer: Customer }) {
  if (customer.mergedInto) {
    return (
      <Notice tone="info">
        <span>
          Merged into <Link to={`/customers/${customer.mergedInto}`}>another customer</Link>; everything linked to this
          record moved there.
        </span>
      </Notice>
    );
  }
  if (!customer.archivedAt) return null;
  return (
    <Notice tone="info">
      Archived on {formatDateTime(customer.archivedAt)}. Nothing is sent to archived customers; restore the customer to
      change the record.
    </Notice>
  );
}

function ArchiveButton({
  customer,
  onConfirm,
}: {
  customer: Customer;
  onConfirm: (archived: boolean) => Promise<void>;
}) {
  return customer.archivedAt ? (
    <ConfirmButton
      label="Restore"
      question={`Restore ${customer.name}?`}
      consequence="The customer can be reached again and shows in lists."
      onConfirm={() => onConfirm(false)}
    />
  ) : (
    <ConfirmButton
      label="Archive"
      question={`Archive ${customer.name}?`}
      consequence="Archived customers leave the lists and receive nothing. The record and its timeline are kept; you can restore it."
      danger
      onConfirm={() => onConfirm(true)}
    />
  );
}

function CustomerView({
  customer,
  record,
  attributes,
}: {
  customer: Customer;
  record: CustomerRecord;
  attributes: AttributeDefinition[];
}) {
  const user = useSignedInUser();
  const [editing, setEditing] = useState(false);
  const [sending, setSending] = useState(false);
  const canWrite = may(user, 'customers.write');
  const editable = canWrite && !customer.archivedAt;
  // Nothing is sent to archived customers, and a merged record lives on in the one it was merged into.
  const canSend = may(user, 'communications.send') && !customer.archivedAt && !customer.mergedInto;
  const setArchived = async (archived: boolean) => {
    record.customer.replace(await (archived ? customersApi.archive(customer.id) : customersApi.restore(customer.id)));
    record.refresh();
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/customers">Customers</Link> /
      </p>
      <PageHeader
        title={customer.name}
        description={`${kindLabels[customer.kind]} · in Tidings since ${formatDateTime(customer.createdAt)}`}
        actions={
          <>
            {canSend && (
              <button type="button" className="button button-small button-primary" onClick={() => setSending(true)}>
                Send a communication
              </button>
            )}
            {may(user, 'customers.export') && (
              <a className="button button-small" href={customersApi.vcardPath(customer.id)} download>
                Download vCard
              </a>
            )}
            {canWrite && !customer.mergedInto && <ArchiveButton customer={customer} onConfirm={setArchived} />}
          </>
        }
      />
      <StatusNotice customer={customer} />
      <CustomerFacts customer={customer} editable={editable} onSave={record.save} />
      <div className="customer-layout">
        <div className="customer-main">
          <ConsentPanel
            customer={customer}
            history={record.consentHistory}
            editable={editable}
            onChanged={record.refresh}
          />
          <ReachabilityPanel verdicts={record.reachability} />
          <CustomerTimeline
            customerId={customer.id}
            timeline={record.timeline}
            kind={record.timelineKind}
            onKindChange={record.setTimelineKind}
            canWrite={canWrite}
            onNoteAdded={record.timeline.reload}
          />
        </div>
        <div className="customer-side">
          <DetailsPanel
            customer={customer}
            attributes={attributes}
            onEdit={editable ? () => setEditing(true) : undefined}
          />
          {customer.kind === 'organization' && (
            <ContactsPanel customer={customer} editable={editable} onChanged={record.customer.reload} />
          )}
          <ChannelPreferences customer={customer} editable={editable} onSave={record.save} />
          <CommentsPanel subject={{ kind: 'customer', id: customer.id }} />
        </div>
      </div>
      {editing && (
        <EditDetailsDialog
          customer={customer}
          attributes={attributes}
          onClose={() => setEditing(false)}
          onSave={record.save}
        />
      )}
      {sending && <SendCommunicationDialog customer={customer} onClose={() => setSending(false)} />}
    </>
  );
}

function CustomerRecordLoader({ id }: { id: string }) {
  const record = useCustomerRecord(id);
  const attributes = useApiData<{ attributes: AttributeDefinition[] }>(customersApi.attributesPath);
  return (
    <Loaded
      what="the customer"
      data={record.customer.data}
      error={record.customer.error}
      onRetry={record.customer.reload}
    >
      {(customer) => (
        <CustomerView customer={customer} record={record} attributes={attributes.data?.attributes ?? []} />
      )}
    </Loaded>
  );
}

export function CustomerPage() {
  const { id = '' } = useParams();
  // Another customer (say, after following a merge) starts from a clean slate: its own loading, filters and dialogs.
  return <CustomerRecordLoader key={id} id={id} />;
}
