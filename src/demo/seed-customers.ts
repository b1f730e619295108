import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import { rows, type Database } from '../db/database.js';
import {
  consentEvents,
  customerConsents,
  customerNameWords,
  customers,
  type Channel,
  type Purpose,
} from '../customers/customers.tables.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import type { Timeline, TimelineEntryInput } from '../timeline/timeline.service.js';
import { nameParts, seedLocales, type SeedLocale } from './seed-names.js';

/** Customers written per statement: one jsonb parameter each for customers, consents and timeline entries. */
const BATCH_ROWS = 2000;
const DAY_MS = 86_400_000;

export type SeedProgress = { done: number; total: number };
export type SeedResult = { customers: number; consents: number; timelineEntries: number };

/** A stable, well-mixed number for customer `n` and a purpose: the same seed gives the same customers. */
function mix(n: number, salt: number) {
  let value = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35);
  value ^= value >>> 16;
  value = Math.imul(value, 0x7feb352d);
  value ^= value >>> 15;
  value = Math.imul(value, 0x846ca68b);
  return (value ^ (value >>> 16)) >>> 0;
}

const totalWeight = seedLocales.reduce((sum, locale) => sum + locale.weight, 0);
function localeOf(roll: number): SeedLocale {
  let left = roll % totalWeight;
  for (const locale of seedLocales) {
    if (left < locale.weight) return locale;
    left -= locale.weight;
  }
  return seedLocales[0]!;
}

const stages = [
  ['active', 55],
  ['prospect', 15],
  ['onboarding', 10],
  ['at_risk', 10],
  ['closed', 10],
] as const;
function stageOf(roll: number) {
  let left = roll % 100;
  for (const [stage, share] of stages) {
    if (left < share) return stage;
    left -= share;
  }
  return 'active';
}

type Consent = { customerId: string; channel: Channel; purpose: Purpose; granted: boolean; at: string };

/** Customer number `n`, its consents and its timeline, as the rows to insert. */
function generatedCustomer(n: number, now: number) {
  const roll = (salt: number) => mix(n, salt);
  const locale = localeOf(roll(1));
  const given = nameParts(locale.given[roll(2) % locale.given.length]!);
  const family = nameParts(locale.family[roll(3) % locale.family.length]!);
  const isOrganization = roll(4) % 10 === 0;
  const organizationName = isOrganization
    ? `${family.native} ${locale.organizationForms[roll(5) % locale.organizationForms.length]}`
    : null;
  const domain = locale.emailDomains[roll(6) % locale.emailDomains.length]!;
  const emails = [
    isOrganization ? `info.${family.latin}${n}@${domain}` : `${given.latin}.${family.latin}${n}@${domain}`,
    ...(roll(7) % 20 === 0 ? [`${given.latin[0]}${family.latin}${n}@example.org`] : []),
  ];
  const phones =
    roll(8) % 10 < 7
      ? [`${locale.phone.prefix}${String(n % 10 ** locale.phone.digits).padStart(locale.phone.digits, '0')}`]
      : [];
  const [city, postalPrefix] = locale.cities[roll(9) % locale.cities.length]!;
  const createdAt = now - (roll(10) % 1095) * DAY_MS - (roll(11) % DAY_MS);
  const updatedAt = Math.min(now, createdAt + (roll(12) % 200) * DAY_MS);
  const id = randomUUID();
  const tags = [
    roll(13) % 20 === 0 ? 'vip' : undefined,
    roll(14) % 10 < 3 ? 'newsletter' : undefined,
    roll(15) % 5 === 0 ? 'paperless' : undefined,
    isOrganization ? 'b2b' : undefined,
  ].filter((tag): tag is string => Boolean(tag));
  const customer = {
    id,
    kind: isOrganization ? 'organization' : 'person',
    name: organizationName ?? `${given.native} ${family.native}`,
    givenName: isOrganization ? null : given.native,
    familyName: isOrganization ? null : family.native,
    organizationName,
    emails,
    phones,
    address: {
      lines: [locale.street(1 + (roll(16) % 180), roll(17))],
      postalCode: locale.postalCode(postalPrefix, roll(18)),
      city,
      country: locale.country,
    },
    language: locale.language,
    timeZone: locale.timeZone,
    lifecycleStage: stageOf(roll(19)),
    tags,
    archivedAt: roll(20) % 50 === 0 ? new Date(updatedAt).toISOString() : null,
    createdAt: new Date(createdAt).toISOString(),
    updatedAt: new Date(updatedAt).toISOString(),
  };

  const consents: Consent[] = [];
  const consentAt = new Date(createdAt + DAY_MS).toISOString();
  if (roll(21) % 10 < 4)
    consents.push({
      customerId: id,
      channel: 'email',
      purpose: 'marketing',
      granted: roll(22) % 4 !== 0,
      at: consentAt,
    });
  if (roll(23) % 10 < 6)
    consents.push({ customerId: id, channel: 'email', purpose: 'service', granted: true, at: consentAt });
  if (phones.length && roll(24) % 100 < 15)
    consents.push({ customerId: id, channel: 'sms', purpose: 'marketing', granted: roll(25) % 3 !== 0, at: consentAt });

  const timeline: TimelineEntryInput[] = [
    { customerId: id, kind: 'customer', title: 'Customer created', at: new Date(createdAt), actorLabel: 'seed' },
    ...consents.map((consent) => ({
      customerId: id,
      kind: 'consent',
      title: `${consent.granted ? 'Granted' : 'Withdrew'} ${consent.purpose} consent for ${consent.channel}`,
      at: new Date(consent.at),
      actorLabel: 'seed',
    })),
    ...(roll(26) % 5 === 0
      ? [
          {
            customerId: id,
            kind: 'note',
            title: 'Note',
            body:
              roll(27) % 2
                ? 'Called about the last invoice; resolved.'
                : 'Asked to receive letters by email from now on.',
            at: new Date(updatedAt),
            actorLabel: 'seed',
          },
        ]
      : []),
  ];
  return { customer, consents, timeline };
}

const json = (values: unknown[]) => sql`${JSON.stringify(values)}::jsonb`;

/**
 * Fills the database with `count` generated customers for anyone who wants to see Tidings at size:
 * names from several languages and scripts, addresses, consents (ledger and current state) and
 * timelines. Written in batches, a handful of statements each; customers seeded before stay and
 * the new ones are numbered after them, so their addresses do not repeat.
 */
export function createCustomerSeeder(deps: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  timeline: Pick<Timeline, 'appendMany'>;
  clock: Clock;
}) {
  const { db } = deps;
  return {
    async seed(
      actor: Actor,
      options: { count: number; onProgress?: (progress: SeedProgress) => void },
    ): Promise<SeedResult> {
      authorize(actor, 'customers.import');
      const [{ seeded } = { seeded: 0 }] = await rows<{ seeded: number }>(
        db,
        sql`select count(*)::int as seeded from ${customers}`,
      );
      const now = deps.clock.now().getTime();
      const result: SeedResult = { customers: 0, consents: 0, timelineEntries: 0 };
      for (let start = 0; start < options.count; start += BATCH_ROWS) {
        const size = Math.min(BATCH_ROWS, options.count - start);
        const batch = Array.from({ length: size }, (_, index) => generatedCustomer(seeded + start + index + 1, now));
        const consents = batch.flatMap((entry) => entry.consents);
        const timeline = batch.flatMap((entry) => entry.timeline);
        await db.transaction(async (tx) => {
          await tx.execute(sql`
            insert into ${customers} (id, kind, name, given_name, family_name, organization_name, emails, phones, address,
              language, time_zone, lifecycle_stage, tags, archived_at, created_at, updated_at)
            select v.id, v.kind, v."name", v."givenName", v."familyName", v."organizationName", v.emails, v.phones, v.address,
              v.language, v."timeZone", v."lifecycleStage", v.tags, v."archivedAt", v."createdAt", v."updatedAt"
            from jsonb_to_recordset(${json(batch.map((entry) => entry.customer))}) as v(id uuid, kind text, "name" text,
              "givenName" text, "familyName" text, "organizationName" text, emails text[], phones text[], address jsonb,
              language text, "timeZone" text, "lifecycleStage" text, tags text[], "archivedAt" timestamptz,
              "createdAt" timestamptz, "updatedAt" timestamptz)`);
          if (consents.length) {
            const record = sql`v("customerId" uuid, channel text, purpose text, granted boolean, at timestamptz)`;
            await tx.execute(sql`
              insert into ${consentEvents} (customer_id, channel, purpose, granted, source, note, recorded_by, at)
              select v."customerId", v.channel, v.purpose, v.granted, 'form', 'Demo data', 'seed', v.at
              from jsonb_to_recordset(${json(consents)}) as ${record}`);
            await tx.execute(sql`
              insert into ${customerConsents} (customer_id, channel, purpose, granted, source, at)
              select v."customerId", v.channel, v.purpose, v.granted, 'form', v.at from jsonb_to_recordset(${json(consents)}) as ${record}`);
          }
          await deps.timeline.appendMany(tx, timeline);
        });
        result.customers += size;
        result.consents += consents.length;
        result.timelineEntries += timeline.length;
        options.onProgress?.({ done: result.customers, total: options.count });
        // On the embedded database the statements run in this thread: others get a turn between batches.
        await nextTurn();
      }
      // As after any bulk load: statistics for the planner, and the rows marked visible to all (hint
      // bits, visibility map) now rather than by the first searches, or on PostgreSQL by an
      // autovacuum that would compete with them.
      await db.execute(sql`vacuum analyze ${customers}, ${customerConsents}, ${customerNameWords}`);
      await db.transaction((tx) =>
        deps.audit.record(tx, actor, {
          action: 'customers.seeded',
          entityType: 'customer',
          entityId: randomUUID(),
          summary: { ...result },
        }),
      );
      return result;
    },
  };
}
