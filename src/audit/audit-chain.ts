import { createHash, createHmac } from 'node:crypto';

export type ChainedEvent = {
  seq: number;
  at: Date;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string;
  summary: Record<string, unknown>;
  prevHash: string;
};

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted, so the hash does not depend on how the database orders jsonb keys. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Hashes exactly the chained fields, whatever else the row carries: HMAC-SHA256 with the audit key,
 * so that nobody without the key (kept outside the database) can re-hash a rewritten chain. Events
 * written before the chain had a key (`key` null) were plain SHA-256.
 */
export function hashEvent(event: ChainedEvent, key: Buffer | null): string {
  const { seq, at, actorId, actorLabel, action, entityType, entityId, summary, prevHash } = event;
  const content = canonicalJson({
    seq,
    at: at.toISOString(),
    actorId,
    actorLabel,
    action,
    entityType,
    entityId,
    summary,
    prevHash,
  });
  return (key ? createHmac('sha256', key) : createHash('sha256')).update(content).digest('hex');
}

export type ChainBreak = { seq: number; reason: string };

/**
 * Checks a run of events in sequence order, given the hash the run should start from and the key
 * each event was hashed with. Returns the first break, or the hash the next run must start from.
 */
export function verifyRun(
  events: (ChainedEvent & { hash: string })[],
  expectedPrev: { seq: number; hash: string },
  keyFor: (seq: number) => Buffer | null,
): { break: ChainBreak } | { last: { seq: number; hash: string } } {
  let prev = expectedPrev;
  for (const event of events) {
    if (event.seq !== prev.seq + 1) {
      return { break: { seq: prev.seq + 1, reason: `event ${prev.seq + 1} is missing` } };
    }
    if (event.prevHash !== prev.hash) {
      return { break: { seq: event.seq, reason: 'does not link to the event before it' } };
    }
    if (hashEvent(event, keyFor(event.seq)) !== event.hash) {
      return { break: { seq: event.seq, reason: 'content does not match its hash (altered)' } };
    }
    prev = { seq: event.seq, hash: event.hash };
  }
  return { last: prev };
}
