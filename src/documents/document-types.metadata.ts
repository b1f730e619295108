import { eq } from 'drizzle-orm';
import type { Executor } from '../db/database.js';
import { AppError, type ErrorDetail } from '../shared/errors.js';
import { documentTypes, type DocumentTypeField, type Metadata, type MetadataValue } from './document-types.tables.js';

const MAX_TEXT = 2_000;

/** A valid calendar date written YYYY-MM-DD. */
const isDate = (text: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
};

/** One value read as its field's kind, or the reason it cannot be. Empty values are left out by the caller. */
function valueOf(field: DocumentTypeField, raw: unknown): { value: MetadataValue } | { problem: string } {
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  switch (field.kind) {
    case 'number': {
      const number = typeof raw === 'number' ? raw : text !== undefined && text !== '' ? Number(text) : NaN;
      return Number.isFinite(number) ? { value: number } : { problem: `must be a number, not ${JSON.stringify(raw)}` };
    }
    case 'date':
      return text !== undefined && isDate(text)
        ? { value: text }
        : { problem: `must be a date as YYYY-MM-DD, not ${JSON.stringify(raw)}` };
    case 'boolean':
      if (typeof raw === 'boolean') return { value: raw };
      if (text === 'true' || text === 'false') return { value: text === 'true' };
      return { problem: `must be true or false, not ${JSON.stringify(raw)}` };
    case 'choice':
      return text !== undefined && field.choices.includes(text)
        ? { value: text }
        : { problem: `must be one of ${field.choices.map((choice) => `"${choice}"`).join(', ')}` };
    case 'text':
      if (typeof raw !== 'string' && typeof raw !== 'number') return { problem: 'must be text' };
      if (String(raw).trim().length > MAX_TEXT) return { problem: `must be at most ${MAX_TEXT} characters` };
      return { value: String(raw).trim() };
  }
}

/**
 * Checks metadata against a type's fields and returns it typed (numbers as numbers, dates as
 * YYYY-MM-DD, yes/no as booleans, empty values left out), with one problem per bad field, each
 * named `<prefix>.<key>`.
 */
export function checkMetadata(
  typeName: string,
  fields: readonly DocumentTypeField[],
  values: Record<string, unknown>,
  prefix: string,
): { metadata: Metadata; problems: ErrorDetail[] } {
  const byKey = new Map(fields.map((field) => [field.key, field]));
  const metadata: Metadata = {};
  const problems: ErrorDetail[] = [];
  for (const [key, raw] of Object.entries(values)) {
    const field = byKey.get(key);
    if (!field) {
      const known = fields.map((candidate) => candidate.key).join(', ') || 'none';
      problems.push({ path: `${prefix}.${key}`, message: `is not a field of ${typeName} (its fields: ${known})` });
      continue;
    }
    if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) continue;
    const read = valueOf(field, raw);
    if ('problem' in read) problems.push({ path: `${prefix}.${key}`, message: read.problem });
    else metadata[key] = read.value;
  }
  for (const field of fields)
    if (field.required && !(field.key in metadata) && !problems.some((p) => p.path === `${prefix}.${field.key}`))
      problems.push({ path: `${prefix}.${field.key}`, message: `is required by ${typeName} (${field.label})` });
  return { metadata, problems };
}

export const metadataInvalid = (problems: ErrorDetail[]) =>
  new AppError(
    'validation_failed',
    'document.metadata_invalid',
    problems.map((problem) => `${problem.path}: ${problem.message}`).join('; '),
    problems,
  );

/**
 * The metadata a document of this type (or of none) may carry, typed, or a 400 naming every bad
 * field. Without a type a document carries no metadata.
 */
export async function metadataFor(
  executor: Executor,
  typeId: string | null,
  values: Record<string, unknown>,
  paths: { typeId: string; metadata: string },
): Promise<Metadata> {
  if (typeId === null) {
    const keys = Object.keys(values);
    if (keys.length === 0) return {};
    throw metadataInvalid(
      keys.map((key) => ({ path: `${paths.metadata}.${key}`, message: 'needs a document type that has this field' })),
    );
  }
  const [type] = await executor.select().from(documentTypes).where(eq(documentTypes.id, typeId));
  if (!type)
    throw new AppError('not_found', 'document_type.not_found', `No document type with id ${typeId}.`, [
      { path: paths.typeId, message: 'names no document type' },
    ]);
  const { metadata, problems } = checkMetadata(type.name, type.fields, values, paths.metadata);
  if (problems.length) throw metadataInvalid(problems);
  return metadata;
}
