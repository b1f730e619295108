import { Segmented } from '../../ui/segmented.js';
import { useState } from 'react';
import { ErrorNotice } from '../../ui/states.js';
import { useApiRead } from '../../ui/use-api-data.js';
import { useDebouncedValue } from '../../ui/use-debounced-value.js';
import { channels } from '../template-vocabulary.js';
import type { CustomerPreview, RenderFailure } from '../templates.api.js';
import { ChannelCard } from './channel-previews.js';
import { CustomerPicker, type PreviewCustomer } from './customer-picker.js';

export type RenderPreview = (target: { customerId?: string }) => Promise<{ previews: CustomerPreview[] }>;

/**
 * The template on every channel, for the sample customers or one real customer. It renders again
 * (debounced) whenever `contentKey` changes; answers to older requests are dropped.
 */
export function LivePreview({
  contentKey,
  render,
  onShowError,
  idle,
}: {
  contentKey: string | null;
  render: RenderPreview;
  onShowError?: (error: RenderFailure) => void;
  idle?: string;
}) {
  const [customer, setCustomer] = useState<PreviewCustomer | null>(null);
  const [choosing, setChoosing] = useState(false);
  const [shown, setShown] = useState(0);
  const requestKey = contentKey === null ? null : `${customer?.id ?? 'samples'}|${contentKey}`;
  const settledKey = useDebouncedValue(requestKey, 500);
  // Renderings of earlier drafts are let go soon: each holds every channel, PDFs included.
  const outcome = useApiRead(
    settledKey === null ? null : ['template-preview', settledKey],
    () => render({ customerId: settledKey!.startsWith('samples|') ? undefined : settledKey!.split('|', 1)[0] }),
    { keepFor: 30_000 },
  );
  const answered = outcome.data !== undefined || outcome.error !== undefined;
  const updating = requestKey !== null && (settledKey !== requestKey || outcome.stale || !answered);
  const previews = outcome.data?.previews ?? null;
  const preview = previews?.[Math.min(shown, previews.length - 1)];

  const pick = (picked: PreviewCustomer) => {
    setCustomer(picked);
    setChoosing(false);
    setShown(0);
  };

  return (
    <section className="card live-preview" aria-label="Preview" aria-busy={updating}>
      <div className="card-heading">
        <h2>Preview</h2>
        {updating && (
          <span className="muted small" role="status">
            <span className="spinner spinner-inline" aria-hidden="true" /> Updating…
          </span>
        )}
      </div>
      <div className="preview-target">
        <span className="muted small">For</span>
        {customer ? (
          <span className="chip">
            {customer.name}
            <button
              type="button"
              className="chip-remove"
              aria-label="Back to the sample customers"
              onClick={() => setCustomer(null)}
            >
              ×
            </button>
          </span>
        ) : (
          <span className="chip">Sample customers</span>
        )}
        <button
          type="button"
          className="button button-small"
          aria-expanded={choosing}
          onClick={() => setChoosing(!choosing)}
        >
          Preview for a customer
        </button>
      </div>
      {choosing && <CustomerPicker onPick={pick} />}
      {requestKey === null && <p className="muted">{idle ?? 'Write something in a channel to see it here.'}</p>}
      {outcome.error !== undefined && <ErrorNotice error={outcome.error} />}
      {previews && previews.length > 1 && (
        <Segmented
          label="Sample customers"
          tabs
          className="segmented segmented-small"
          choices={previews.map((candidate, index) => ({ value: index, label: candidate.customer.name }))}
          value={shown}
          onChange={setShown}
        />
      )}
      {requestKey !== null && preview && (
        <div className={updating ? 'preview-channels preview-stale' : 'preview-channels'}>
          <p className="muted small">
            {preview.customer.name} · in {preview.language}
          </p>
          {preview.channels.length === 0 && <p className="muted">This language has no channel yet.</p>}
          {[...preview.channels]
            .sort((a, b) => channels.indexOf(a.channel) - channels.indexOf(b.channel))
            .map((channel) => (
              <ChannelCard
                key={channel.channel}
                outcome={channel}
                recipient={preview.customer.name}
                onShowError={onShowError}
              />
            ))}
        </div>
      )}
      {requestKey !== null && !answered && <p className="muted">Rendering…</p>}
    </section>
  );
}
