import type { BodyOf } from '../api/api-types.js';
import { api } from '../api/client.js';
import type { StaffUser } from '../auth/auth.api.js';
import { DialogForm } from '../ui/dialog-form.js';
import { SelectField, TextAreaField, TextField, useForm } from '../ui/form.js';
import { useApiData } from '../ui/use-api-data.js';
import type { Goal, KpiDefinition } from './insights.api.js';

type GoalInput = BodyOf<'/api/goals', 'post'>;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** Sets a goal on a KPI: its target, period, owner (me or a team), driver and the goal it rolls up to. */
export function GoalDialog({
  user,
  kpis,
  goals,
  onClose,
  onSaved,
}: {
  user: StaffUser;
  kpis: KpiDefinition[];
  goals: Goal[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const teams = useApiData<{ teams: { id: string; name: string }[] }>('/api/teams');
  const now = new Date();
  const form = useForm(
    {
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
      await api.post('/api/goals', input);
      onSaved();
    },
    { fields: ['name', 'kpiKey', 'target', 'periodStart', 'periodEnd', 'ownerUserId', 'driver', 'parentId'] },
  );
  const kpi = kpis.find((candidate) => candidate.key === form.values.kpiKey);
  return (
    <DialogForm title="New goal" onClose={onClose} form={form} submitLabel="Set goal">
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
          ...(teams.data?.teams ?? []).map((team) => ({ value: `team:${team.id}`, label: `Team ${team.name}` })),
        ]}
      />
      <TextAreaField form={form} name="driver" label="Business driver" rows={2} maxLength={2000} />
      <SelectField
        form={form}
        name="parentId"
        label="Rolls up to"
        empty="No parent goal"
        choices={goals.map((goal) => ({ value: goal.id, label: goal.name }))}
      />
    </DialogForm>
  );
}
