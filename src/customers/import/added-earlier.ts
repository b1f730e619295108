import type { CustomerKind } from '../customers.tables.js';
import type { CustomerState } from './customer-row.js';
import type { UpsertKey } from './import-fields.js';

/**
 * While a file is validated nothing is written, so a batch cannot find the customers the batches
 * before it add: these are their keys (every address, or the external ID), each with the first row
 * that named it and the customer's kind, packed into one number to keep a million of them small.
 */
export type AddedEarlier = Map<string, number>;

const packed = (rowNumber: number, kind: CustomerKind) => rowNumber * 2 + (kind === 'organization' ? 1 : 0);

/** The first row and kind of the customer an earlier batch adds under this key, if one does. */
export function addedEarlierFor(added: AddedEarlier | undefined, key: string | undefined) {
  const value = key === undefined ? undefined : added?.get(key);
  if (value === undefined) return undefined;
  return { rowNumber: Math.floor(value / 2), kind: (value % 2 ? 'organization' : 'person') as CustomerKind };
}

/** Remembers the keys of the customers a validated batch adds or changes, for the batches after it. */
export function rememberAdded(
  added: AddedEarlier,
  batch: {
    outcomes: { rowNumber: number; customerId: string }[];
    targets: { id: string; state: CustomerState }[];
  },
  upsertBy: UpsertKey,
) {
  const firstRow = new Map<string, number>();
  for (const outcome of batch.outcomes)
    if (!firstRow.has(outcome.customerId)) firstRow.set(outcome.customerId, outcome.rowNumber);
  for (const target of batch.targets) {
    const keys = upsertBy === 'email' ? target.state.emails : [target.state.externalId];
    for (const key of keys)
      if (key && !added.has(key)) added.set(key, packed(firstRow.get(target.id) ?? 0, target.state.kind));
  }
}
