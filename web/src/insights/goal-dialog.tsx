import type { BodyOf } from '../api/api-types.js';
import { api } from '../api/client.js';
import type { StaffUser } from '../auth/auth.api.js';
import { DialogForm } from '../ui/dialog-form.js';
import { SelectField, TextAreaField, TextField, useForm } from '../ui/form.js';
import { useApiData } from '../ui/use-api-data.js';
import type { Goal, KpiDefinition } from './insights.api.js';

type GoalInput = BodyOf<'/api/goals', 'post'>;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The goals a goal may roll up to: any but itself and those that roll up to it (that would be a loop). */
function possibleParents(goals: Goal[], goal: Goal | undefined) {
  if (!goal) return goals;
  const below = new Set([goal.id]);
  for (let grown = true; grown;) {
    grown = false;
    for (const candidate of goals)
      if (candidate.parentId && below.has(candidate.parentId) && !below.has(candidate.id)) {
        below.add(candidate.id);
        grown = true;
      }
  }
  return goals.filter((candidate) => !below.has(candidate.id));
}

/**
 * Sets a goal on a KPI, or changes one (`goal`): its target, period, owner (me or a team), driver
 * and the goal it rolls up to. A changed goal keeps the filters it was set with.
 */
export function GoalDialog({
  user,
  kpis,
  goals,
  goal,
  onClose,
  onSaved,
}: {
  user: StaffUser;
  kpis: KpiDefinition[];
  goals: Goal[];
  goal?: Goal;
  onClose: () => void;
  onSaved: () => void;
}) {
  const teams = useApiData<{ teams: { id: string; name: string }[] }>('/api/teams');
  const now = new Date();
  const form = useForm(
    goal
      ? {
          name: goal.name,
          kpiKey: goal.kpiKey,
          target: String(goal.target),
          periodStart: goal.periodStart,
          periodEnd: goal.periodEnd,
          owner: goal.ownerTeamId ? `team:${goal.ownerTeamId}` : `user:${goal.ownerUserId ?? user.id}`,
          driver: goal.driver,
          parentId: goal.parentId ?? '',
        }
      : {
          name: '',
          kpiKey: kpis[0]?.key ?? '',
          target: '',
          periodStart: isoDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))),
          periodEnd: isoDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 3, 0))),
          owner: `user:${user.id}`,
          driver: '',
          parentId: '',
        },
    async (values) => {
      const [ownerKind, ownerId] = values.owner.split(':');
      const input: GoalInput = {
        name: values.name,
        kpiKey: values.kpiKey as GoalInput['kpiKey'],
        target: Number(values.target),
        periodStart: values.periodStart,
        periodEnd: values.periodEnd,
        ownerUserId: ownerKind === 'user' ? ownerId : null,
        ownerTeamId: ownerKind === 'team' ? ownerId : null,
        driver: values.driver,
        parentId: values.parentId || null,
      };
      if (goal) await api.patch(`/api/goals/${encodeURIComponent(goal.id)}`, input);
      else await api.post('/api/goals', input);
      onSaved();
    },
    { fields: ['name', 'kpiKey', 'target', 'periodStart', 'periodEnd', 'ownerUserId', 'driver', 'parentId'] },
  );
  const kpi = kpis.find((candidate) => candidate.key === form.values.kpiKey);
  return (
    <DialogForm
      title={goal ? `Edit goal` : 'New goal'}
      onClose={onClose}
      form={form}
      submitLabel={goal ? 'Save goal' : 'Set goal'}
    >
      <TextField form={form} name="name" label="Name" required maxLength={200} />
      <SelectField
        form={form}
        name="kpiKey"
        label="KPI"
        choices={kpis.map((candidate) => ({ value: candidate.key, label: candidate.name }))}
        hint={kpi?.description}
      />
      <TextField
        form={form}
        name="target"
        label={`Target${kpi ? ` (${kpi.unit}, ${kpi.higherIsBetter ? 'at least' : 'at most'})` : ''}`}
        inputMode="decimal"
        required
      />
      <TextField form={form} name="periodStart" label="From" type="date" required />
      <TextField form={form} name="periodEnd" label="Until (included)" type="date" required />
      <SelectField
        form={form}
        name="owner"
        errorOf="ownerUserId"
        label="Owner"
        choices={[
          { value: `user:${user.id}`, label: `Me (${user.name})` },
          ...(goal?.ownerUserId && goal.ownerUserId !== user.id
            ? [{ value: `user:${goal.ownerUserId}`, label: goal.ownerName ?? 'Its owner' }]
            : []),
          ...(teams.data?.teams ?? []).map((team) => ({ value: `team:${team.id}`, label: `Team ${team.name}` })),
        ]}
      />
      <TextAreaField form={form} name="driver" label="Business driver" rows={2} maxLength={2000} />
      <SelectField
        form={form}
        name="parentId"
        label="Rolls up to"
        empty="No parent goal"
        choices={possibleParents(goals, goal).map((candidate) => ({ value: candidate.id, label: candidate.name }))}
      />
    </DialogForm>
  );
}
