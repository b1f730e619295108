import { randomUUID } from 'node:crypto';
import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import type { AttributesService } from './attributes.service.js';
import { storedConsents } from './consent.service.js';
import { listCustomersQuery } from './customers.schemas.js';
import type { CustomersService } from './customers.service.js';
import { customerConsents, customers as customersTable } from './customers.tables.js';
import { customerToVCard, type VCardCustomer } from './vcard.js';

export const exportCustomersQuery = listCustomersQuery.omit({ cursor: true, limit: true });
export type ExportCustomersQuery = z.infer<typeof exportCustomersQuery>;

/** Rows per keyset statement: large batches keep the statements per row low. */
const SCAN_SIZE = 4_000;

/**
 * Stops a cell from running as a spreadsheet formula (=, @, or a sign not starting a number);
 * the import takes the leading apostrophe off again.
 */
export const spreadsheetSafe = (value: string) =>
  /^[=@\t\r]/.test(value) || /^[+-](?![\d\s().-]*$)/.test(value) ? `'${value}` : value;

/** CSV with a BOM (so that Excel reads UTF-8), streamed from records as they come. */
export function csvStream(records: AsyncIterable<unknown[]>, header: string[]): Readable {
  return pipeline(Readable.from(records), stringify({ bom: true, header: true, columns: header }), () => {});
}

const quoteWorthy = /[",\r\n]/;
/** What a cell may need: formula protection (by its first character) or quotes. Most cells need neither. */
const mayNeedWork = /^[=@\t\r+-]|[",\r\n]/;
/** One CSV cell as csv-stringify writes it, with the formula protection. */
const csvCell = (value: string | null) => {
  if (!value) return '';
  if (!mayNeedWork.test(value)) return value;
  const safe = spreadsheetSafe(value);
  return quoteWorthy.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

const isoInstant = (value: AnyPgColumn) =>
  sql<string | null>`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const text = (value: AnyPgColumn | SQL) => sql<string | null>`(${value})::text`;

/** The columns, named as the import maps them (an exported file imports back without a mapping), and their values as text. */
const baseColumns: [string, SQL<string | null>][] = [
  ['id', text(customersTable.id)],
  ['externalId', text(customersTable.externalId)],
  ['kind', text(customersTable.kind)],
  ['name', text(customersTable.name)],
  ['givenName', text(customersTable.givenName)],
  ['familyName', text(customersTable.familyName)],
  ['organizationName', text(customersTable.organizationName)],
  ['emails', sql`array_to_string(${customersTable.emails}, '; ')`],
  ['phones', sql`array_to_string(${customersTable.phones}, '; ')`],
  ['fax', text(customersTable.fax)],
  ['addressLine1', sql`${customersTable.address} -> 'lines' ->> 0`],
  [
    'addressLine2',
    sql`array_to_string(array(select jsonb_array_elements_text(${customersTable.address} -> 'lines') offset 1), ', ')`,
  ],
  ['postalCode', sql`${customersTable.address} ->> 'postalCode'`],
  ['city', sql`${customersTable.address} ->> 'city'`],
  ['region', sql`${customersTable.address} ->> 'region'`],
  ['country', sql`${customersTable.address} ->> 'country'`],
  ['language', text(customersTable.language)],
  ['timeZone', text(customersTable.timeZone)],
  ['lifecycleStage', text(customersTable.lifecycleStage)],
  ['tags', sql`array_to_string(${customersTable.tags}, '; ')`],
];

/** A customer's card fields as one JSON object, named as VCardCustomer names them; the instant as ISO text. */
const cardFields = sql`json_build_object(${sql.join(
  Object.entries({
    id: customersTable.id,
    kind: customersTable.kind,
    name: customersTable.name,
    givenName: customersTable.givenName,
    familyName: customersTable.familyName,
    organizationName: customersTable.organizationName,
    emails: customersTable.emails,
    phones: customersTable.phones,
    fax: customersTable.fax,
    address: customersTable.address,
    language: customersTable.language,
    timeZone: customersTable.timeZone,
    tags: customersTable.tags,
    updatedAt: isoInstant(customersTable.updatedAt),
  } satisfies Record<keyof VCardCustomer, unknown>).map(([key, value]) => sql`${key}::text, ${value}`),
  sql`, `,
)})`;
type CardFields = Omit<VCardCustomer, 'updatedAt'> & { updatedAt: string };
/** A CSV line's cells as text, and its customer's consents already as CSV (when any slot exists). */
type CsvRow = { cells: (string | null)[]; consents?: string };

export type CustomerExport = ReturnType<typeof createCustomerExport>;
/** Hears how many customers an export has written so far. */
export type ExportProgress = (exported: number) => void;

/**
 * Customer lists out of Tidings as CSV or vCards, streamed in keyset batches of the list's own
 * filters and order, never the whole list in memory.
 */
export function createCustomerExport({
  db,
  audit,
  customers,
  attributes,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  customers: Pick<CustomersService, 'get' | 'scan'>;
  attributes: Pick<AttributesService, 'definitions'>;
}) {
  /**
   * Checks, reads the first batch and records the export, then hands out the rest batch by batch:
   * whatever is wrong with the filter (an unknown segment) answers before the download starts.
   * `onProgress` hears how many customers have been handed out, after each batch.
   */
  async function begin<T extends unknown[]>(
    actor: Actor,
    format: 'csv' | 'vcard',
    query: ExportCustomersQuery,
    batches: AsyncIterator<T>,
    onProgress?: ExportProgress,
  ) {
    authorize(actor, 'customers.export');
    const first = await batches.next();
    await db.transaction((tx) =>
      audit.record(tx, actor, {
        action: 'customer.exported',
        entityType: 'customer_export',
        entityId: randomUUID(),
        summary: { format, filters: { ...query } },
      }),
    );
    return (async function* rest() {
      let exported = 0;
      try {
        for (let batch = first; !batch.done;) {
          // The next batch is read while this one is written out: the database works while we do.
          const next = batches.next();
          // Awaited below; a download given up in the meantime must not leave its failure unheard.
          next.catch(() => {});
          yield batch.value;
          onProgress?.((exported += batch.value.length));
          batch = await next;
        }
      } finally {
        await batches.return?.(undefined);
      }
    })();
  }

  /**
   * Each batch's rows with their customers' consents (the id is a row's first cell), read in one
   * statement a batch: a cell per channel.purpose slot, "yes", "no" or nothing, joined by commas.
   * A subquery per row cost the export more than half its database time.
   */
  async function* withConsents(
    batches: AsyncIterable<(string | null)[][]>,
    slots: { channel: string; purpose: string }[],
  ): AsyncGenerator<CsvRow[]> {
    const keys = slots.map((slot) => `${slot.channel}.${slot.purpose}`);
    const cell = (granted: boolean | undefined) => (granted === undefined ? '' : granted ? 'yes' : 'no');
    const none = keys.map(() => '').join(',');
    for await (const rows of batches) {
      if (!slots.length) {
        yield rows.map((cells) => ({ cells }));
        continue;
      }
      const answers = await storedConsents(
        db,
        rows.map((cells) => cells[0]!),
      );
      yield rows.map((cells) => {
        const given = answers.get(cells[0]!);
        return { cells, consents: given ? keys.map((key) => cell(given.get(key))).join(',') : none };
      });
    }
  }

  return {
    async csv(actor: Actor, query: ExportCustomersQuery, onProgress?: ExportProgress): Promise<Readable> {
      const keys = (await attributes.definitions()).map((definition) => definition.key);
      const slots = await db
        .selectDistinct({ channel: customerConsents.channel, purpose: customerConsents.purpose })
        .from(customerConsents)
        .orderBy(customerConsents.channel, customerConsents.purpose);
      const header = [
        ...baseColumns.map(([column]) => column),
        ...keys.map((key) => `attributes.${key}`),
        ...slots.map((slot) => `consent.${slot.channel}.${slot.purpose}`),
        'archivedAt',
        'createdAt',
        'updatedAt',
      ];
      const values = [
        ...baseColumns.map(([, value]) => value),
        ...keys.map((key) => sql<string | null>`${customersTable.attributes} ->> ${key}`),
      ];
      const dates = [customersTable.archivedAt, customersTable.createdAt, customersTable.updatedAt].map(isoInstant);
      const scanned = customers.scan(actor, query, SCAN_SIZE, [...values, ...dates]);
      const batches = await begin(actor, 'csv', query, withConsents(scanned, slots), onProgress);
      // The consents cell is already CSV (a cell per slot, none needing quotes), so it is written as it comes.
      const line = ({ cells, consents }: CsvRow) => {
        let text = '';
        for (let index = 0; index < cells.length; index++) {
          if (index) text += ',';
          if (index === values.length && consents !== undefined) text += `${consents},`;
          text += csvCell(cells[index] ?? null);
        }
        return text;
      };
      return Readable.from(
        (async function* text() {
          yield `\uFEFF${header.map(csvCell).join(',')}\n`;
          for await (const batch of batches) yield `${batch.map(line).join('\n')}\n`;
        })(),
        { objectMode: false },
      );
    },

    async vcards(actor: Actor, query: ExportCustomersQuery, onProgress?: ExportProgress): Promise<Readable> {
      const batches = await begin(
        actor,
        'vcard',
        query,
        customers.scan<[CardFields]>(actor, query, SCAN_SIZE, [cardFields]),
        onProgress,
      );
      return Readable.from(
        (async function* cards() {
          for await (const batch of batches)
            yield batch.map(([card]) => customerToVCard({ ...card, updatedAt: new Date(card.updatedAt) })).join('');
        })(),
        { objectMode: false },
      );
    },

    /** One customer's card: what anyone who may see the customer may save to an address book. */
    async vcard(actor: Actor, id: string) {
      const customer = await customers.get(actor, id);
      return {
        card: customerToVCard(customer),
        fileName: `${customer.name.replace(/[^\p{L}\p{N} ._-]+/gu, '').trim() || 'customer'}.vcf`,
      };
    },
  };
}
