import { endOfDay, startOfDay } from '../../ui/format.js';
import type { AttributeDefinition } from '../customers.api.js';
import type { Channel, CustomerKind, LifecycleStage, Purpose } from '../customer-vocabulary.js';
import { listOf, textOf } from '../text-lists.js';
import type { AttributeCondition, AttributeOperator, SegmentFilter } from './segments.api.js';

export type ConditionDraft = { key: string; op: AttributeOperator; value: string };

/** A segment filter as the editor's inputs hold it: text where the filter has lists, days where it has instants. */
export type FilterDraft = {
  kind: CustomerKind | '';
  lifecycle: LifecycleStage[];
  tagsAll: string;
  tagsAny: string;
  languages: string;
  attributes: ConditionDraft[];
  consentPurpose: Purpose | '';
  consentChannel: Channel | '';
  createdFrom: string;
  createdTo: string;
  contactedFrom: string;
  contactedTo: string;
  includeArchived: boolean;
};

const pad = (value: number) => String(value).padStart(2, '0');
/** The local calendar day of an instant, as a date input wants it. */
const dayOf = (iso: string | undefined) => {
  if (!iso) return '';
  const date = new Date(iso);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
};

const range = (from: string, to: string) =>
  from || to ? { ...(from && { from: startOfDay(from) }), ...(to && { to: endOfDay(to) }) } : undefined;
const listOrNothing = (text: string) => (listOf(text).length ? listOf(text) : undefined);

function conditionOf(draft: ConditionDraft, definitions: AttributeDefinition[]): AttributeCondition | undefined {
  if (!draft.key) return undefined;
  if (draft.op === 'exists') return { key: draft.key, op: 'exists' };
  const numeric = definitions.find((definition) => definition.key === draft.key)?.type === 'number';
  const typed = (text: string) => (numeric && text !== '' && Number.isFinite(Number(text)) ? Number(text) : text);
  if (draft.op === 'in') return { key: draft.key, op: 'in', value: listOf(draft.value).map(typed) };
  return { key: draft.key, op: draft.op, value: typed(draft.value.trim()) };
}

export function filterOf(draft: FilterDraft, definitions: AttributeDefinition[]): SegmentFilter {
  const attributes = draft.attributes
    .map((condition) => conditionOf(condition, definitions))
    .filter((condition) => condition !== undefined);
  const filter: SegmentFilter = {
    kind: draft.kind || undefined,
    lifecycle: draft.lifecycle.length ? draft.lifecycle : undefined,
    tagsAll: listOrNothing(draft.tagsAll),
    tagsAny: listOrNothing(draft.tagsAny),
    languages: listOrNothing(draft.languages),
    attributes: attributes.length ? attributes : undefined,
    consent:
      draft.consentPurpose && draft.consentChannel
        ? { purpose: draft.consentPurpose, channel: draft.consentChannel }
        : undefined,
    created: range(draft.createdFrom, draft.createdTo),
    lastContacted: range(draft.contactedFrom, draft.contactedTo),
    includeArchived: draft.includeArchived || undefined,
  };
  // Leaving out what is unset keeps saved filters small and the live query's key stable.
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)) as SegmentFilter;
}

export function draftOf(filter: SegmentFilter): FilterDraft {
  const valueText = (value: AttributeCondition['value']) =>
    value === undefined ? '' : Array.isArray(value) ? textOf(value.map(String)) : String(value);
  return {
    kind: filter.kind ?? '',
    lifecycle: filter.lifecycle ?? [],
    tagsAll: textOf(filter.tagsAll ?? []),
    tagsAny: textOf(filter.tagsAny ?? []),
    languages: textOf(filter.languages ?? []),
    attributes: (filter.attributes ?? []).map((condition) => ({
      key: condition.key,
      op: condition.op,
      value: valueText(condition.value),
    })),
    consentPurpose: filter.consent?.purpose ?? '',
    consentChannel: filter.consent?.channel ?? '',
    createdFrom: dayOf(filter.created?.from),
    createdTo: dayOf(filter.created?.to),
    contactedFrom: dayOf(filter.lastContacted?.from),
    contactedTo: dayOf(filter.lastContacted?.to),
    includeArchived: filter.includeArchived ?? false,
  };
}
