import type { AttributeDefinition } from '../customers.api.js';
import type { ConditionDraft } from './segment-draft.js';
import { attributeOperators, type AttributeOperator } from './segments.api.js';
import { Options } from '../../ui/choices.js';

type Props = {
  definitions: AttributeDefinition[];
  conditions: ConditionDraft[];
  onChange: (conditions: ConditionDraft[]) => void;
};

function ValueInput({
  definition,
  condition,
  label,
  onChange,
}: {
  definition: AttributeDefinition | undefined;
  condition: ConditionDraft;
  label: string;
  onChange: (value: string) => void;
}) {
  if (condition.op === 'exists') return null;
  if (definition?.type === 'choice' && condition.op !== 'in') {
    return (
      <select aria-label={label} value={condition.value} onChange={(event) => onChange(event.target.value)}>
        <option value="">Choose…</option>
        {definition.choices.map((choice) => (
          <option key={choice}>{choice}</option>
        ))}
      </select>
    );
  }
  const type =
    condition.op !== 'in' && definition?.type === 'number'
      ? 'number'
      : condition.op !== 'in' && definition?.type === 'date'
        ? 'date'
        : 'text';
  return (
    <input
      aria-label={label}
      type={type}
      placeholder={condition.op === 'in' ? 'Values, separated by commas' : 'Value'}
      value={condition.value}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

/** Conditions on custom attributes, such as "Contract value is at least 1000". */
export function AttributeConditions({ definitions, conditions, onChange }: Props) {
  if (definitions.length === 0) return <p className="muted small">No custom attributes are defined yet.</p>;
  const change = (index: number, patch: Partial<ConditionDraft>) =>
    onChange(conditions.map((condition, at) => (at === index ? { ...condition, ...patch } : condition)));
  return (
    <div className="conditions">
      {conditions.map((condition, index) => {
        const definition = definitions.find((candidate) => candidate.key === condition.key);
        const name = `Condition ${index + 1}`;
        return (
          <div key={index} className="condition">
            <select
              aria-label={`${name} attribute`}
              value={condition.key}
              onChange={(event) => change(index, { key: event.target.value, value: '' })}
            >
              <Options choices={definitions.map((candidate) => ({ value: candidate.key, label: candidate.label }))} />
            </select>
            <select
              aria-label={`${name} comparison`}
              value={condition.op}
              onChange={(event) => change(index, { op: event.target.value as AttributeOperator })}
            >
              {Object.entries(attributeOperators).map(([op, label]) => (
                <option key={op} value={op}>
                  {label}
                </option>
              ))}
            </select>
            <ValueInput
              definition={definition}
              condition={condition}
              label={`${name} value`}
              onChange={(value) => change(index, { value })}
            />
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove condition ${index + 1}`}
              onClick={() => onChange(conditions.filter((_, at) => at !== index))}
            >
              ×
            </button>
          </div>
        );
      })}
      <div>
        <button
          type="button"
          className="button button-small"
          onClick={() => onChange([...conditions, { key: definitions[0]?.key ?? '', op: 'eq', value: '' }])}
        >
          Add condition
        </button>
      </div>
    </div>
  );
}
