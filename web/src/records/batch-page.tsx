import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useSignedInUser } from '../auth/session.js';
import { ConfirmButton } from '../ui/confirm-button.js';
import { DialogForm } from '../ui/dialog-form.js';
import { TextAreaField, useForm } from '../ui/form.js';
import { PageHeader } from '../ui/page.js';
import { PagedTable } from '../ui/paged-list.js';
import { may } from '../ui/permissions.js';
import { ErrorNotice, Loading } from '../ui/states.js';
import { useApiData, useInvalidate } from '../ui/use-api-data.js';
import { useCursorPages } from '../ui/use-cursor-pages.js';
import { countsText } from './disposition-page.js';
import { recordsApi, type Batch, type BatchItem } from './records.api.js';

const outcomeLabels: Record<BatchItem['status'], string> = {
  listed: 'Listed',
  excluded: 'Excluded',
  held: 'Kept: under hold',
  destroyed: 'Destroyed',
};

function ExcludeDialog({ batch, item, onClose }: { batch: Batch; item: BatchItem; onClose: () => void }) {
  const invalidate = useInvalidate();
  const form = useForm({ reason: '' }, async ({ reason }) => {
    await recordsApi.exclude(batch.id, item, reason);
    await invalidate(recordsApi.batchPath(batch.id));
    onClose();
  });
  return (
    <DialogForm title={`Keep “${item.title}”?`} onClose={onClose} form={form} submitLabel="Exclude" size="small">
      <TextAreaField form={form} name="reason" label="Reason" required rows={3} />
    </DialogForm>
  );
}

function BatchView({ batch }: { batch: Batch }) {
  const user = useSignedInUser();
  const invalidate = useInvalidate();
  const items = useCursorPages<'items', BatchItem>(recordsApi.itemsPath(batch.id), 'items');
  const [excluding, setExcluding] = useState<BatchItem | null>(null);
  const deciding = batch.status === 'awaiting_approval' && may(user, 'records.manage');
  return (
    <>
      <PageHeader
        title={`Disposition batch ${batch.number}`}
        description={`Listed on ${batch.listedOn} · ${countsText(batch)}`}
        actions={
          <>
            {batch.status === 'approved' && (
              <>
                <a className="button" href={recordsApi.certificatePath(batch.id, 'pdf')} download>
                  Certificate (PDF)
                </a>
                <a className="button" href={recordsApi.certificatePath(batch.id, 'json')} download>
                  Certificate (JSON)
                </a>
              </>
            )}
            {deciding && (
              <ConfirmButton
                label="Approve disposition"
                question={`Destroy the ${batch.counts.listed} listed records?`}
                consequence="Their content is deleted (bytes another live object shares stay); anything a hold covers by then is kept. A certificate remains."
                danger
                onConfirm={async () => {
                  await recordsApi.approve(batch.id);
                  await invalidate(recordsApi.batchPath(batch.id), recordsApi.batchesPath);
                }}
              />
            )}
          </>
        }
      />
      <PagedTable
        list={items}
        what="listed records"
        noun={['record', 'records']}
        empty={{ title: 'Nothing listed' }}
        label="Listed records"
        rowKey={(item) => `${item.objectType}:${item.objectId}`}
        columns={(column) => [
          column.link('Record', (item) => ({
            to: item.objectType === 'document' ? `/documents/${item.objectId}` : `/communications/${item.objectId}`,
            label: item.title,
            note: `${item.objectType} · ${item.categoryName}`,
          })),
          { header: 'Retained until', className: 'nowrap', cell: (item) => item.retainUntil },
          {
            header: 'Outcome',
            cell: (item) =>
              `${outcomeLabels[item.status]}${item.reason ? `: ${item.reason}` : ''}${item.heldBy ? ` (${item.heldBy.map((hold) => hold.matter).join(', ')})` : ''}`,
          },
          {
            header: 'Content',
            cell: (item) =>
              item.destroyed?.map((content) => (
                <div key={content.sha256}>
                  <code>{content.sha256.slice(0, 16)}…</code> {content.blobDeleted ? 'deleted' : 'kept (shared)'}
                </div>
              )) ?? '—',
          },
          deciding &&
            column.actions((item) =>
              item.status === 'listed' ? (
                <button type="button" className="button button-small" onClick={() => setExcluding(item)}>
                  Exclude…
                </button>
              ) : null,
            ),
        ]}
      />
      <p>
        <Link to="/records/disposition">All batches</Link>
      </p>
      {excluding && <ExcludeDialog batch={batch} item={excluding} onClose={() => setExcluding(null)} />}
    </>
  );
}

/** One disposition batch: its records, exclusions, approval and certificate. */
export function BatchPage() {
  const { id = '' } = useParams();
  const batch = useApiData<Batch>(recordsApi.batchPath(id));
  if (batch.data === undefined || batch.data.id !== id)
    return batch.error === undefined ? (
      <Loading what="the batch" />
    ) : (
      <ErrorNotice error={batch.error} onRetry={batch.reload} />
    );
  return <BatchView batch={batch.data} />;
}
