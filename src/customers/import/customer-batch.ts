import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { and, isNull, sql, type SQL } from 'drizzle-orm';
import { rows, type Executor } from '../../db/database.js';
import type { Timeline } from '../../timeline/timeline.service.js';
import { storedConsents } from '../consent.service.js';
import { normalizeEmail, type AttributeDefinition } from '../customer-fields.js';
import {
  consentEvents,
  customerConsents,
  customerImportRejects,
  customers,
  type Channel,
  type Purpose,
} from '../customers.tables.js';
import { addedEarlierFor, type AddedEarlier } from './added-earlier.js';
import { addedEarlierInFile, applyRow, quoted, type CustomerState, type FieldValues } from './customer-row.js';
import type { ImportMode, UpsertKey } from './import-fields.js';

const YIELD_EVERY_ROWS = 200;

export type IncomingRow = {
  rowNumber: number;
  values: FieldValues;
  /** The row applied to a new customer, worked out ahead (while the database wrote the batch before). */
  asNew?: ReturnType<typeof applyRow>;
};
export type RowReject = { rowNumber: number; field: string; reason: string };
/** The rows a batch's rejects name (a row can have several). */
export const rejectedRows = (rejects: RowReject[]) => new Set(rejects.map((reject) => reject.rowNumber));

export type BatchRules = {
  upsertBy: UpsertKey;
  /** A row without the key always becomes a new customer; in insert mode, so does every other row. */
  mode: ImportMode;
  definitions: AttributeDefinition[];
  defaultCountry: string;
  /** How the user knows a field: the CSV column it came from, or the vCard property. */
  labelOf: (field: string) => string;
};

type Target = {
  id: string;
  /** The stored row's xmin when it was read; undefined for a customer this batch creates. */
  version: string | undefined;
  isNew: boolean;
  state: CustomerState;
  changed: Set<string>;
  consents: Map<string, boolean>;
};

type ConsentChange = { customerId: string; channel: Channel; purpose: Purpose; granted: boolean };

export type PreparedBatch = Awaited<ReturnType<typeof prepareBatch>>;

/** The field a row's key came from, as the user mapped it. */
const keyFieldOf = (values: FieldValues, upsertBy: UpsertKey) =>
  upsertBy === 'email' ? (values.has('emails') ? 'emails' : 'email') : 'externalId';

const keyOf = (values: FieldValues, upsertBy: UpsertKey) => {
  const raw = upsertBy === 'email' ? (values.get('email') ?? values.get('emails')) : values.get('externalId');
  const first = (Array.isArray(raw) ? raw[0] : raw?.split(/[;,\s]+/)[0])?.trim();
  return first ? (upsertBy === 'email' ? normalizeEmail(first) : first) : undefined;
};

/** What a batch reads of a stored customer: its state, and the row version its write checks against. */
const readStored = (executor: Executor, condition: SQL | undefined) =>
  executor
    .select({
      id: customers.id,
      createdAt: customers.createdAt,
      version: sql<string>`${customers}.xmin::text`,
      kind: customers.kind,
      name: customers.name,
      givenName: customers.givenName,
      familyName: customers.familyName,
      organizationName: customers.organizationName,
      emails: customers.emails,
      phones: customers.phones,
      fax: customers.fax,
      address: customers.address,
      language: customers.language,
      timeZone: customers.timeZone,
      lifecycleStage: customers.lifecycleStage,
      tags: customers.tags,
      attributes: customers.attributes,
      externalId: customers.externalId,
    })
    .from(customers)
    .where(condition);

type StoredCustomer = Awaited<ReturnType<typeof readStored>>[number];

/** The stored customers a batch's keys point at; by email, a primary address wins over a secondary one. */
async function findExisting(executor: Executor, keys: string[], upsertBy: UpsertKey) {
  const byKey = new Map<string, StoredCustomer>();
  if (keys.length === 0) return byKey;
  // One index probe per address: with `emails && <1000 addresses>` the planner expects most of the table and scans all of it.
  const byEmail = sql`${customers.id} = any(array(select c.id from unnest(${sql.param(keys)}::text[]) as k(email) join ${customers} c on c.emails @> array[k.email]))`;
  const condition =
    upsertBy === 'email'
      ? and(byEmail, isNull(customers.mergedInto))
      : sql`${customers.externalId} = any(${sql.param(keys)}::text[])`;
  const better = (row: StoredCustomer, than: StoredCustomer, key: string) => {
    const primary = Number(row.emails[0] === key) - Number(than.emails[0] === key);
    return primary !== 0 ? primary > 0 : row.createdAt < than.createdAt;
  };
  for (const row of await readStored(executor, condition)) {
    for (const key of upsertBy === 'email' ? row.emails : [row.externalId!]) {
      const best = byKey.get(key);
      if (!best || better(row, best, key)) byKey.set(key, row);
    }
  }
  return byKey;
}

/** A customer the batch read was changed by someone else before the batch wrote it; the batch starts over. */
export class CustomersChangedMeanwhile extends Error {}

/**
 * Validates a batch of rows against the stored customers they match, in file order: a later row
 * for the same customer applies on top of an earlier one. Reads only, and locks nothing: the
 * write checks that each customer it changes is still the version read here.
 */
export async function prepareBatch(
  executor: Executor,
  incoming: IncomingRow[],
  rules: BatchRules,
  addedEarlier?: AddedEarlier,
) {
  const keys = [
    ...new Set(incoming.map((row) => keyOf(row.values, rules.upsertBy)).filter((key): key is string => Boolean(key))),
  ];
  const existing = await findExisting(executor, keys, rules.upsertBy);
  const externalIds =
    rules.upsertBy === 'email'
      ? [
          ...new Set(
            incoming.map((row) => row.values.get('externalId')).filter((id): id is string => typeof id === 'string'),
          ),
        ]
      : [];
  const externalOwners = new Map<string, string>();
  if (externalIds.length) {
    const owners = await executor
      .select({ id: customers.id, externalId: customers.externalId })
      .from(customers)
      .where(sql`${customers.externalId} = any(${sql.param(externalIds)}::text[])`);
    for (const owner of owners) externalOwners.set(owner.externalId!, owner.id);
  } else if (rules.upsertBy === 'external_id') {
    for (const [key, row] of existing) externalOwners.set(key, row.id);
  }
  const matchedIds = [...new Set([...existing.values()].map((row) => row.id))];
  const consentsBefore = incoming.some((row) => [...row.values.keys()].some((field) => field.startsWith('consent.')))
    ? await storedConsents(executor, matchedIds)
    : new Map<string, Map<string, boolean>>();

  const targets = new Map<string, Target>();
  const targetOfKey = new Map<string, Target>();
  const firstRowOfKey = new Map<string, number>();
  const rejects: RowReject[] = [];
  const consentChanges: ConsentChange[] = [];
  const outcomes: { rowNumber: number; outcome: 'inserted' | 'updated'; customerId: string }[] = [];
  for (const [index, { rowNumber, values, asNew }] of incoming.entries()) {
    // Checking rows is the import's CPU work: the event loop gets a turn every few hundred.
    if (index > 0 && index % YIELD_EVERY_ROWS === 0) await nextTurn();
    const key = keyOf(values, rules.upsertBy);
    const earlier = addedEarlierFor(addedEarlier, key);
    if (key && rules.mode === 'insert' && (existing.has(key) || firstRowOfKey.has(key) || earlier !== undefined)) {
      const owner = existing.has(key)
        ? 'a customer'
        : `the customer of row ${earlier?.rowNumber ?? firstRowOfKey.get(key)}`;
      rejects.push({
        rowNumber,
        field: rules.labelOf(keyFieldOf(values, rules.upsertBy)),
        reason: `${quoted(key)} already belongs to ${owner}, and this import only adds new customers`,
      });
      continue;
    }
    let target = key ? targetOfKey.get(key) : undefined;
    const stored = key && !target ? existing.get(key) : undefined;
    if (stored) {
      target = targets.get(stored.id) ?? {
        id: stored.id,
        version: stored.version,
        isNew: false,
        state: stored,
        changed: new Set(),
        consents: consentsBefore.get(stored.id) ?? new Map(),
      };
    } else if (!target && earlier !== undefined) {
      target = {
        id: `added earlier: ${key}`,
        version: undefined,
        isNew: false,
        state: addedEarlierInFile(earlier.kind, earlier.country),
        changed: new Set(),
        consents: new Map(),
      };
    }
    const result = !target && asNew ? asNew : applyRow(values, target?.state, rules);
    if (result.problems) {
      rejects.push(
        ...result.problems.map((problem) => ({
          rowNumber,
          field: rules.labelOf(problem.field),
          reason: problem.reason,
        })),
      );
      continue;
    }
    const externalId = result.state.externalId;
    const owner = externalId && externalId !== target?.state.externalId ? externalOwners.get(externalId) : undefined;
    if (owner && owner !== target?.id) {
      rejects.push({
        rowNumber,
        field: rules.labelOf('externalId'),
        reason: `"${externalId}" already belongs to another customer`,
      });
      continue;
    }
    target ??= {
      id: randomUUID(),
      version: undefined,
      isNew: true,
      state: result.state,
      changed: new Set(),
      consents: new Map(),
    };
    outcomes.push({
      rowNumber,
      outcome: target.isNew && !targets.has(target.id) ? 'inserted' : 'updated',
      customerId: target.id,
    });
    target.state = result.state;
    for (const field of result.changed) target.changed.add(field);
    for (const consent of result.consents) {
      const slot = `${consent.channel}.${consent.purpose}`;
      if (target.consents.get(slot) === consent.granted) continue;
      target.consents.set(slot, consent.granted);
      consentChanges.push({ customerId: target.id, ...consent });
    }
    if (externalId) externalOwners.set(externalId, target.id);
    if (key) {
      targetOfKey.set(key, target);
      if (!firstRowOfKey.has(key)) firstRowOfKey.set(key, rowNumber);
    }
    targets.set(target.id, target);
  }
  const inserted = outcomes.filter((outcome) => outcome.outcome === 'inserted').length;
  return {
    targets: [...targets.values()],
    rejects,
    consentChanges,
    outcomes,
    inserted,
    updated: outcomes.length - inserted,
  };
}

const titleOf = (change: ConsentChange) =>
  `${change.granted ? 'Granted' : 'Withdrew'} ${change.purpose} consent for ${change.channel}`;

/** Rows travel as one jsonb parameter: no parameter limit, and no per-value cost in building the query. */
const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::jsonb`;

/** New customers get the table's own defaults for what the file left out. */
const tableDefaults = {
  language: customers.language.default as string,
  timeZone: customers.timeZone.default as string,
  lifecycleStage: customers.lifecycleStage.default as string,
};

/** A customer as one jsonb record, property by property (see `applyRow` on spreads). */
const recordOf = (id: string, state: CustomerState, version?: string) => ({
  id,
  version,
  kind: state.kind,
  name: state.name,
  givenName: state.givenName,
  familyName: state.familyName,
  organizationName: state.organizationName,
  emails: state.emails,
  phones: state.phones,
  fax: state.fax,
  address: state.address,
  language: state.language ?? tableDefaults.language,
  timeZone: state.timeZone ?? tableDefaults.timeZone,
  lifecycleStage: state.lifecycleStage ?? tableDefaults.lifecycleStage,
  tags: state.tags,
  attributes: state.attributes,
  externalId: state.externalId,
});

const customerRecord = sql`"name" text, "givenName" text, "familyName" text, "organizationName" text, emails text[], phones text[], fax text,
  address jsonb, language text, "timeZone" text, "lifecycleStage" text, tags text[], attributes jsonb, "externalId" text`;

/**
 * Writes a prepared batch with a handful of statements whatever its size: one insert of the new
 * customers, one update of the changed ones, the consent events with the current consent moved
 * along, and one timeline entry per customer the batch created or changed.
 */
/** `source` names where the data came from, as in "Imported from customers.csv". */
export async function writeBatch(
  tx: Executor,
  batch: PreparedBatch,
  context: { at: Date; recordedBy: string; source: string; timeline: Pick<Timeline, 'appendMany'> },
) {
  const { at, recordedBy, source } = context;
  const created = batch.targets.filter((target) => target.isNew);
  const changed = batch.targets.filter((target) => !target.isNew && target.changed.size > 0);
  if (created.length) {
    await tx.execute(sql`
      insert into ${customers} (id, kind, name, given_name, family_name, organization_name, emails, phones, fax, address, language, time_zone,
        lifecycle_stage, tags, attributes, external_id, created_at, updated_at)
      select v.id, v.kind, v."name", v."givenName", v."familyName", v."organizationName", v.emails, v.phones, v.fax, v.address, v.language,
        v."timeZone", v."lifecycleStage", v.tags, v.attributes, v."externalId", ${at}, ${at}
      from jsonb_to_recordset(${json(created.map(({ id, state }) => recordOf(id, state)))}) as v(id uuid, kind text, ${customerRecord})`);
  }
  if (changed.length) {
    const written = await rows(
      tx,
      sql`
      update ${customers} as c set
        name = v."name", given_name = v."givenName", family_name = v."familyName", organization_name = v."organizationName",
        emails = v.emails, phones = v.phones, fax = v.fax, address = v.address, language = v.language, time_zone = v."timeZone",
        lifecycle_stage = v."lifecycleStage", tags = v.tags, attributes = v.attributes, external_id = v."externalId", updated_at = ${at}
      from jsonb_to_recordset(${json(changed.map(({ id, version, state }) => recordOf(id, state, version)))}) as v(id uuid, version text, ${customerRecord})
      where c.id = v.id and c.xmin = v.version::xid
      returning c.id`,
    );
    if (written.length !== changed.length)
      throw new CustomersChangedMeanwhile(
        `${changed.length - written.length} of the batch's customers were changed meanwhile.`,
      );
  }
  if (batch.consentChanges.length) {
    const changes = json(batch.consentChanges);
    const record = sql`v("customerId" uuid, channel text, purpose text, granted boolean)`;
    await tx.execute(sql`
      insert into ${consentEvents} (customer_id, channel, purpose, granted, source, note, recorded_by, at)
      select v."customerId", v.channel, v.purpose, v.granted, 'import', ${`Imported from ${source}`}, ${recordedBy}, ${at} from jsonb_to_recordset(${changes}) as ${record}`);
    const latest = new Map(
      batch.consentChanges.map((change) => [`${change.customerId}.${change.channel}.${change.purpose}`, change]),
    );
    await tx.execute(sql`
      insert into ${customerConsents} (customer_id, channel, purpose, granted, source, at)
      select v."customerId", v.channel, v.purpose, v.granted, 'import', ${at} from jsonb_to_recordset(${json([...latest.values()])}) as ${record}
      on conflict (customer_id, channel, purpose) do update set granted = excluded.granted, source = excluded.source, at = excluded.at
      -- As in the consent service: an older statement never overwrites a newer one.
      where ${customerConsents}.at <= excluded.at`);
  }
  const consentLines = new Map<string, string[]>();
  for (const change of batch.consentChanges)
    consentLines.set(change.customerId, [...(consentLines.get(change.customerId) ?? []), titleOf(change)]);
  const touched = [
    ...created,
    ...changed,
    ...batch.targets.filter((target) => !target.isNew && target.changed.size === 0 && consentLines.has(target.id)),
  ];
  await context.timeline.appendMany(
    tx,
    touched.map((target) => ({
      customerId: target.id,
      at,
      kind: 'customer',
      title: `${target.isNew ? 'Imported' : 'Updated'} from ${source}`,
      body: consentLines.get(target.id)?.join('\n'),
      data: target.isNew ? {} : { fields: [...target.changed] },
      actorLabel: recordedBy,
    })),
  );
}

/** Stores an import's rejects in one statement; a reason quoting a huge cell is cut short. */
export async function storeRejects(executor: Executor, importId: string, rejects: RowReject[]) {
  if (rejects.length === 0) return;
  const rows = rejects.map((reject) => ({ ...reject, reason: reject.reason.slice(0, 1000) }));
  await executor.execute(sql`
    insert into ${customerImportRejects} (import_id, row_number, field, reason)
    select ${importId}, v."rowNumber", v.field, v.reason from jsonb_to_recordset(${json(rows)}) as v("rowNumber" int, field text, reason text)`);
}
