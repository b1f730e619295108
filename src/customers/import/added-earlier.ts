import type { CustomerKind } from '../customers.tables.js';
import type { CustomerState } from './customer-row.js';
import type { UpsertKey } from './import-fields.js';

/**
 * While a file is validated nothing is written, so a batch cannot find the customers the batches
 * before it add: these are their keys (every address, or the external ID), each with the first row
 * that named it, the customer's kind and its address's country (a later row's local phone number is
 * read for it), packed into one number to keep a million of them small.
 */
export type AddedEarlier = Map<string, number>;

/** Room in a packed value for a country's number. */
const COUNTRIES = 1024;
/** A two-letter country code as a number from 1 to 676, 0 for none. */
const countryNumber = (country: string | undefined) =>
  country && /^[A-Z]{2}$/.test(country) ? (country.charCodeAt(0) - 65) * 26 + country.charCodeAt(1) - 65 + 1 : 0;
const countryOf = (number: number) =>
  number === 0 ? undefined : String.fromCharCode(65 + Math.floor((number - 1) / 26), 65 + ((number - 1) % 26));

const packed = (rowNumber: number, kind: CustomerKind, country: string | undefined) =>
  (rowNumber * COUNTRIES + countryNumber(country)) * 2 + (kind === 'organization' ? 1 : 0);

/** The first row, kind and country of the customer an earlier batch adds under this key, if one does. */
export function addedEarlierFor(added: AddedEarlier | undefined, key: string | undefined) {
  const value = key === undefined ? undefined : added?.get(key);
  if (value === undefined) return undefined;
  const rest = Math.floor(value / 2);
  return {
    rowNumber: Math.floor(rest / COUNTRIES),
    kind: (value % 2 ? 'organization' : 'person') as CustomerKind,
    country: countryOf(rest % COUNTRIES),
  };
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
      if (key && !added.has(key))
        added.set(key, packed(firstRow.get(target.id) ?? 0, target.state.kind, target.state.address?.country));
  }
}
