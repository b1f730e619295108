import { useState, type ReactNode } from 'react';
import { orDash } from '../../ui/data-table.js';
import { Dialog } from '../../ui/dialog.js';
import { Facts } from '../../ui/facts.js';
import { FieldGroup, FormActions, FormError, useSubmission } from '../../ui/form.js';
import { formatNumber } from '../../ui/format.js';
import { ErrorNotice, Loading, messageOf } from '../../ui/states.js';
import { useApiRead } from '../../ui/use-api-data.js';
import type { Customer, PostalAddress, QuietHours } from '../customers.api.js';
import { channelLabels, type Channel } from '../customer-vocabulary.js';
import { duplicatesApi, type DuplicatePair, type MergePreview } from './duplicates.api.js';

const listed = (value: unknown) => (Array.isArray(value) && value.length ? value.join(', ') : undefined);
const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);

/** The merged record's fields in words, as the survivor will hold them. */
function resultRows(preview: MergePreview): [string, ReactNode][] {
  const { result, survivor } = preview;
  const address = result.address as PostalAddress | null;
  const quietHours = result.quietHours as QuietHours | null;
  const name =
    survivor.kind === 'organization'
      ? text(result.organizationName)
      : [text(result.givenName), text(result.familyName)].filter(Boolean).join(' ') || undefined;
  const attributes = Object.entries((result.attributes ?? {}) as Record<string, unknown>).map(
    ([key, value]) => `${key}: ${String(value)}`,
  );
  return [
    ['Name', name],
    ['Emails', listed(result.emails)],
    ['Phones', listed(result.phones)],
    ['Fax', text(result.fax)],
    [
      'Address',
      address
        ? [...address.lines, `${address.postalCode} ${address.city}`.trim(), address.country].join(', ')
        : undefined,
    ],
    ['Tags', listed(result.tags)],
    ['External ID', text(result.externalId)],
    [
      'Channel preferences',
      listed(((result.channelPreferences ?? []) as Channel[]).map((channel) => channelLabels[channel])),
    ],
    ['Quiet hours', quietHours ? `${quietHours.start}–${quietHours.end}` : undefined],
    ['Custom attributes', attributes.length ? attributes.join('; ') : undefined],
  ];
}

function PreviewDetails({ preview }: { preview: MergePreview }) {
  return (
    <>
      <h3 className="dialog-section">The merged customer</h3>
      <Facts
        facts={resultRows(preview).map(([label, value]) => [label, orDash(value)])}
        className="details details-compact"
        itemClassName="details-row"
      />
      <h3 className="dialog-section">What moves to {preview.survivor.name}</h3>
      <ul className="plain-list">
        {preview.moves.map((move) => (
          <li key={move.label}>
            <strong>{formatNumber(move.count)}</strong> {move.label}
          </li>
        ))}
      </ul>
      <p className="muted small">{preview.other.name} is then archived and marked as merged; links to it lead here.</p>
    </>
  );
}

type Props = { pair: DuplicatePair; onClose: () => void; onMerged: (survivor: Customer, otherName: string) => void };

/** Previews a merge for the survivor the user picks, then merges on confirmation. */
export function MergeDialog({ pair, onClose, onMerged }: Props) {
  const [survivorId, setSurvivorId] = useState(pair.customerIds[0]);
  const otherId = pair.customerIds[0] === survivorId ? pair.customerIds[1] : pair.customerIds[0];
  const preview = useApiRead(['merge-preview', survivorId, otherId], () => duplicatesApi.preview(survivorId, otherId));
  // The preview for the survivor chosen before is not this one's.
  const asked = !preview.stale && (preview.data !== undefined || preview.error !== undefined);
  const shown = asked ? { preview: preview.data, error: preview.error } : undefined;
  const submission = useSubmission(async () => {
    const merged = await duplicatesApi.merge(survivorId, otherId);
    onMerged(merged.customer, shown?.preview?.other.name ?? 'the duplicate');
  });

  return (
    <Dialog title="Merge customers" onClose={onClose}>
      <div className="form">
        <FieldGroup label="Which record survives?">
          <div className="choice-column">
            {pair.customers.map((customer) => (
              <label key={customer.id} className="checkbox">
                <input
                  type="radio"
                  name="merge-survivor"
                  checked={survivorId === customer.id}
                  onChange={() => setSurvivorId(customer.id)}
                />
                Keep {customer.name}{' '}
                <span className="muted">({customer.emails[0] ?? customer.phones[0] ?? 'no email or phone'})</span>
              </label>
            ))}
          </div>
        </FieldGroup>
        {shown?.error !== undefined && <ErrorNotice error={shown.error} />}
        {shown?.preview ? <PreviewDetails preview={shown.preview} /> : !shown && <Loading what="the merge preview" />}
        <FormError message={submission.error === undefined ? null : messageOf(submission.error)} />
        <FormActions
          label={`Merge into ${shown?.preview?.survivor.name ?? '…'}`}
          busyLabel="Merging…"
          saving={submission.saving}
          disabled={!shown?.preview}
          onConfirm={() => void submission.run()}
          onCancel={onClose}
        />
      </div>
    </Dialog>
  );
}
