import { Checkboxes, choicesIn } from '../../ui/choices.js';
import { DialogForm } from '../../ui/dialog-form.js';
import { FieldGroup, SelectField, TextAreaField, TextField, useForm } from '../../ui/form.js';
import { rulesApi, type ComplianceRule, type RuleInput, type RuleKind } from '../studio.api.js';
import { channelLabels, purposeLabels, purposes, type Channel, type Purpose } from '../template-vocabulary.js';

export const ruleKindLabels: Record<RuleKind, string> = {
  required_fragment: 'Required fragment',
  forbidden_phrase: 'Forbidden phrases',
  unsubscribe_footer: 'Unsubscribe footer on email',
  sms_max_segments: 'SMS length',
  renders_for_samples: 'Renders for the sample customers',
};

const fragmentChannels: Channel[] = ['email', 'letter', 'fax', 'portal'];

/** The rule's settings in words, for the table. */
export function describeParams(rule: Pick<ComplianceRule, 'kind' | 'params'>): string {
  const { params } = rule;
  switch (rule.kind) {
    case 'required_fragment': {
      const channels = (params.channels as Channel[] | undefined) ?? fragmentChannels;
      return `Fragment '${String(params.fragmentKey ?? '')}' in ${channels.map((channel) => channelLabels[channel]).join(', ')}`;
    }
    case 'forbidden_phrase':
      return (
        ((params.phrases as string[] | undefined) ?? []).map((phrase) => `“${phrase}”`).join(', ') || 'No phrases yet'
      );
    case 'sms_max_segments':
      return `At most ${String(params.max ?? 3)} segments`;
    default:
      return '—';
  }
}

/** The settings the rule's kind takes, from what the dialog holds. */
function paramsOf(
  kind: RuleKind,
  settings: { fragmentKey: string; channels: Channel[]; phrases: string; max: string },
): Record<string, unknown> {
  if (kind === 'required_fragment') return { fragmentKey: settings.fragmentKey.trim(), channels: settings.channels };
  if (kind === 'forbidden_phrase')
    return {
      phrases: settings.phrases
        .split('\n')
        .map((phrase) => phrase.trim())
        .filter(Boolean),
    };
  if (kind === 'sms_max_segments') return { max: Number(settings.max) };
  return {};
}

/** Adds a rule, or changes one; admins only. */
export function RuleDialog({
  rule,
  onClose,
  onSaved,
}: {
  rule: ComplianceRule | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const form = useForm(
    {
      description: rule?.description ?? '',
      purpose: (rule?.purpose ?? '') as Purpose | '',
      kind: rule?.kind ?? ('forbidden_phrase' as RuleKind),
      fragmentKey: String(rule?.params.fragmentKey ?? ''),
      channels: (rule?.params.channels as Channel[] | undefined) ?? fragmentChannels,
      phrases: ((rule?.params.phrases as string[] | undefined) ?? []).join('\n'),
      max: String(rule?.params.max ?? 3),
    },
    async ({ description, purpose, kind, ...settings }) => {
      const input: RuleInput = {
        description,
        purpose: purpose || null,
        kind,
        params: paramsOf(kind, settings),
        enabled: rule?.enabled ?? true,
      };
      if (rule) await rulesApi.update(rule.id, input);
      else await rulesApi.create(input);
      onSaved();
    },
    { fields: ['description', 'purpose', 'kind', 'params'] },
  );
  const { kind, channels } = form.values;

  return (
    <DialogForm
      title={rule ? 'Change rule' : 'New compliance rule'}
      onClose={onClose}
      form={form}
      submitLabel={rule ? 'Save rule' : 'Add rule'}
    >
      <TextField
        form={form}
        name="description"
        label="Description"
        hint="Authors see it next to each failure."
        required
      />
      <div className="form-row">
        <SelectField
          form={form}
          name="purpose"
          label="Applies to"
          empty="Every purpose"
          choices={purposes.map((value) => ({ value, label: `${purposeLabels[value]} templates` }))}
        />
        <SelectField form={form} name="kind" label="Kind" choices={choicesIn(ruleKindLabels)} />
      </div>
      {kind === 'required_fragment' && (
        <>
          <TextField
            form={form}
            name="fragmentKey"
            label="Fragment key"
            errorOf="params"
            required
            placeholder="legal-disclosure"
          />
          <FieldGroup label="In these channels">
            <Checkboxes
              values={fragmentChannels}
              labels={channelLabels}
              checked={channels}
              onChange={(checked) => form.set('channels', checked)}
            />
          </FieldGroup>
        </>
      )}
      {kind === 'forbidden_phrase' && (
        <TextAreaField
          form={form}
          name="phrases"
          label="Phrases"
          errorOf="params"
          hint="One per line; matched without regard to case, in templates and the fragments they use."
          rows={4}
        />
      )}
      {kind === 'sms_max_segments' && (
        <TextField
          form={form}
          name="max"
          label="Most segments"
          errorOf="params"
          type="number"
          min={1}
          max={10}
          required
        />
      )}
    </DialogForm>
  );
}
