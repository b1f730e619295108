import type { ReactNode } from 'react';

export type Fact = readonly [term: string, detail: ReactNode];

/** Terms and their details, one pair a row or cell (as the area's styles lay them out). */
export function Facts({
  facts,
  label,
  className = 'facts',
  itemClassName,
}: {
  facts: readonly Fact[];
  label?: string;
  className?: string;
  itemClassName?: string;
}) {
  return (
    <dl className={className} aria-label={label}>
      {facts.map(([term, detail]) => (
        <div key={term} className={itemClassName}>
          <dt>{term}</dt>
          <dd>{detail}</dd>
        </div>
      ))}
    </dl>
  );
}
