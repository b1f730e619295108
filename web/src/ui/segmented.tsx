import type { ReactNode } from 'react';

/**
 * One of a few choices as a row of joined buttons. As `tabs` each button is a tab of a tab list
 * (the language of a template, one sample customer); otherwise a toggle among views of the same thing.
 */
export function Segmented<V extends string | number>({
  label,
  choices,
  value,
  onChange,
  tabs = false,
  controls,
  className = 'segmented',
  itemClassName = 'segment',
}: {
  label: string;
  choices: readonly { value: V; label: ReactNode }[];
  value: V;
  onChange: (value: V) => void;
  tabs?: boolean;
  /** The id of the panel the tabs show. */
  controls?: string;
  className?: string;
  itemClassName?: string;
}) {
  return (
    <div className={className} role={tabs ? 'tablist' : 'group'} aria-label={label}>
      {choices.map((choice) => (
        <button
          key={choice.value}
          type="button"
          role={tabs ? 'tab' : undefined}
          aria-selected={tabs ? choice.value === value : undefined}
          aria-pressed={tabs ? undefined : choice.value === value}
          aria-controls={controls}
          className={itemClassName}
          onClick={() => onChange(choice.value)}
        >
          {choice.label}
        </button>
      ))}
    </div>
  );
}
