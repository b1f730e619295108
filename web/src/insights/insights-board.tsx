import { useState } from 'react';
import { useSignedInUser } from '../auth/session.js';
import { channelLabels, channels } from '../customers/customer-vocabulary.js';
import { FilterBar, SelectFilter, useUrlFilters } from '../ui/filters.js';
import { PageHeader } from '../ui/page.js';
import { may } from '../ui/permissions.js';
import { Segmented } from '../ui/segmented.js';
import { Empty, Loaded } from '../ui/states.js';
import { useApiData } from '../ui/use-api-data.js';
import { GoalTree } from './goal-card.js';
import { GoalDialog } from './goal-dialog.js';
import { insightsApi, type BoardQuery, type Bucket, type Goal, type KpiDefinition } from './insights.api.js';
import { KpiCard } from './kpi-card.js';

const periods = [
  { value: '28', label: '4 weeks' },
  { value: '84', label: '12 weeks' },
  { value: '365', label: '12 months' },
] as const;
const channelChoices = channels.map((channel) => ({ value: channel, label: channelLabels[channel] }));
const buckets: { value: Bucket; label: string }[] = [
  { value: 'day', label: 'Days' },
  { value: 'week', label: 'Weeks' },
  { value: 'month', label: 'Months' },
];

/** The period ends at the start of tomorrow (UTC), so the same board asks the same questions all day. */
function boardQuery(days: number, bucket: Bucket, channel: string): BoardQuery {
  const now = new Date();
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  const from = new Date(to.getTime() - days * 86_400_000);
  return { from: from.toISOString(), to: to.toISOString(), bucket, channel: channel || undefined };
}

/** The board every employee sees: goals with their progress, then every KPI over the chosen period. */
export function InsightsBoard() {
  const filters = useUrlFilters();
  const days = Number(filters.get('period') || '84');
  const bucket = (filters.get('bucket') || (days <= 28 ? 'day' : days <= 84 ? 'week' : 'month')) as Bucket;
  const query = boardQuery(days, bucket, filters.get('channel'));
  const [picked, setPicked] = useState<{ kpi: string; bucket: string }>();
  const kpis = useApiData<{ kpis: KpiDefinition[] }>(insightsApi.kpisPath);
  const goals = useApiData<{ goals: Goal[] }>(insightsApi.goalsPath);
  const user = useSignedInUser();
  const [setting, setSetting] = useState(false);

  return (
    <>
      <PageHeader
        title="Insights"
        description="Goals and KPIs computed from live data, for everyone. Click a bar to see the records behind it."
        actions={
          may(user, 'goals.manage') &&
          kpis.data && (
            <button type="button" className="button button-primary" onClick={() => setSetting(true)}>
              New goal
            </button>
          )
        }
      />
      {setting && kpis.data && (
        <GoalDialog
          user={user}
          kpis={kpis.data.kpis}
          goals={goals.data?.goals ?? []}
          onClose={() => setSetting(false)}
          onSaved={() => {
            setSetting(false);
            goals.reload();
          }}
        />
      )}
      <section className="insights-section" aria-label="Goals">
        <h2>Goals</h2>
        <Loaded what="goals" data={goals.data} error={goals.error} onRetry={goals.reload}>
          {(data) =>
            data.goals.length === 0 ? (
              <Empty title="No goals yet">Admins and managers set goals on a KPI.</Empty>
            ) : (
              <GoalTree goals={data.goals} />
            )
          }
        </Loaded>
      </section>
      <section className="insights-section" aria-label="KPIs">
        <h2>KPIs</h2>
        <FilterBar label="Period and filters">
          <SelectFilter
            label="Period"
            value={String(days)}
            onChange={(value) => filters.set('period', value)}
            choices={periods}
          />
          <div className="filter">
            Per
            <Segmented
              label="Bucket"
              choices={buckets}
              value={bucket}
              onChange={(value) => filters.set('bucket', value)}
            />
          </div>
          <SelectFilter
            label="Channel"
            value={filters.get('channel')}
            onChange={(value) => filters.set('channel', value)}
            any="Any channel"
            choices={channelChoices}
          />
        </FilterBar>
        <Loaded what="KPIs" data={kpis.data} error={kpis.error} onRetry={kpis.reload}>
          {(data) => (
            <div className="kpi-grid">
              {data.kpis.map((kpi) => (
                <KpiCard
                  key={kpi.key}
                  kpi={kpi}
                  query={query}
                  picked={picked?.kpi === kpi.key ? picked.bucket : undefined}
                  onPick={(point) => setPicked(point ? { kpi: kpi.key, bucket: point } : undefined)}
                />
              ))}
            </div>
          )}
        </Loaded>
      </section>
    </>
  );
}
