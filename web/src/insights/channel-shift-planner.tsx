import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useSignedInUser } from '../auth/session.js';
import { DataTable } from '../ui/data-table.js';
import { formatDateTime, formatMoney, formatNumber } from '../ui/format.js';
import { RunButton, useSubmission } from '../ui/form.js';
import { PageHeader } from '../ui/page.js';
import { may } from '../ui/permissions.js';
import { ErrorNotice, Loaded } from '../ui/states.js';
import { useCurrency } from '../ui/use-currency.js';
import { useApiData } from '../ui/use-api-data.js';
import {
  channelShiftApi,
  type ChannelShiftListItem,
  type ChannelShiftPlan,
  type ShiftTarget,
} from './channel-shift.api.js';

const targets: { value: ShiftTarget; label: string }[] = [
  { value: 'email', label: 'Email' },
  { value: 'portal', label: 'Customer portal' },
];

function Plan({ plan, canStart }: { plan: ChannelShiftPlan; canStart: boolean }) {
  const currency = useCurrency();
  const navigate = useNavigate();
  const start = useSubmission(async () => {
    const shift = await channelShiftApi.start({ segmentId: plan.segment.id, target: plan.target });
    navigate(`/insights/channel-shift/${shift.id}`);
  });
  return (
    <section className="card" aria-label="Saving per year">
      <h2>
        Saving per year: <span className="strong">{formatMoney(plan.savingMillicents, currency)}</span>
      </h2>
      <p className="muted">
        {formatNumber(plan.customers)} customers of {plan.segment.name} are reached by letter ({plan.byChannel.letter})
        or fax ({plan.byChannel.fax}); {formatNumber(plan.items)} items from {formatDateTime(plan.since)} to today, at
        today’s rates.
      </p>
      <DataTable
        label="Items and cost by channel"
        compact
        rows={plan.lines}
        rowKey={(line) => line.channel}
        columns={[
          { header: 'Channel now', cell: (line) => line.channel },
          { header: 'Items a year', numeric: true, cell: (line) => formatNumber(line.items) },
          { header: 'Rate', numeric: true, cell: (line) => formatMoney(line.rateMillicents, currency) },
          { header: 'Cost a year', numeric: true, cell: (line) => formatMoney(line.costMillicents, currency) },
          { header: 'Saving a year', numeric: true, cell: (line) => formatMoney(line.savingMillicents, currency) },
        ]}
      />
      <p>
        Today {formatMoney(plan.currentCostMillicents, currency)} a year; by {plan.target}{' '}
        {formatMoney(plan.newCostMillicents, currency)} ({formatMoney(plan.targetRateMillicents, currency)} an item).
      </p>
      {start.error !== undefined && <ErrorNotice error={start.error} />}
      {canStart && (
        <RunButton
          submission={start}
          label="Start the change"
          busyLabel="Starting…"
          primary
          disabled={plan.customers === 0}
          title={plan.customers === 0 ? 'No customer of this segment is reached by letter or fax' : undefined}
        />
      )}
      {canStart && (
        <p className="small muted">
          Starting drafts an announcement to staff with a request to these customers, on their own channel, to choose{' '}
          {plan.target} in the portal; publish it from its page.
        </p>
      )}
    </section>
  );
}

/** The channel-shift planner: pick a segment and a target, see the yearly saving, start the change. */
export function ChannelShiftPlanner() {
  const user = useSignedInUser();
  const [segmentId, setSegmentId] = useState('');
  const [target, setTarget] = useState<ShiftTarget>('email');
  const segments = useApiData<{ segments: { id: string; name: string }[] }>('/api/segments');
  const plan = useApiData<ChannelShiftPlan>(segmentId ? channelShiftApi.planPath(segmentId, target) : null);
  const shifts = useApiData<{ shifts: ChannelShiftListItem[] }>(channelShiftApi.listPath);
  const currency = useCurrency();
  return (
    <>
      <PageHeader
        title="Channel-shift planner"
        description="What moving a segment’s letter and fax customers to email or the portal would save a year, at today’s rates and volumes."
      />
      <div className="form form-inline">
        <div className="field">
          <label htmlFor="shift-segment">Segment</label>
          <select id="shift-segment" value={segmentId} onChange={(event) => setSegmentId(event.target.value)}>
            <option value="">Choose a segment</option>
            {(segments.data?.segments ?? []).map((segment) => (
              <option key={segment.id} value={segment.id}>
                {segment.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="shift-target">Move to</label>
          <select id="shift-target" value={target} onChange={(event) => setTarget(event.target.value as ShiftTarget)}>
            {targets.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {segmentId && (
        <Loaded what="the plan" data={plan.data} error={plan.error} onRetry={plan.reload}>
          {(data) => <Plan plan={data} canStart={may(user, 'announcements.manage')} />}
        </Loaded>
      )}
      <h2>Changes started</h2>
      <Loaded what="channel shifts" data={shifts.data} error={shifts.error} onRetry={shifts.reload}>
        {(data) =>
          data.shifts.length === 0 ? (
            <p className="muted">No channel shift has been started.</p>
          ) : (
            <DataTable
              label="Channel shifts"
              rows={data.shifts}
              rowKey={(shift) => shift.id}
              columns={(column) => [
                column.link('Segment', (shift) => ({
                  to: `/insights/channel-shift/${shift.id}`,
                  label: `${shift.segmentName} → ${shift.target}`,
                  note: shift.createdBy,
                })),
                { header: 'Customers', numeric: true, cell: (shift) => formatNumber(shift.customerCount) },
                {
                  header: 'Planned saving a year',
                  numeric: true,
                  cell: (shift) => formatMoney(shift.plannedSavingMillicents, currency),
                },
                column.date('Started', (shift) => shift.createdAt),
              ]}
            />
          )
        }
      </Loaded>
      <p className="small">
        <Link to="/announcements">Announcements</Link>
      </p>
    </>
  );
}
