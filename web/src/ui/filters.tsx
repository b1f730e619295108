import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Options, type Choice } from './choices.js';

/**
 * A list's filters kept in the address, so a filtered list can be bookmarked, shared and returned
 * to. Every change replaces the address entry (Back leaves the list, not the last keystroke).
 */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const set = (name: string, value: string | undefined) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  return { params, get: (name: string) => params.get(name) ?? '', set };
}

/** The row of filters above a list. */
export function FilterBar({ label, className, children }: { label?: string; className?: string; children: ReactNode }) {
  return (
    <div className={className ? `filters ${className}` : 'filters'} role="search" aria-label={label}>
      {children}
    </div>
  );
}

type Bound = { label: string; value: string; onChange: (value: string) => void; wide?: boolean };
type SelectProps = {
  /** The label of the empty choice ("Any status"); none when a value is always chosen. */
  any?: string;
  choices: readonly Choice[];
};
type TextProps = { placeholder?: string; search?: boolean };

/** A choice among a vocabulary, or "any" (the empty value). */
export function SelectFilter({ label, value, onChange, any, choices, wide = false }: Bound & SelectProps) {
  return (
    <label className={wide ? 'filter filter-wide' : 'filter'}>
      {label}
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        {any !== undefined && <option value="">{any}</option>}
        <Options choices={choices} />
      </select>
    </label>
  );
}

/** Free text: a search box, or a value typed exactly. */
export function TextFilter({ label, value, onChange, placeholder, search = true, wide = false }: Bound & TextProps) {
  return (
    <label className={wide ? 'filter filter-wide' : 'filter'}>
      {label}
      <input
        type={search ? 'search' : undefined}
        placeholder={placeholder}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </label>
  );
}

/** The value of one address parameter, and the change that sets it. */
function useParam(name: string) {
  const filters = useUrlFilters();
  return { value: filters.get(name), onChange: (value: string) => filters.set(name, value) };
}

/** A `SelectFilter` kept in the address parameter `name`. */
export function UrlSelectFilter({ name, ...props }: { name: string; label: string; wide?: boolean } & SelectProps) {
  return <SelectFilter {...props} {...useParam(name)} />;
}

/** A `TextFilter` kept in the address parameter `name`. */
export function UrlTextFilter({ name, ...props }: { name: string; label: string; wide?: boolean } & TextProps) {
  return <TextFilter {...props} {...useParam(name)} />;
}
