import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { cursorParam } from '../../http/schemas.js';
import { customerImportRejects, customerImports, importStatuses } from '../customers.tables.js';
import { delimiters } from './csv-reader.js';
import { importModes, upsertKeys } from './import-fields.js';

const delimiterSchema = z.enum(delimiters);

/** What `customer_imports.options` holds: the file's shape from the upload, the choices from the start. */
export const storedImportOptions = z.object({
  delimiter: delimiterSchema,
  columns: z.array(z.string()),
  mapping: z.record(z.string(), z.string()).optional(),
  upsertBy: z.enum(upsertKeys).optional(),
  mode: z.enum(importModes).optional(),
  dryRun: z.boolean().optional(),
  partial: z.boolean().optional(),
  /** Which start this is: a job left over from an earlier start of the same import does nothing. */
  runId: z.string().optional(),
  /** The blob of the rows validation passed, which the write pass reads instead of the file. */
  checkedRows: z.string().optional(),
});

export type StoredImportOptions = z.infer<typeof storedImportOptions>;

/**
 * A file sent as the raw request body. The handler reads it as a stream (a CSV may be gigabytes), so
 * the schema documents it as binary and leaves the checking to the reader.
 */
const fileBody = (description: string) => z.unknown().meta({ type: 'string', format: 'binary', description });

export const csvUploadBody = fileBody(
  'The CSV file itself as the request body (not a multipart form), sent with Content-Type text/csv: UTF-8 ' +
    '(a byte-order mark is allowed), the header row first, cells separated by , ; tab or | (detected from the ' +
    'header row unless ?delimiter= says), quoted with " where a cell holds the separator or a line break.',
);

export const vcardUploadBody = fileBody(
  'One or more vCards (3.0 or 4.0) as the request body, UTF-8, sent with Content-Type text/vcard.',
);

export const uploadQuery = z.strictObject({
  fileName: z.string().trim().min(1).max(255).default('customers.csv'),
  delimiter: delimiterSchema.optional().describe('Detected from the header row when left out'),
});

export const startImportBody = z.strictObject({
  mapping: z
    .record(z.string().max(500), z.string().max(100))
    .refine((mapping) => Object.keys(mapping).length > 0, 'map at least one column')
    .describe(
      'CSV column name → customer field, e.g. {"E-Mail": "email", "Tarif": "attributes.tariff", "Newsletter": "consent.email.marketing"}; unmapped columns are ignored',
    ),
  upsertBy: z
    .enum(upsertKeys)
    .default('email')
    .describe('How a row finds the customer it updates; a row without that key becomes a new customer'),
  mode: z
    .enum(importModes)
    .default('upsert')
    .describe(
      'upsert: update the customers rows match and add the rest; insert: only add new customers, refusing each row whose key (upsertBy) a customer already has',
    ),
  dryRun: z
    .boolean()
    .default(false)
    .describe('Only check the file and count what would be inserted, updated and rejected'),
  partial: z
    .boolean()
    .default(false)
    .describe('Import the valid rows even if others are rejected (otherwise nothing is imported then)'),
});

export type StartImportInput = z.infer<typeof startImportBody>;

// Response shapes are picked from the tables, so a column's type is written once and a column no
// schema picks (the file's hash, the stored options as they are) cannot leave the server.
const importColumns = createSelectSchema(customerImports);
const counted = importColumns.shape;

export const importResponse = importColumns
  .pick({
    id: true,
    fileName: true,
    fileSize: true,
    updated: true,
    error: true,
    createdBy: true,
    createdAt: true,
    finishedAt: true,
  })
  .extend({
    status: z
      .enum(importStatuses)
      .describe('uploaded → queued → validating → importing → completed; or rejected (nothing imported) or failed'),
    rowsTotal: counted.rowsTotal.describe('Known once validation has read the whole file; 0 before'),
    rowsDone: counted.rowsDone.describe('Rows checked while validating, rows written while importing'),
    inserted: counted.inserted.describe('New customers (would be, in a dry run)'),
    rejected: counted.rejected.describe('Rows refused; see /rejects'),
    // The options column, unfolded by the service.
    columns: storedImportOptions.shape.columns,
    delimiter: delimiterSchema,
    mapping: z.record(z.string(), z.string()).nullable(),
    upsertBy: z.enum(upsertKeys).nullable(),
    mode: z.enum(importModes),
    dryRun: z.boolean(),
    partial: z.boolean(),
  })
  .describe('CustomerImport');

export const uploadResponse = z
  .object({
    import: importResponse,
    sample: z.array(z.array(z.string())).describe('The first data rows, for the mapping step'),
    suggestedMapping: z.record(z.string(), z.string()),
  })
  .describe('CustomerImportUpload');

export const rejectsQuery = z.strictObject({
  cursor: cursorParam,
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const rejectResponse = createSelectSchema(customerImportRejects)
  .pick({ rowNumber: true, reason: true })
  .extend({ field: z.string().describe('The column; empty when the whole row is meant') });

export const importFieldsResponse = z
  .object({ fields: z.array(z.object({ field: z.string(), label: z.string() })) })
  .describe('CustomerImportFields');

export const vcardImportResponse = z
  .object({
    inserted: z.number().int(),
    updated: z.number().int(),
    rejected: z.number().int(),
    cards: z.array(
      z.object({
        card: z.number().int().describe('1 for the first card in the file'),
        line: z.number().int().describe('The line its BEGIN:VCARD is on'),
        outcome: z.enum(['inserted', 'updated', 'rejected']),
        customerId: z.uuid().nullable(),
        problems: z.array(z.object({ field: z.string(), reason: z.string() })),
      }),
    ),
    linesOutsideCards: z
      .array(z.number().int())
      .describe('Lines not inside any BEGIN:VCARD … END:VCARD: stray text, or a card that never ends'),
  })
  .describe('VCardImport');
