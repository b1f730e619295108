import { useState, type FormEvent } from 'react';
import { Dialog } from '../../ui/dialog.js';
import { Field, FieldGroup, FormError, formErrors, useSubmission } from '../../ui/form.js';
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
  const [description, setDescription] = useState(rule?.description ?? '');
  const [purpose, setPurpose] = useState<Purpose | ''>(rule?.purpose ?? '');
  const [kind, setKind] = useState<RuleKind>(rule?.kind ?? 'forbidden_phrase');
  const [fragmentKey, setFragmentKey] = useState(String(rule?.params.fragmentKey ?? ''));
  const [channels, setChannels] = useState<Channel[]>(
    (rule?.params.channels as Channel[] | undefined) ?? fragmentChannels,
  );
  const [phrases, setPhrases] = useState(((rule?.params.phrases as string[] | undefined) ?? []).join('\n'));
  const [max, setMax] = useState(String(rule?.params.max ?? 3));

  const paramsOf = (): Record<string, unknown> => {
    if (kind === 'required_fragment') return { fragmentKey: fragmentKey.trim(), channels };
    if (kind === 'forbidden_phrase')
      return {
        phrases: phrases
          .split('\n')
          .map((phrase) => phrase.trim())
          .filter(Boolean),
      };
    if (kind === 'sms_max_segments') return { max: Number(max) };
    return {};
  };
  const submission = useSubmission(async () => {
    const input: RuleInput = {
      description,
      purpose: purpose || null,
      kind,
      params: paramsOf(),
      enabled: rule?.enabled ?? true,
    };
    if (rule) await rulesApi.update(rule.id, input);
    else await rulesApi.create(input);
    onSaved();
  });
  const errors = formErrors(submission.error, ['description', 'purpose', 'kind', 'params']);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run();
  };

  return (
    <Dialog title={rule ? 'Change rule' : 'New compliance rule'} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <FormError message={errors.general} />
        <Field
          label="Description"
          htmlFor="rule-description"
          error={errors.fields.description}
          hint="Authors see it next to each failure."
        >
          <input
            id="rule-description"
            required
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
        </Field>
        <div className="form-row">
          <Field label="Applies to" htmlFor="rule-purpose" error={errors.fields.purpose}>
            <select
              id="rule-purpose"
              value={purpose}
              onChange={(event) => setPurpose(event.target.value as Purpose | '')}
            >
              <option value="">Every purpose</option>
              {purposes.map((candidate) => (
                <option key={candidate} value={candidate}>
                  {purposeLabels[candidate]} templates
                </option>
              ))}
            </select>
          </Field>
          <Field label="Kind" htmlFor="rule-kind" error={errors.fields.kind}>
            <select id="rule-kind" value={kind} onChange={(event) => setKind(event.target.value as RuleKind)}>
              {(Object.keys(ruleKindLabels) as RuleKind[]).map((candidate) => (
                <option key={candidate} value={candidate}>
                  {ruleKindLabels[candidate]}
                </option>
              ))}
            </select>
          </Field>
        </div>
        {kind === 'required_fragment' && (
          <>
            <Field label="Fragment key" htmlFor="rule-fragment" error={errors.fields.params}>
              <input
                id="rule-fragment"
                required
                value={fragmentKey}
                onChange={(event) => setFragmentKey(event.target.value)}
                placeholder="legal-disclosure"
              />
            </Field>
            <FieldGroup label="In these channels">
              <div className="checkbox-grid">
                {fragmentChannels.map((channel) => (
                  <label key={channel} className="checkbox">
                    <input
                      type="checkbox"
                      checked={channels.includes(channel)}
                      onChange={(event) =>
                        setChannels(
                          event.target.checked ? [...channels, channel] : channels.filter((held) => held !== channel),
                        )
                      }
                    />
                    {channelLabels[channel]}
                  </label>
                ))}
              </div>
            </FieldGroup>
          </>
        )}
        {kind === 'forbidden_phrase' && (
          <Field
            label="Phrases"
            htmlFor="rule-phrases"
            error={errors.fields.params}
            hint="One per line; matched without regard to case, in templates and the fragments they use."
          >
            <textarea id="rule-phrases" rows={4} value={phrases} onChange={(event) => setPhrases(event.target.value)} />
          </Field>
        )}
        {kind === 'sms_max_segments' && (
          <Field label="Most segments" htmlFor="rule-max" error={errors.fields.params}>
            <input
              id="rule-max"
              type="number"
              min={1}
              max={10}
              required
              value={max}
              onChange={(event) => setMax(event.target.value)}
            />
          </Field>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={submission.saving}>
            {submission.saving ? 'Saving…' : rule ? 'Save rule' : 'Add rule'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
