import { useState } from 'react';
import { api } from '../api/client.js';
import { useSignedInUser } from '../auth/session.js';
import { Link } from 'react-router-dom';
import { PageHeader } from '../ui/page.js';
import { may } from '../ui/permissions.js';
import { Empty, Loaded } from '../ui/states.js';
import { useApiData } from '../ui/use-api-data.js';
import { BoardFilters, useBoardQuery } from './board-filters.js';
import { GoalTree } from './goal-card.js';
import { GoalDialog } from './goal-dialog.js';
import { insightsApi, type Goal, type KpiDefinition } from './insights.api.js';
import { KpiCard } from './kpi-card.js';

/** The board every employee sees: goals with their progress, then every KPI over the chosen period. */
export function InsightsBoard() {
  const board = useBoardQuery();
  const { query } = board;
  const [picked, setPicked] = useState<{ kpi: string; bucket: string }>();
  const kpis = useApiData<{ kpis: KpiDefinition[] }>(insightsApi.kpisPath);
  const goals = useApiData<{ goals: Goal[] }>(insightsApi.goalsPath);
  const user = useSignedInUser();
  const manages = may(user, 'goals.manage');
  // A goal being set ('new') or changed.
  const [editing, setEditing] = useState<Goal | 'new'>();

  return (
    <>
      <PageHeader
        title="Insights"
        description="Goals and KPIs computed from live data, for everyone. Click a bar to see the records behind it."
        actions={
          <>
            <Link className="button" to="/insights/channel-shift">
              Plan a channel shift
            </Link>
            {manages && kpis.data && (
              <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
                New goal
              </button>
            )}
          </>
        }
      />
      {editing && kpis.data && (
        <GoalDialog
          user={user}
          kpis={kpis.data.kpis}
          goals={goals.data?.goals ?? []}
          goal={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
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
              <GoalTree
                goals={data.goals}
                manage={
                  manages
                    ? {
                        onEdit: setEditing,
                        onDelete: async (goal) => {
                          await api.delete(insightsApi.goalPath(goal.id));
                          goals.reload();
                        },
                      }
                    : undefined
                }
              />
            )
          }
        </Loaded>
      </section>
      <section className="insights-section" aria-label="KPIs">
        <h2>KPIs</h2>
        <BoardFilters board={board} />
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
