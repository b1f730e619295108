const isChange = (value: unknown): value is { from: unknown; to: unknown } =>
  typeof value === 'object' && value !== null && 'from' in value && 'to' in value && Object.keys(value).length === 2;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are for machines; their first eight characters are enough to tell them apart on screen. */
export const shortId = (id: string) => (UUID.test(id) ? `${id.slice(0, 8)}…` : id);

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (Array.isArray(value)) return value.length ? value.map(describeValue).join(', ') : 'none';
  if (isChange(value)) return `${describeValue(value.from)} → ${describeValue(value.to)}`;
  if (typeof value === 'object') return JSON.stringify(value);
  return typeof value === 'string' ? shortId(value) : String(value);
}

/** An audit event's summary as short "field: value" lines, changes shown as "old → new". */
export function describeSummary(summary: Record<string, unknown>): string[] {
  return Object.entries(summary).map(([field, value]) => `${field}: ${describeValue(value)}`);
}
