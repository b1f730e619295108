import { randomUUID } from 'node:crypto';
import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import { inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import type { AttributesService } from './attributes.service.js';
import { listCustomersQuery } from './customers.schemas.js';
import type { Customer, CustomersService } from './customers.service.js';
import { customerConsents } from './customers.tables.js';
import { customerToVCard } from './vcard.js';

export const exportCustomersQuery = listCustomersQuery.omit({ cursor: true, limit: true });
export type ExportCustomersQuery = z.infer<typeof exportCustomersQuery>;

/** Large pages: the export reads the whole list, and each page is one keyset query and one of consents. */
const PAGE_SIZE = 2000;

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
/** One CSV line as csv-stringify writes it; a page of them is one string, not one stream chunk a row. */
const csvLine = (cells: string[]) =>
  `${cells.map((cell) => (quoteWorthy.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(',')}\n`;

const baseColumns = [
  'id',
  'externalId',
  'kind',
  'name',
  'givenName',
  'familyName',
  'organizationName',
  'emails',
  'phones',
  'fax',
  'addressLine1',
  'addressLine2',
  'postalCode',
  'city',
  'region',
  'country',
  'language',
  'timeZone',
  'lifecycleStage',
  'tags',
] as const;

function baseCells(customer: Customer): string[] {
  const { address } = customer;
  const cells: Record<(typeof baseColumns)[number], string | null | undefined> = {
    id: customer.id,
    externalId: customer.externalId,
    kind: customer.kind,
    name: customer.name,
    givenName: customer.givenName,
    familyName: customer.familyName,
    organizationName: customer.organizationName,
    emails: customer.emails.join('; '),
    phones: customer.phones.join('; '),
    fax: customer.fax,
    addressLine1: address?.lines[0],
    addressLine2: address?.lines.slice(1).join(', '),
    postalCode: address?.postalCode,
    city: address?.city,
    region: address?.region,
    country: address?.country,
    language: customer.language,
    timeZone: customer.timeZone,
    lifecycleStage: customer.lifecycleStage,
    tags: customer.tags.join('; '),
  };
  return baseColumns.map((column) => cells[column] ?? '');
}

export type CustomerExport = ReturnType<typeof createCustomerExport>;

/**
 * Customer lists out of Tidings as CSV (columns named as the import maps them, so a file exported
 * here imports back without a mapping) or vCards; streamed in keyset pages of the same list
 * query the API uses, never the whole list in memory.
 */
export function createCustomerExport({
  db,
  audit,
  customers,
  attributes,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  customers: Pick<CustomersService, 'list' | 'get'>;
  attributes: Pick<AttributesService, 'definitions'>;
}) {
  /**
   * Checks, reads the first page and records the export, then hands out the rest page by page:
   * whatever is wrong with the filter (an unknown segment) answers before the download starts.
   */
  async function begin(actor: Actor, format: 'csv' | 'vcard', query: ExportCustomersQuery) {
    authorize(actor, 'customers.export');
    const first = await customers.list(actor, { ...query, limit: PAGE_SIZE });
    await db.transaction((tx) =>
      audit.record(tx, actor, {
        action: 'customer.exported',
        entityType: 'customer_export',
        entityId: randomUUID(),
        summary: { format, filters: { ...query } },
      }),
    );
    return (async function* pages() {
      let page = first;
      if (page.customers.length) yield page.customers;
      while (page.nextCursor) {
        page = await customers.list(actor, { ...query, cursor: page.nextCursor, limit: PAGE_SIZE });
        if (page.customers.length) yield page.customers;
      }
    })();
  }

  return {
    async csv(actor: Actor, query: ExportCustomersQuery): Promise<Readable> {
      const pages = await begin(actor, 'csv', query);
      const keys = (await attributes.definitions()).map((definition) => definition.key);
      const slots = (
        await db
          .selectDistinct({ channel: customerConsents.channel, purpose: customerConsents.purpose })
          .from(customerConsents)
          .orderBy(customerConsents.channel, customerConsents.purpose)
      ).map((slot) => `${slot.channel}.${slot.purpose}`);
      const header = [
        ...baseColumns,
        ...keys.map((key) => `attributes.${key}`),
        ...slots.map((slot) => `consent.${slot}`),
        'archivedAt',
        'createdAt',
        'updatedAt',
      ];
      async function* text() {
        yield `\uFEFF${csvLine(header)}`;
        for await (const page of pages) {
          const consents = new Map<string, boolean>();
          const rows = await db
            .select({
              customerId: customerConsents.customerId,
              slot: sql<string>`${customerConsents.channel} || '.' || ${customerConsents.purpose}`,
              granted: customerConsents.granted,
            })
            .from(customerConsents)
            .where(
              inArray(
                customerConsents.customerId,
                page.map((customer) => customer.id),
              ),
            );
          for (const row of rows) consents.set(`${row.customerId}.${row.slot}`, row.granted);
          let lines = '';
          for (const customer of page) {
            const consentCells = slots.map((slot) => {
              const granted = consents.get(`${customer.id}.${slot}`);
              return granted === undefined ? '' : granted ? 'yes' : 'no';
            });
            const attributeCells = keys.map((key) => String(customer.attributes[key] ?? ''));
            const dates = [
              customer.archivedAt?.toISOString() ?? '',
              customer.createdAt.toISOString(),
              customer.updatedAt.toISOString(),
            ];
            lines += csvLine(
              [...baseCells(customer), ...attributeCells, ...consentCells, ...dates].map(spreadsheetSafe),
            );
          }
          yield lines;
        }
      }
      return Readable.from(text(), { objectMode: false });
    },

    async vcards(actor: Actor, query: ExportCustomersQuery): Promise<Readable> {
      const pages = await begin(actor, 'vcard', query);
      return Readable.from(
        (async function* cards() {
          for await (const page of pages) yield page.map(customerToVCard).join('');
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
