import { useState } from 'react';
import { formatDateTime } from '../../ui/format.js';
import { DataTable, orDash } from '../../ui/data-table.js';
import { Loaded } from '../../ui/states.js';
import type { ApiData } from '../../ui/use-api-data.js';
import type { ConsentEvent, ConsentState, Customer } from '../customers.api.js';
import {
  channelLabels,
  channels,
  consentSourceLabels,
  purposeHints,
  purposeLabels,
  purposes,
  type Channel,
  type ConsentSource,
  type Purpose,
} from '../customer-vocabulary.js';
import { ConsentDialog } from './consent-dialog.js';

const sourceLabel = (source: string) => consentSourceLabels[source as ConsentSource] ?? source;

function ConsentCell({
  state,
  label,
  onOpen,
}: {
  state: ConsentState | undefined;
  label: string;
  onOpen?: () => void;
}) {
  const status = state ? (state.granted ? 'Granted' : 'Withdrawn') : 'Not recorded';
  // The label is read before the visible text, so the accessible name contains what is shown.
  const content = (
    <>
      <span className="visually-hidden">{label}: </span>
      <span className="consent-status">{status}</span>
      {state && (
        <span className="consent-meta">
          {sourceLabel(state.source)} · {formatDateTime(state.at)}
        </span>
      )}
    </>
  );
  const className = `consent-cell consent-${state ? (state.granted ? 'granted' : 'withdrawn') : 'none'}`;
  return onOpen ? (
    <button type="button" className={className} onClick={onOpen}>
      {content}
    </button>
  ) : (
    <div className={className}>{content}</div>
  );
}

function ConsentHistory({ history }: { history: ApiData<{ events: ConsentEvent[] }> }) {
  return (
    <details className="consent-history">
      <summary>Consent history{history.data && ` (${history.data.events.length})`}</summary>
      <Loaded what="consent history" data={history.data} error={history.error} onRetry={history.reload}>
        {({ events }) =>
          events.length === 0 ? (
            <p className="muted">No consent has been recorded for this customer.</p>
          ) : (
            <DataTable
              compact
              rows={events}
              rowKey={(event) => event.id}
              columns={(column) => [
                column.date('When', (event) => event.at),
                {
                  header: 'Consent',
                  className: 'nowrap',
                  cell: (event) => `${purposeLabels[event.purpose]} · ${channelLabels[event.channel]}`,
                },
                {
                  header: 'Change',
                  cell: (event) =>
                    event.granted ? (
                      <span className="status status-ok">Granted</span>
                    ) : (
                      <span className="status status-withdrawn">Withdrawn</span>
                    ),
                },
                { header: 'Source', cell: (event) => sourceLabel(event.source) },
                { header: 'Recorded by', cell: (event) => event.recordedBy },
                { header: 'Note', cell: (event) => orDash(event.note) },
              ]}
            />
          )
        }
      </Loaded>
    </details>
  );
}

type Props = {
  customer: Customer;
  history: ApiData<{ events: ConsentEvent[] }>;
  editable: boolean;
  onChanged: () => void;
};

/** Consent per channel and purpose as it stands now, each cell opening the grant-or-withdraw dialog. */
export function ConsentPanel({ customer, history, editable, onChanged }: Props) {
  const [open, setOpen] = useState<{ channel: Channel; purpose: Purpose } | null>(null);
  const stateOf = (channel: Channel, purpose: Purpose) =>
    customer.consents.find((consent) => consent.channel === channel && consent.purpose === purpose);
  return (
    <section className="card" aria-labelledby="consent-heading">
      <div className="card-header">
        <h2 id="consent-heading">Consent</h2>
        <span className="muted small">Marketing needs a granted consent; other messages may go unless withdrawn.</span>
      </div>
      <table className="consent-matrix">
        <thead>
          <tr>
            <th scope="col">Channel</th>
            {purposes.map((purpose) => (
              <th key={purpose} scope="col" title={purposeHints[purpose]}>
                {purposeLabels[purpose]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {channels.map((channel) => (
            <tr key={channel}>
              <th scope="row">{channelLabels[channel]}</th>
              {purposes.map((purpose) => (
                <td key={purpose}>
                  <ConsentCell
                    state={stateOf(channel, purpose)}
                    label={`${purposeLabels[purpose]} consent for ${channelLabels[channel]}`}
                    onOpen={editable ? () => setOpen({ channel, purpose }) : undefined}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <ConsentHistory history={history} />
      {open && (
        <ConsentDialog
          customerId={customer.id}
          channel={open.channel}
          purpose={open.purpose}
          current={stateOf(open.channel, open.purpose)}
          onClose={() => setOpen(null)}
          onRecorded={() => {
            setOpen(null);
            onChanged();
          }}
        />
      )}
    </section>
  );
}
