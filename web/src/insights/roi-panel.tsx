import { useState } from 'react';
import { channelLabels, channels } from '../customers/customer-vocabulary.js';
import { SelectFilter } from '../ui/filters.js';
import { DataTable } from '../ui/data-table.js';
import { Facts, type Fact } from '../ui/facts.js';
import { formatNumber } from '../ui/format.js';
import { Loaded } from '../ui/states.js';
import { useApiData } from '../ui/use-api-data.js';
import { useCurrency } from '../ui/use-currency.js';
import { formatKpiValue, insightsApi, type Roi } from './insights.api.js';
import './roi.css';

type Choice = { value: string; label: string };
type Outcomes = Roi['outcomes'];

const channelBaselines: Choice[] = channels.map((channel) => ({
  value: channel,
  label: `Every item by ${channelLabels[channel].toLowerCase()}, at today's rate`,
}));

const percent = (value: number | null) => formatKpiValue(value, 'percent');
const withRate = (count: number, rate: number | null) => `${formatNumber(count)} (${percent(rate)})`;

function useMoney() {
  const currency = useCurrency();
  return (value: number | null) => formatKpiValue(value, 'currency', currency);
}

/** A saving, or a loss when the activity cost more than its baseline. */
function Saving({ saving, savingPercent }: Pick<Roi, 'saving' | 'savingPercent'>) {
  const money = useMoney();
  if (saving === null) return <span className="muted">Nothing to compare with: the baseline sent nothing</span>;
  const share = savingPercent === null ? '' : ` (${percent(Math.abs(savingPercent))})`;
  return saving >= 0 ? (
    <strong>
      {money(saving)} saved{share}
    </strong>
  ) : (
    <strong>
      {money(-saving)} more{share}
    </strong>
  );
}

function outcomeFacts(outcomes: Outcomes, money: (value: number | null) => string): Fact[] {
  return [
    ['Made', formatNumber(outcomes.made)],
    ['Sent', formatNumber(outcomes.sent)],
    ['Delivered', withRate(outcomes.delivered, outcomes.deliveryRate)],
    ['Complaints', withRate(outcomes.complaints, outcomes.complaintRate)],
    [
      'Deflection',
      <span title="Of the communications made, the share about which the customer opened no ticket">
        {percent(outcomes.deflection)} ({formatNumber(outcomes.contacted)} raised a ticket)
      </span>,
    ],
    ['Cost', money(outcomes.cost)],
    ['Cost per communication', money(outcomes.costPerCommunication)],
  ];
}

type RecentRun = { id: string; templateName: string; versionNumber: number; createdAt: string };

/** Other recent runs to compare a run with, newest first. */
function useOtherRuns(kind: 'runs' | 'templates', id: string): Choice[] {
  const runs = useApiData<{ runs: RecentRun[] }>(kind === 'runs' ? '/api/batch-runs' : null);
  return (runs.data?.runs ?? [])
    .filter((run) => run.id !== id)
    .map((run) => ({
      value: `run:${run.id}`,
      label: `The run of ${run.templateName} v${run.versionNumber} on ${run.createdAt.slice(0, 10)}`,
    }));
}

/** "every item by letter", or the activity compared with. */
const baselineName = (baseline: Roi['baseline']) =>
  baseline.kind === 'channel'
    ? `every item by ${channelLabels[baseline.name as keyof typeof channelLabels].toLowerCase()}`
    : baseline.name;

/**
 * The return on a batch run or a template: its cost and outcomes (delivered, complaints,
 * deflection) and the saving against a baseline the reader picks: every item by one channel at
 * today's rate, or another activity (`baselines`: other runs, other versions).
 */
export function RoiPanel({
  kind,
  id,
  baselines = [],
}: {
  kind: 'runs' | 'templates';
  id: string;
  baselines?: Choice[];
}) {
  const [baseline, setBaseline] = useState('letter');
  const roi = useApiData<Roi>(insightsApi.roiPath(kind, id, baseline));
  const otherRuns = useOtherRuns(kind, id);
  const money = useMoney();
  const title = kind === 'runs' ? 'Return on this run' : 'Return on this template';
  return (
    <section className="card roi-panel" aria-labelledby={`roi-${id}`}>
      <div className="comm-card-heading">
        <h2 id={`roi-${id}`}>{title}</h2>
        <SelectFilter
          label="Compare with"
          value={baseline}
          onChange={setBaseline}
          choices={[...channelBaselines, ...baselines, ...otherRuns]}
          wide
        />
      </div>
      <Loaded what="the return" data={roi.data} error={roi.error} onRetry={roi.reload}>
        {(data) => (
          <>
            <p className="roi-saving" role="status">
              Against {baselineName(data.baseline)}: <Saving saving={data.saving} savingPercent={data.savingPercent} />
              {data.baseline.cost !== null && (
                <span className="muted">
                  {' '}
                  · {money(data.baseline.cost)} there ({money(data.baseline.costPerCommunication)} an item) against{' '}
                  {money(data.outcomes.cost)} here
                </span>
              )}
            </p>
            <Facts facts={outcomeFacts(data.outcomes, money)} label={title} className="facts roi-facts" />
            {data.baseline.outcomes && (
              <Facts
                facts={outcomeFacts(data.baseline.outcomes, money)}
                label={`${baselineName(data.baseline)}, for comparison`}
                className="facts roi-facts roi-facts-baseline"
              />
            )}
            {data.versions.length > 0 && (
              <DataTable
                label="Return per version"
                compact
                rows={data.versions}
                rowKey={(version) => version.id}
                columns={[
                  { header: 'Version', cell: (version) => `v${version.number}` },
                  { header: 'Sent', numeric: true, cell: (version) => formatNumber(version.outcomes.sent) },
                  {
                    header: 'Complaint rate',
                    numeric: true,
                    cell: (version) => percent(version.outcomes.complaintRate),
                  },
                  { header: 'Deflection', numeric: true, cell: (version) => percent(version.outcomes.deflection) },
                  { header: 'Cost', numeric: true, cell: (version) => money(version.outcomes.cost) },
                  {
                    header: 'Saving',
                    numeric: true,
                    cell: (version) => <Saving saving={version.saving} savingPercent={version.savingPercent} />,
                  },
                ]}
              />
            )}
          </>
        )}
      </Loaded>
    </section>
  );
}
