import { ConfirmButton } from '../ui/confirm-button.js';
import { CommentsDisclosure } from '../comments/comments-disclosure.js';
import { useCurrency } from '../ui/use-currency.js';
import { formatKpiValue, type Goal } from './insights.api.js';
import { KpiChart } from './kpi-chart.js';

/** What those who manage goals may do to one on the board. */
export type GoalManagement = { onEdit: (goal: Goal) => void; onDelete: (goal: Goal) => Promise<void> };

/** One goal: its KPI now against the target, a bar of how far, and a small chart of its period. */
export function GoalCard({ goal, manage }: { goal: Goal; manage?: GoalManagement }) {
  const currency = useCurrency();
  const { progress } = goal;
  const format = (value: number | null) => formatKpiValue(value, progress.unit, currency);
  const percent = Math.round((progress.fraction ?? 0) * 100);
  const state = progress.attained === null ? 'no data yet' : progress.attained ? 'on target' : 'not yet on target';
  return (
    <article className="goal-card" aria-label={`Goal: ${goal.name}`}>
      <header className="goal-card-header">
        <h3>{goal.name}</h3>
        <span className={progress.attained ? 'status status-ok' : 'status status-off'}>{state}</span>
        {manage && (
          <span className="goal-card-actions">
            <button
              type="button"
              className="button button-small"
              aria-label={`Edit goal ${goal.name}`}
              onClick={() => manage.onEdit(goal)}
            >
              Edit
            </button>
            <ConfirmButton
              label="Delete"
              question={`Delete the goal “${goal.name}”?`}
              consequence="The goals that roll up to it stay, standing on their own."
              confirmLabel="Delete the goal"
              danger
              onConfirm={() => manage.onDelete(goal)}
            />
          </span>
        )}
      </header>
      <p className="muted small">
        {progress.kpiName} {progress.higherIsBetter ? 'at least' : 'at most'} {format(goal.target)} · {goal.periodStart}{' '}
        – {goal.periodEnd}
        {goal.ownerName && <> · {goal.ownerName}</>}
      </p>
      {goal.driver && <p className="goal-card-driver">{goal.driver}</p>}
      <div className="goal-progress">
        <div
          className="goal-progress-bar"
          role="progressbar"
          aria-label={`${goal.name}: progress toward the target`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
        >
          <span style={{ width: `${percent}%` }} className={progress.attained ? 'goal-progress-met' : undefined} />
        </div>
        <span className="goal-progress-value">
          Now <strong>{format(progress.value)}</strong> of {format(goal.target)}
        </span>
      </div>
      <KpiChart
        label={`${goal.name} over its period`}
        points={progress.points}
        format={format}
        target={goal.target}
        small
      />
      <CommentsDisclosure subject={{ kind: 'goal', id: goal.id }} label={goal.name} />
    </article>
  );
}

/** Goals with the goals that roll up to each shown under it. */
export function GoalTree({ goals, manage }: { goals: Goal[]; manage?: GoalManagement }) {
  const ids = new Set(goals.map((goal) => goal.id));
  const childrenOf = (id: string) => goals.filter((goal) => goal.parentId === id);
  const roots = goals.filter((goal) => goal.parentId === null || !ids.has(goal.parentId));
  const branch = (goal: Goal) => {
    const children = childrenOf(goal.id);
    return (
      <li key={goal.id}>
        <GoalCard goal={goal} manage={manage} />
        {children.length > 0 && (
          <ul className="goal-children" aria-label={`Goals rolling up to ${goal.name}`}>
            {children.map(branch)}
          </ul>
        )}
      </li>
    );
  };
  return <ul className="goal-tree">{roots.map(branch)}</ul>;
}
