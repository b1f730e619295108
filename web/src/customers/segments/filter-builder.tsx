import type { ReactNode } from 'react';
import type { AttributeDefinition } from '../customers.api.js';
import {
  channelLabels,
  kindLabels,
  lifecycleLabels,
  lifecycleStages,
  purposeLabels,
  type Channel,
  type CustomerKind,
  type Purpose,
} from '../customer-vocabulary.js';
import { AttributeConditions } from './attribute-conditions.js';
import type { FilterDraft } from './segment-draft.js';
import { Checkboxes, choicesIn, Options } from '../../ui/choices.js';

type Props = { draft: FilterDraft; definitions: AttributeDefinition[]; onChange: (draft: FilterDraft) => void };

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="filter-section">
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}

function DateRange({
  label,
  from,
  to,
  onChange,
}: {
  label: string;
  from: string;
  to: string;
  onChange: (from: string, to: string) => void;
}) {
  return (
    <div className="date-range">
      <label>
        {label} from
        <input type="date" value={from} onChange={(event) => onChange(event.target.value, to)} />
      </label>
      <label>
        {label} until
        <input type="date" value={to} onChange={(event) => onChange(from, event.target.value)} />
      </label>
    </div>
  );
}

/** Every part of a segment filter; what is left empty does not narrow the segment. */
export function FilterBuilder({ draft, definitions, onChange }: Props) {
  const set = <K extends keyof FilterDraft>(name: K, value: FilterDraft[K]) => onChange({ ...draft, [name]: value });
  return (
    <div className="filter-builder">
      <Section title="Who">
        <div className="form-row">
          <label className="field">
            <span className="field-label">Kind</span>
            <select value={draft.kind} onChange={(event) => set('kind', event.target.value as CustomerKind | '')}>
              <option value="">People and organizations</option>
              <Options choices={choicesIn(kindLabels)} />
            </select>
          </label>
          <label className="field">
            <span className="field-label">Languages</span>
            <input
              placeholder="e.g. de, en"
              value={draft.languages}
              onChange={(event) => set('languages', event.target.value)}
            />
          </label>
        </div>
      </Section>
      <Section title="Lifecycle stage">
        <Checkboxes
          values={lifecycleStages}
          labels={lifecycleLabels}
          checked={draft.lifecycle}
          onChange={(checked) => set('lifecycle', checked)}
        />
      </Section>
      <Section title="Tags">
        <div className="form-row">
          <label className="field">
            <span className="field-label">Has all of these tags</span>
            <input
              placeholder="vip, newsletter"
              value={draft.tagsAll}
              onChange={(event) => set('tagsAll', event.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">Has any of these tags</span>
            <input
              placeholder="berlin, hamburg"
              value={draft.tagsAny}
              onChange={(event) => set('tagsAny', event.target.value)}
            />
          </label>
        </div>
      </Section>
      <Section title="Custom attributes">
        <AttributeConditions
          definitions={definitions}
          conditions={draft.attributes}
          onChange={(conditions) => set('attributes', conditions)}
        />
      </Section>
      <Section title="Consent given">
        <div className="form-row">
          <label className="field">
            <span className="field-label">Purpose</span>
            <select
              value={draft.consentPurpose}
              onChange={(event) => set('consentPurpose', event.target.value as Purpose | '')}
            >
              <option value="">Any</option>
              <Options choices={choicesIn(purposeLabels)} />
            </select>
          </label>
          <label className="field">
            <span className="field-label">Channel</span>
            <select
              value={draft.consentChannel}
              onChange={(event) => set('consentChannel', event.target.value as Channel | '')}
            >
              <option value="">Any</option>
              <Options choices={choicesIn(channelLabels)} />
            </select>
          </label>
        </div>
        {Boolean(draft.consentPurpose) !== Boolean(draft.consentChannel) && (
          <p className="field-hint">Choose both a purpose and a channel to filter by consent.</p>
        )}
      </Section>
      <Section title="Dates">
        <DateRange
          label="Created"
          from={draft.createdFrom}
          to={draft.createdTo}
          onChange={(from, to) => onChange({ ...draft, createdFrom: from, createdTo: to })}
        />
        <DateRange
          label="Last contacted"
          from={draft.contactedFrom}
          to={draft.contactedTo}
          onChange={(from, to) => onChange({ ...draft, contactedFrom: from, contactedTo: to })}
        />
      </Section>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={draft.includeArchived}
          onChange={(event) => set('includeArchived', event.target.checked)}
        />
        Include archived customers
      </label>
    </div>
  );
}
