import { useState, type FormEvent } from 'react';

/** The filters as typed: days are `YYYY-MM-DD` in the user's time zone. */
export type AuditFilterFields = { action: string; entityType: string; entityId: string; from: string; to: string };

export const auditFilterNames = ['action', 'entityType', 'entityId', 'from', 'to'] as const;

export const emptyAuditFilter: AuditFilterFields = { action: '', entityType: '', entityId: '', from: '', to: '' };

/**
 * The draft filter, applied on submit. Suggestions come from the events on screen, so they grow with
 * the product's actions. Render it with a key of the applied filter so that it follows outside changes.
 */
export function AuditFilters({
  applied,
  onApply,
  knownActions,
  knownEntityTypes,
}: {
  applied: AuditFilterFields;
  onApply: (filter: AuditFilterFields) => void;
  knownActions: string[];
  knownEntityTypes: string[];
}) {
  const [draft, setDraft] = useState(applied);
  const set = (name: keyof AuditFilterFields) => (event: { target: { value: string } }) =>
    setDraft({ ...draft, [name]: event.target.value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  const active = auditFilterNames.some((name) => applied[name] !== '');

  return (
    <form className="filters" role="search" aria-label="Filter the audit trail" onSubmit={submit}>
      <label className="filter">
        Action
        <input list="audit-actions" placeholder="e.g. user.updated" value={draft.action} onChange={set('action')} />
      </label>
      <label className="filter">
        Entity type
        <input
          list="audit-entity-types"
          placeholder="e.g. user"
          value={draft.entityType}
          onChange={set('entityType')}
        />
      </label>
      <label className="filter filter-wide">
        Entity ID
        <input value={draft.entityId} onChange={set('entityId')} />
      </label>
      <label className="filter">
        From
        <input type="date" value={draft.from} max={draft.to || undefined} onChange={set('from')} />
      </label>
      <label className="filter">
        To
        <input type="date" value={draft.to} min={draft.from || undefined} onChange={set('to')} />
      </label>
      <div className="filter-actions">
        <button type="submit" className="button button-primary">
          Apply
        </button>
        {active && (
          <button type="button" className="button" onClick={() => onApply(emptyAuditFilter)}>
            Clear
          </button>
        )}
      </div>
      <datalist id="audit-actions">
        {knownActions.map((action) => (
          <option key={action} value={action} />
        ))}
      </datalist>
      <datalist id="audit-entity-types">
        {knownEntityTypes.map((type) => (
          <option key={type} value={type} />
        ))}
      </datalist>
    </form>
  );
}
