import { useNavigate } from 'react-router-dom';
import { useSignedInUser } from '../auth/session.js';
import { FormError, useSubmission } from '../ui/form.js';
import { PageHeader } from '../ui/page.js';
import { PagedTable } from '../ui/paged-list.js';
import { may } from '../ui/permissions.js';
import { messageOf, Notice } from '../ui/states.js';
import { useCursorPages } from '../ui/use-cursor-pages.js';
import { useInvalidate } from '../ui/use-api-data.js';
import { useState } from 'react';
import { recordsApi, type Batch } from './records.api.js';

export const countsText = ({ counts }: Pick<Batch, 'counts'>) =>
  `${counts.listed} listed · ${counts.destroyed} destroyed · ${counts.excluded} excluded · ${counts.held} held`;

/** Disposition batches: what the daily job listed as due, waiting for approval or approved with a certificate. */
export function DispositionPage() {
  const user = useSignedInUser();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const batches = useCursorPages<'batches', Batch>(recordsApi.batchesPath, 'batches');
  const [nothingDue, setNothingDue] = useState(false);
  const listNow = useSubmission(async () => {
    const batch = await recordsApi.listDue();
    await invalidate(recordsApi.batchesPath);
    if (batch) navigate(`/records/disposition/${batch.id}`);
    else setNothingDue(true);
  });
  return (
    <>
      <PageHeader
        title="Disposition"
        description="Every night the records whose retention has ended, and that no hold covers, are listed for a records manager's approval."
        actions={
          may(user, 'records.manage') && (
            <button type="button" className="button" disabled={listNow.saving} onClick={() => void listNow.run()}>
              List due records now
            </button>
          )
        }
      />
      <FormError message={listNow.error === undefined ? null : messageOf(listNow.error)} />
      {nothingDue && <Notice tone="info">No record is due for disposition today.</Notice>}
      <PagedTable
        list={batches}
        what="disposition batches"
        noun={['batch', 'batches']}
        empty={{
          title: 'No disposition batches yet',
          hint: 'They appear once a category keeps records for a limited time and some are due.',
        }}
        label="Disposition batches"
        rowKey={(batch) => batch.id}
        columns={(column) => [
          column.link('Batch', (batch) => ({
            to: `/records/disposition/${batch.id}`,
            label: `Batch ${batch.number}`,
            note: `Listed on ${batch.listedOn}`,
          })),
          {
            header: 'Status',
            cell: (batch) =>
              batch.status === 'approved' ? `Approved by ${batch.approvedByLabel}` : 'Awaiting approval',
          },
          { header: 'Items', cell: countsText },
          column.date('Approved', (batch) => batch.approvedAt),
        ]}
      />
    </>
  );
}
