import type { StaffUser } from '../../auth/auth.api.js';
import { DialogForm } from '../../ui/dialog-form.js';
import { TextAreaField, TextField, useForm } from '../../ui/form.js';
import { MemberPicker } from './member-picker.js';
import { teamsApi, type Team } from './teams.api.js';

/** Creates a team, or (given one) renames it, describes it and sets its members. */
export function TeamDialog({
  team,
  users,
  onClose,
  onSaved,
}: {
  team?: Team;
  users: StaffUser[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const form = useForm(
    {
      name: team?.name ?? '',
      description: team?.description ?? '',
      memberIds: team?.members.map((member) => member.id) ?? [],
    },
    async (input) => {
      await (team ? teamsApi.update(team.id, input) : teamsApi.create(input));
      onSaved();
    },
  );

  return (
    <DialogForm
      title={team ? `Edit ${team.name}` : 'New team'}
      onClose={onClose}
      form={form}
      submitLabel={team ? 'Save team' : 'Create team'}
    >
      <TextField form={form} name="name" label="Name" required maxLength={100} />
      <TextAreaField form={form} name="description" label="Description" rows={2} maxLength={2000} />
      <MemberPicker
        users={users}
        value={form.values.memberIds}
        onChange={(memberIds) => form.set('memberIds', memberIds)}
        error={form.errors.fields.memberIds}
      />
    </DialogForm>
  );
}
