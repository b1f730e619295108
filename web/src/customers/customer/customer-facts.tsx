import { useState, type FormEvent } from 'react';
import type { StaffUser } from '../../auth/auth.api.js';
import { useSignedInUser } from '../../auth/session.js';
import { choicesIn, namedChoices, Options } from '../../ui/choices.js';
import { useSubmission } from '../../ui/form.js';
import { messageOf } from '../../ui/states.js';
import { useEveryPage } from '../../ui/use-api-data.js';
import { LifecycleBadge, TagList } from '../customer-badges.js';
import { may } from '../../ui/permissions.js';
import type { Customer, CustomerChange } from '../customers.api.js';
import { lifecycleLabels, type LifecycleStage } from '../customer-vocabulary.js';

type Props = { customer: Customer; editable: boolean; onSave: (change: CustomerChange) => Promise<void> };

function OwnerPicker({ customer, onSave }: Omit<Props, 'editable'>) {
  const me = useSignedInUser();
  // Only roles that may list staff get a picker; everyone else can take the customer on themselves.
  const staff = useEveryPage<'users', StaffUser>(may(me, 'users.read') ? '/api/users' : null, 'users');
  const ownerId = customer.owner?.id ?? '';
  if (!staff.data) {
    return (
      <span className="owner">
        {customer.owner?.name ?? <span className="muted">Nobody</span>}
        {ownerId !== me.id && (
          <button type="button" className="button button-small" onClick={() => void onSave({ ownerId: me.id })}>
            Assign to me
          </button>
        )}
      </span>
    );
  }
  const choices = staff.data.users.filter((user) => user.active || user.id === ownerId);
  return (
    <select
      aria-label="Owner"
      value={ownerId}
      onChange={(event) => void onSave({ ownerId: event.target.value || null })}
    >
      <option value="">Nobody</option>
      <Options choices={namedChoices(choices)} />
    </select>
  );
}

function TagEditor({ customer, onSave }: Omit<Props, 'editable'>) {
  const [draft, setDraft] = useState('');
  const add = (event: FormEvent) => {
    event.preventDefault();
    const tag = draft.trim();
    if (!tag || customer.tags.includes(tag)) return setDraft('');
    void onSave({ tags: [...customer.tags, tag] }).then(() => setDraft(''));
  };
  return (
    <form className="tag-editor" onSubmit={add}>
      {customer.tags.map((tag) => (
        <span key={tag} className="badge customer-tag">
          {tag}
          <button
            type="button"
            className="tag-remove"
            aria-label={`Remove tag ${tag}`}
            onClick={() => void onSave({ tags: customer.tags.filter((kept) => kept !== tag) })}
          >
            ×
          </button>
        </span>
      ))}
      <input
        className="tag-input"
        aria-label="Add a tag"
        placeholder="Add tag…"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
      />
    </form>
  );
}

/** Lifecycle stage, owner and tags: the facts staff change most, editable where they stand. */
export function CustomerFacts({ customer, editable, onSave }: Props) {
  const saving = useSubmission(onSave);
  const save = (change: CustomerChange) => saving.run(change);
  return (
    <section className="customer-facts" aria-label="Key facts">
      <div className="fact">
        <span className="fact-label" id="fact-lifecycle">
          Lifecycle
        </span>
        {editable ? (
          <select
            aria-labelledby="fact-lifecycle"
            value={customer.lifecycleStage}
            onChange={(event) => void save({ lifecycleStage: event.target.value as LifecycleStage })}
          >
            <Options choices={choicesIn(lifecycleLabels)} />
          </select>
        ) : (
          <LifecycleBadge stage={customer.lifecycleStage} />
        )}
      </div>
      <div className="fact">
        <span className="fact-label">Owner</span>
        {editable ? (
          <OwnerPicker customer={customer} onSave={save} />
        ) : (
          (customer.owner?.name ?? <span className="muted">Nobody</span>)
        )}
      </div>
      <div className="fact fact-wide">
        <span className="fact-label">Tags</span>
        {editable ? <TagEditor customer={customer} onSave={save} /> : <TagList tags={customer.tags} />}
      </div>
      {saving.error !== undefined && (
        <p className="field-error" role="alert">
          {messageOf(saving.error)}
        </p>
      )}
    </section>
  );
}
