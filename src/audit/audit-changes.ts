import { canonicalJson } from './audit-chain.js';

export type FieldChange = { before: unknown; after: unknown };

/**
 * The fields that differ between two versions of a record, by dotted path into nested objects
 * (`senders.replyTo`), each with its value before and after; an absent value is null. Arrays and
 * other values compare whole.
 */
export function fieldChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  prefix = '',
): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const [was, is] = [before[field] ?? null, after[field] ?? null];
    if (isPlainObject(was) && isPlainObject(is)) Object.assign(changes, fieldChanges(was, is, `${prefix}${field}.`));
    else if (canonicalJson(was) !== canonicalJson(is)) changes[`${prefix}${field}`] = { before: was, after: is };
  }
  return changes;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
