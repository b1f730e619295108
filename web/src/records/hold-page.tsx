import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useSignedInUser } from '../auth/session.js';
import { DataTable } from '../ui/data-table.js';
import { DialogForm } from '../ui/dialog-form.js';
import { Facts } from '../ui/facts.js';
import { TextAreaField, useForm } from '../ui/form.js';
import { formatDateTime } from '../ui/format.js';
import { PageHeader } from '../ui/page.js';
import { may } from '../ui/permissions.js';
import { ErrorNotice, Loading, Notice } from '../ui/states.js';
import { useApiData, useInvalidate } from '../ui/use-api-data.js';
import { MatterExports } from './matter-exports.js';
import { coveredText } from './holds-page.js';
import { recordsApi, type Hold, type ScopeLine } from './records.api.js';
import { ScopeLinesField, scopeKindName } from './scope-lines.js';

const objectPath: Record<ScopeLine['kind'], string> = {
  customer: '/customers',
  document: '/documents',
  ticket: '/tickets',
  communication: '/communications',
};

function ReleaseDialog({ hold, onClose }: { hold: Hold; onClose: () => void }) {
  const invalidate = useInvalidate();
  const form = useForm({ reason: '' }, async ({ reason }) => {
    await recordsApi.release(hold.id, reason);
    await invalidate('/api/legal-holds');
    onClose();
  });
  return (
    <DialogForm
      title={`Release the hold for “${hold.matter}”?`}
      onClose={onClose}
      form={form}
      submitLabel="Release hold"
      busyLabel="Releasing…"
      size="small"
      intro={
        <p>
          What it covers can be deleted, disposed of and changed again unless another hold covers it. The release is
          audited with its reason.
        </p>
      }
    >
      <TextAreaField form={form} name="reason" label="Reason" required rows={3} />
    </DialogForm>
  );
}

function WidenDialog({ hold, onClose }: { hold: Hold; onClose: () => void }) {
  const invalidate = useInvalidate();
  const [scope, setScope] = useState<ScopeLine[]>([]);
  const form = useForm({}, async () => {
    await recordsApi.addScope(hold.id, scope);
    await invalidate('/api/legal-holds');
    onClose();
  });
  return (
    <DialogForm title="Add to the hold's scope" onClose={onClose} form={form} submitLabel="Add">
      <ScopeLinesField lines={scope} onChange={setScope} />
    </DialogForm>
  );
}

function HoldView({ hold }: { hold: Hold }) {
  const user = useSignedInUser();
  const [dialog, setDialog] = useState<'release' | 'widen' | null>(null);
  const manage = may(user, 'holds.manage') && hold.status === 'active';
  return (
    <>
      <PageHeader
        title={hold.matter}
        description={hold.description || 'Legal hold'}
        actions={
          manage && (
            <>
              <button type="button" className="button" onClick={() => setDialog('widen')}>
                Add to scope
              </button>
              <button type="button" className="button button-danger-quiet" onClick={() => setDialog('release')}>
                Release…
              </button>
            </>
          )
        }
      />
      {hold.status === 'released' && (
        <Notice tone="info">
          Released by {hold.releasedByLabel} on {formatDateTime(hold.releasedAt)}: {hold.releaseReason}
        </Notice>
      )}
      <section className="card" aria-labelledby="hold-facts">
        <h2 id="hold-facts">The hold</h2>
        <Facts
          facts={[
            ['Status', hold.status === 'active' ? 'Active' : 'Released'],
            ['Placed', `${formatDateTime(hold.placedAt)} by ${hold.placedByLabel}`],
            ['Covers now', coveredText(hold)],
          ]}
        />
      </section>
      <section className="card" aria-labelledby="hold-scope">
        <h2 id="hold-scope">Scope</h2>
        <DataTable
          compact
          label="Scope"
          rows={hold.scope}
          rowKey={(line) => line.id}
          columns={(column) => [
            { header: 'Kind', cell: (line) => scopeKindName[line.kind] },
            column.link('Names', (line) => ({
              to: `${objectPath[line.kind]}/${line.targetId}`,
              label: line.label,
              note: line.targetId,
            })),
            column.date('Added', (line) => line.addedAt),
          ]}
        />
      </section>
      {may(user, 'ediscovery.export') && <MatterExports hold={hold} />}
      <p>
        <Link to="/records">All legal holds</Link>
      </p>
      {dialog === 'release' && <ReleaseDialog hold={hold} onClose={() => setDialog(null)} />}
      {dialog === 'widen' && <WidenDialog hold={hold} onClose={() => setDialog(null)} />}
    </>
  );
}

/** One hold: its scope, release, and the matter's e-discovery. */
export function HoldPage() {
  const { id = '' } = useParams();
  const hold = useApiData<Hold>(recordsApi.holdPath(id));
  if (hold.data === undefined || hold.data.id !== id)
    return hold.error === undefined ? (
      <Loading what="the hold" />
    ) : (
      <ErrorNotice error={hold.error} onRetry={hold.reload} />
    );
  return <HoldView hold={hold.data} />;
}
