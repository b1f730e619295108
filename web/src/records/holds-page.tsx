import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useSignedInUser } from '../auth/session.js';
import { DialogForm } from '../ui/dialog-form.js';
import { TextAreaField, TextField, useForm } from '../ui/form.js';
import { PageHeader } from '../ui/page.js';
import { PagedTable } from '../ui/paged-list.js';
import { may } from '../ui/permissions.js';
import { useCursorPages } from '../ui/use-cursor-pages.js';
import { useInvalidate } from '../ui/use-api-data.js';
import { recordsApi, type HoldSummary, type ScopeLine } from './records.api.js';
import { ScopeLinesField } from './scope-lines.js';

export const coveredText = ({ covered }: Pick<HoldSummary, 'covered'>) =>
  `${covered.customers} customers · ${covered.documents} documents · ${covered.tickets} tickets · ${covered.communications} communications`;

function PlaceHoldDialog({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const [scope, setScope] = useState<ScopeLine[]>([]);
  const form = useForm({ matter: '', description: '' }, async ({ matter, description }) => {
    const hold = await recordsApi.place({ matter, description, scope });
    await invalidate('/api/legal-holds');
    navigate(`/records/holds/${hold.id}`);
  });
  return (
    <DialogForm
      title="Place a legal hold"
      onClose={onClose}
      form={form}
      submitLabel="Place hold"
      busyLabel="Placing…"
      intro={<p>While it stands, nothing in its scope can be deleted, disposed of, merged away or changed.</p>}
    >
      <TextField form={form} name="matter" label="Matter" required maxLength={200} />
      <TextAreaField form={form} name="description" label="Description" rows={3} />
      <ScopeLinesField lines={scope} onChange={setScope} />
    </DialogForm>
  );
}

/** Legal holds, newest first; records managers place new ones. */
export function HoldsPage() {
  const user = useSignedInUser();
  const [placing, setPlacing] = useState(false);
  const holds = useCursorPages<'holds', HoldSummary>(recordsApi.holdsPath(), 'holds');
  return (
    <>
      <PageHeader
        title="Legal holds"
        description="A hold keeps everything about a matter: customers, their communications and archived copies, tickets and documents."
        actions={
          may(user, 'holds.manage') && (
            <button type="button" className="button button-primary" onClick={() => setPlacing(true)}>
              Place hold
            </button>
          )
        }
      />
      <PagedTable
        list={holds}
        what="legal holds"
        noun={['hold', 'holds']}
        empty={{ title: 'No legal holds', hint: 'Place one when a matter needs its records kept.' }}
        label="Legal holds"
        rowKey={(hold) => hold.id}
        columns={(column) => [
          column.link('Matter', (hold) => ({
            to: `/records/holds/${hold.id}`,
            label: hold.matter,
            note: hold.description,
          })),
          {
            header: 'Status',
            cell: (hold) => (
              <span className={hold.status === 'active' ? 'status records-held' : 'status status-off'}>
                {hold.status === 'active' ? 'Active' : 'Released'}
              </span>
            ),
          },
          { header: 'Covers', cell: coveredText },
          column.date('Placed', (hold) => hold.placedAt),
          column.date('Released', (hold) => hold.releasedAt),
        ]}
      />
      {placing && <PlaceHoldDialog onClose={() => setPlacing(false)} />}
    </>
  );
}
