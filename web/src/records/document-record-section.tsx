import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useSignedInUser } from '../auth/session.js';
import { namedChoices } from '../ui/choices.js';
import { DialogForm } from '../ui/dialog-form.js';
import { Facts, type Fact } from '../ui/facts.js';
import { SelectField, TextField, useForm } from '../ui/form.js';
import { formatDateTime } from '../ui/format.js';
import { may } from '../ui/permissions.js';
import { Loaded } from '../ui/states.js';
import { useApiData, useApiList, useInvalidate } from '../ui/use-api-data.js';
import { retentionText } from './categories-page.js';
import { recordsApi, type Category, type DocumentRecordStatus } from './records.api.js';

function DeclareDialog({
  documentId,
  onClose,
  onDone,
}: {
  documentId: string;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const categories = useApiList<'categories', Category>(recordsApi.categoriesPath, 'categories');
  const choices = (categories.items ?? []).filter((category) => !category.builtIn);
  const form = useForm({ categoryId: '', eventDate: '' }, async ({ categoryId, eventDate }) => {
    await recordsApi.declare(documentId, categoryId, eventDate || null);
    await onDone();
    onClose();
  });
  const chosen = choices.find((category) => category.id === form.values.categoryId);
  return (
    <DialogForm
      title="Declare a record"
      onClose={onClose}
      form={form}
      submitLabel="Declare record"
      intro={
        <p>A record&apos;s content and metadata can no longer change; it is disposed of when its retention ends.</p>
      }
    >
      <SelectField
        form={form}
        name="categoryId"
        label="Category"
        empty="Choose a category"
        required
        choices={namedChoices(choices)}
      />
      {chosen && <p className="muted">{retentionText(chosen)}</p>}
      {chosen?.trigger === 'event' && (
        <TextField
          form={form}
          name="eventDate"
          label="Event date"
          type="date"
          hint="Leave empty when it is not known yet."
        />
      )}
    </DialogForm>
  );
}

/** What the record section says of a document: whether it is a record, until when it is kept, its disposal and holds. */
function recordFacts(data: DocumentRecordStatus): Fact[] {
  const facts: Fact[] = [
    [
      'Record',
      data.record
        ? `${data.record.category.name}, declared ${formatDateTime(String(data.record.declaredAt))}`
        : 'Not a record',
    ],
  ];
  if (data.record) {
    if (data.record.eventDate) facts.push(['Event date', data.record.eventDate]);
    facts.push([
      'Retained until',
      data.record.retainUntil ??
        (data.record.category.trigger === 'permanent' ? 'Permanently' : 'Its event date is not set'),
    ]);
  }
  if (data.disposal)
    facts.push([
      'Disposed',
      <Link key="batch" to={`/records/disposition/${data.disposal.batchId}`}>
        Batch {data.disposal.batchNumber}
      </Link>,
    ]);
  facts.push([
    'Legal holds',
    !data.held
      ? 'None'
      : data.holds.length
        ? data.holds.map((hold, index) => (
            <span key={hold.id}>
              {index > 0 && ', '}
              <Link to={`/records/holds/${hold.id}`}>{hold.matter}</Link>
            </span>
          ))
        : 'Under legal hold',
  ]);
  return facts;
}

/**
 * A document's record status, retention and holds, on its page; records managers declare it a record.
 * The card is there from the start, so the sections below it do not move when the status arrives.
 */
export function DocumentRecordSection({
  documentId,
  onChanged,
}: {
  documentId: string;
  onChanged: () => Promise<void>;
}) {
  const user = useSignedInUser();
  const invalidate = useInvalidate();
  const status = useApiData<DocumentRecordStatus>(recordsApi.recordPath(documentId));
  const [declaring, setDeclaring] = useState(false);
  const refresh = async () => {
    await invalidate(recordsApi.recordPath(documentId));
    await onChanged();
  };
  return (
    <section className="card records-record-section" aria-labelledby="document-record">
      <h2 id="document-record">Record and holds</h2>
      <Loaded what="the record status" data={status.data} error={status.error} onRetry={status.reload}>
        {(data) => (
          <>
            <Facts facts={recordFacts(data)} />
            {data.status === 'active' && may(user, 'records.manage') && (
              <button type="button" className="button button-small" onClick={() => setDeclaring(true)}>
                Declare record…
              </button>
            )}
          </>
        )}
      </Loaded>
      {declaring && <DeclareDialog documentId={documentId} onClose={() => setDeclaring(false)} onDone={refresh} />}
    </section>
  );
}
