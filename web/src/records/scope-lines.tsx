import { choicesIn } from '../ui/choices.js';
import { SelectField, TextField, useForm } from '../ui/form.js';
import { scopeKindLabels, type ScopeKind, type ScopeLine } from './records.api.js';

const shortKind: Record<ScopeKind, string> = {
  customer: 'Customer',
  document: 'Document',
  ticket: 'Ticket',
  communication: 'Communication',
};

/**
 * The objects a hold names, as a list to add to: a kind and the object's id (copied from its page).
 * A customer holds their communications, archived copies, tickets and linked documents too.
 */
export function ScopeLinesField({ lines, onChange }: { lines: ScopeLine[]; onChange: (lines: ScopeLine[]) => void }) {
  const form = useForm({ kind: 'customer' as ScopeKind, targetId: '' }, async ({ kind, targetId }, { reset }) => {
    const id = targetId.trim();
    if (!lines.some((line) => line.kind === kind && line.targetId === id)) onChange([...lines, { kind, targetId: id }]);
    reset();
  });
  return (
    <fieldset className="field records-scope">
      <legend>Scope</legend>
      {lines.length === 0 ? (
        <p className="muted">Nothing yet: add customers, documents, tickets or communications by their id.</p>
      ) : (
        <ul className="records-scope-lines">
          {lines.map((line) => (
            <li key={`${line.kind}:${line.targetId}`}>
              {shortKind[line.kind]} <code>{line.targetId}</code>{' '}
              <button
                type="button"
                className="button button-small"
                onClick={() => onChange(lines.filter((other) => other !== line))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="records-scope-add">
        <SelectField form={form} name="kind" label="Kind" choices={choicesIn(scopeKindLabels)} />
        <TextField form={form} name="targetId" label="Id" placeholder="00000000-0000-…" />
        <button type="button" className="button" disabled={!form.values.targetId.trim()} onClick={form.submit}>
          Add to scope
        </button>
      </div>
    </fieldset>
  );
}

export const scopeKindName = shortKind;
