import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { formatDateTime } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { Empty, Loaded, messageOf, Notice } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { LifecycleBadge, TagList } from '../customer-badges.js';
import { may } from '../../ui/permissions.js';
import type { CustomerSummary } from '../customers.api.js';
import { kindLabels } from '../customer-vocabulary.js';
import { duplicatesApi, type DuplicatePair } from './duplicates.api.js';
import { MergeDialog } from './merge-dialog.js';

function CustomerCard({ customer }: { customer: CustomerSummary }) {
  return (
    <div className="duplicate-side">
      <Link className="strong" to={`/customers/${customer.id}`}>
        {customer.name}
      </Link>
      <dl className="details details-compact">
        <dt>Kind</dt>
        <dd>{kindLabels[customer.kind]}</dd>
        <dt>Email</dt>
        <dd>{customer.emails.join(', ') || <span className="muted">—</span>}</dd>
        <dt>Phone</dt>
        <dd>{customer.phones.join(', ') || <span className="muted">—</span>}</dd>
        <dt>Stage</dt>
        <dd>
          <LifecycleBadge stage={customer.lifecycleStage} />
        </dd>
        <dt>Tags</dt>
        <dd>
          <TagList tags={customer.tags} />
        </dd>
        <dt>Created</dt>
        <dd>{formatDateTime(customer.createdAt)}</dd>
      </dl>
    </div>
  );
}

function PairCard({
  pair,
  canMerge,
  onDismiss,
  onMerge,
}: {
  pair: DuplicatePair;
  canMerge: boolean;
  onDismiss: () => Promise<void>;
  onMerge: () => void;
}) {
  const [failure, setFailure] = useState<string | null>(null);
  const [first, second] = pair.customers;
  if (!first || !second) return null;
  const dismiss = () => onDismiss().catch((error: unknown) => setFailure(messageOf(error)));
  return (
    <li className="card duplicate-pair" aria-label={`${first.name} and ${second.name}`}>
      <div className="duplicate-reasons">
        <span className="muted small">Why they look alike:</span>
        {pair.reasons.map((reason) => (
          <span key={reason} className="badge badge-warning">
            {reason}
          </span>
        ))}
      </div>
      <div className="duplicate-sides">
        <CustomerCard customer={first} />
        <CustomerCard customer={second} />
      </div>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      {canMerge && (
        <div className="form-actions">
          <button type="button" className="button button-small" onClick={() => void dismiss()}>
            Not duplicates
          </button>
          <button type="button" className="button button-small button-primary" onClick={onMerge}>
            Merge…
          </button>
        </div>
      )}
    </li>
  );
}

export function DuplicatesPage() {
  const user = useSignedInUser();
  const pairs = useApiData<{ pairs: DuplicatePair[] }>(duplicatesApi.listPath);
  const [merging, setMerging] = useState<DuplicatePair | null>(null);
  const [notice, setNotice] = useState<{ text: string; customerId: string } | null>(null);
  // A pair dismissed or merged goes at once; the list asks again for those that fill its place,
  // which among a million customers takes seconds.
  const leaveOut = (keep: (pair: DuplicatePair) => boolean) => {
    if (pairs.data) pairs.replace({ pairs: pairs.data.pairs.filter(keep) });
    pairs.reload();
  };

  return (
    <>
      <PageHeader
        title="Duplicates"
        description="Customers that share an email address or a phone number, or have similar names at the same address. Merge them, or mark them as different people."
      />
      {notice && (
        <Notice tone="success">
          <span>
            {notice.text} <Link to={`/customers/${notice.customerId}`}>Open the merged customer</Link>
          </span>
        </Notice>
      )}
      <Loaded what="likely duplicates" data={pairs.data} error={pairs.error} onRetry={pairs.reload}>
        {({ pairs: list }) =>
          list.length === 0 ? (
            <Empty title="No likely duplicates">
              Customers that share an email or phone, or look alike at one address, appear here.
            </Empty>
          ) : (
            <ul className="duplicate-list">
              {list.map((pair) => (
                <PairCard
                  key={pair.customerIds.join()}
                  pair={pair}
                  canMerge={may(user, 'customers.merge')}
                  onDismiss={async () => {
                    await duplicatesApi.dismiss(pair.customerIds);
                    leaveOut((shown) => shown.customerIds.join() !== pair.customerIds.join());
                  }}
                  onMerge={() => setMerging(pair)}
                />
              ))}
            </ul>
          )
        }
      </Loaded>
      {merging && (
        <MergeDialog
          pair={merging}
          onClose={() => setMerging(null)}
          onMerged={(survivor, otherName) => {
            setMerging(null);
            setNotice({ text: `Merged ${otherName} into ${survivor.name}.`, customerId: survivor.id });
            const merged = merging.customerIds.find((id) => id !== survivor.id);
            leaveOut((shown) => merged === undefined || !shown.customerIds.includes(merged));
          }}
        />
      )}
    </>
  );
}
