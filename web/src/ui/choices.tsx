import type { ReactNode } from 'react';

/** One option of a select: the value sent, the label shown. */
export type Choice = { value: string; label: ReactNode };

/** Choices from a vocabulary: its values in order, with their labels. */
export const choicesOf = <V extends string>(
  values: readonly V[],
  labels: Record<V, ReactNode>,
): (Choice & { value: V })[] => values.map((value) => ({ value, label: labels[value] }));

/** Every value of a vocabulary, from its labels (kept in the vocabulary's order). */
export const choicesIn = <V extends string>(labels: Record<V, ReactNode>): (Choice & { value: V })[] =>
  Object.entries<ReactNode>(labels).map(([value, label]) => ({ value: value as V, label }));

/** Records to choose among by name, such as categories, segments or queues. */
export const namedChoices = (records: readonly { id: string; name: string }[]): Choice[] =>
  records.map((record) => ({ value: record.id, label: record.name }));

/** The options of a select, one per choice. */
export function Options({ choices }: { choices: readonly Choice[] }) {
  return choices.map((choice) => (
    <option key={choice.value} value={choice.value}>
      {choice.label}
    </option>
  ));
}

/** A checkbox per value of a vocabulary; the values checked stay in the vocabulary's order. */
export function Checkboxes<V extends string>({
  values,
  labels,
  checked,
  onChange,
}: {
  values: readonly V[];
  labels: Record<V, ReactNode>;
  checked: readonly V[];
  onChange: (checked: V[]) => void;
}) {
  const toggle = (value: V, on: boolean) =>
    onChange(
      on
        ? values.filter((candidate) => candidate === value || checked.includes(candidate))
        : checked.filter((held) => held !== value),
    );
  return (
    <div className="checkbox-grid">
      {values.map((value) => (
        <label key={value} className="checkbox">
          <input
            type="checkbox"
            checked={checked.includes(value)}
            onChange={(event) => toggle(value, event.target.checked)}
          />
          {labels[value]}
        </label>
      ))}
    </div>
  );
}

/** One radio per choice, side by side, or one under the other (`column`) when the labels are sentences. */
export function Radios<V extends string>({
  name,
  choices,
  value,
  onChange,
  column = false,
}: {
  name: string;
  choices: readonly (Choice & { value: V; title?: string })[];
  value: V;
  onChange: (value: V) => void;
  column?: boolean;
}) {
  return (
    <div className={column ? 'choice-column' : 'choice-row'}>
      {choices.map((choice) => (
        <label key={choice.value} className="checkbox" title={choice.title}>
          <input
            type="radio"
            name={name}
            value={choice.value}
            checked={value === choice.value}
            onChange={() => onChange(choice.value)}
          />
          {choice.label}
        </label>
      ))}
    </div>
  );
}
