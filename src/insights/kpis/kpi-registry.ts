import { sql, type SQL } from 'drizzle-orm';
import { AppError } from '../../shared/errors.js';
import type { KpiDefinition, KpiFilters, KpiRange } from './kpi-definition.js';
import {
  communicationColumns,
  communicationDimensions,
  dimensionFilters,
  noDimensions,
  ticketColumns,
  ticketDimensions,
} from './kpi-dimensions.js';

/*
 * Every KPI of the board, the API, the CSV export and goals: one definition each, read-only SQL over
 * the domains' tables that runs alike on PGlite and PostgreSQL. Times are bucketed in UTC.
 */

const instant = (value: Date) => sql`${value.toISOString()}::timestamptz`;
const within = (column: string, range: KpiRange) =>
  sql`${sql.raw(column)} >= ${instant(range.from)} and ${sql.raw(column)} < ${instant(range.to)}`;
/** Narrows communications `c` by channel (or the column given), template, version, purpose, their run and its segment. */
const communicationFilters = (filters: KpiFilters, channel = 'c.channel') =>
  dimensionFilters(filters, communicationColumns(channel));

/** Narrows tickets `t` by their queue, or the team whose queues they are in. */
const ticketFilters = (filters: KpiFilters) => dimensionFilters(filters, ticketColumns);

const communicationFilterNames = [
  'channel',
  'templateId',
  'templateVersionId',
  'purpose',
  'segmentId',
  'batchRunId',
] as const;
const ticketFilterNames = ['queueId', 'teamId'] as const;

/** A communication as a drill-down record: its template's name, channel and status. */
const communicationRecord = sql.raw(`'communication' as record_type, c.id::text as record_id,
  tm.name as title, coalesce(c.channel, 'no channel') || ' · ' || c.status as detail`);
const templateJoin = sql.raw('join templates tm on tm.id = c.template_id');

/** A ticket as a drill-down record: its number and subject, kind and status. */
const ticketRecord = sql.raw(`'ticket' as record_type, t.id::text as record_id,
  '#' || t.number || ' ' || t.subject as title, t.kind || ' · ' || t.status as detail`);
/** Tickets are grouped by queue id, shown by the queue's name. */
const queueGroup = sql.raw(`coalesce(t.queue_id::text, '')`);
const queueLabel = (grp: SQL) =>
  sql`coalesce((select q.name from ticket_queues q where q.id::text = ${grp}), 'no queue')`;
/** Communications are grouped by template version id, shown as the template's name and the version's number. */
const versionGroup = sql.raw(`c.template_version_id::text`);
const versionLabel = (grp: SQL) => sql`(select tm.name || ' v' || v.number from template_versions v
  join templates tm on tm.id = v.template_id where v.id::text = ${grp})`;
const c = communicationDimensions();

const minutesBetween = (later: string, earlier: string) =>
  sql.raw(`(extract(epoch from ${later} - ${earlier}) / 60)::float8`);

/** Sent communications with their cost; `den` 1 makes the mean cost, 0 the total. */
const sentCost = (filters: KpiFilters, range: KpiRange, den: 0 | 1) => sql`
  select c.sent_at as at, c.channel as grp, (c.cost_millicents / 100000.0)::float8 as num, ${sql.raw(String(den))}::float8 as den,
    ${communicationRecord}, true as in_drill, ${c}
  from communications c ${templateJoin}
  where c.sent_at is not null and c.cost_millicents is not null and ${within('c.sent_at', range)}
    ${communicationFilters(filters)}`;

const definitions = [
  {
    key: 'communications_sent',
    name: 'Communications sent',
    unit: 'count',
    higherIsBetter: true,
    kind: 'flow',
    aggregate: 'sum',
    description: 'Communications handed to their channel (letters: printed) in the period, by the time they went out.',
    filters: communicationFilterNames,
    groupedBy: 'channel',
    facts: (filters, range) => sql`
      select c.sent_at as at, c.channel as grp, 1::float8 as num, 0::float8 as den, ${communicationRecord}, true as in_drill,
        ${c}
      from communications c ${templateJoin}
      where c.sent_at is not null and ${within('c.sent_at', range)} ${communicationFilters(filters)}`,
  },
  {
    key: 'delivery_rate',
    name: 'Delivery rate',
    unit: 'percent',
    higherIsBetter: true,
    kind: 'flow',
    aggregate: 'ratio',
    description:
      'Of the communications made in the period that delivery has finished with (suppressed ones left out), the share sent or confirmed delivered rather than failed or bounced on every channel. Drills down to those that did not arrive.',
    filters: communicationFilterNames,
    groupedBy: 'channel',
    facts: (filters, range) => sql`
      select c.created_at as at, coalesce(c.channel, 'no channel') as grp,
        (c.status in ('sent', 'delivered'))::int::float8 as num, 1::float8 as den, ${communicationRecord},
        c.status not in ('sent', 'delivered') as in_drill, ${c}
      from communications c ${templateJoin}
      where c.status in ('sent', 'delivered', 'failed', 'bounced') and ${within('c.created_at', range)}
        ${communicationFilters(filters)}`,
  },
  {
    key: 'bounce_rate',
    name: 'Bounce rate',
    unit: 'percent',
    higherIsBetter: false,
    kind: 'flow',
    aggregate: 'ratio',
    description:
      'Hard bounces reported after hand-over, divided by the communications handed over on that channel, by the time of each (a bounced email sent again by letter counts as a bounced email).',
    filters: communicationFilterNames,
    groupedBy: 'channel',
    facts: (filters, range) => sql`
      select a.at, coalesce(a.channel, 'no channel') as grp,
        (a.outcome = 'bounced')::int::float8 as num, (a.outcome = 'handed_over')::int::float8 as den,
        ${communicationRecord}, a.outcome = 'bounced' as in_drill, ${communicationDimensions('a.channel')}
      from communication_attempts a join communications c on c.id = a.communication_id ${templateJoin}
      where ${within('a.at', range)}
        and (a.outcome = 'bounced' or (a.outcome = 'handed_over' and not exists (
          select 1 from communication_attempts e where e.communication_id = a.communication_id
            and e.channel = a.channel and e.outcome = 'handed_over' and e.id < a.id)))
        ${communicationFilters(filters, 'a.channel')}`,
  },
  {
    key: 'complaint_rate',
    name: 'Complaint rate',
    unit: 'percent',
    higherIsBetter: false,
    kind: 'flow',
    aggregate: 'ratio',
    description:
      'Complaint tickets about a communication, divided by the communications made in the period, both counted at the time the communication was made; per template version. Drills down to the complaints.',
    filters: communicationFilterNames,
    groupedBy: 'template version',
    groupLabel: versionLabel,
    facts: (filters, range) => sql`
      select c.created_at as at, ${versionGroup} as grp, 0::float8 as num, 1::float8 as den,
        ${communicationRecord}, false as in_drill, ${c}
      from communications c ${templateJoin}
      where ${within('c.created_at', range)} ${communicationFilters(filters)}
      union all
      select c.created_at as at, ${versionGroup} as grp, 1::float8 as num, 0::float8 as den,
        ${ticketRecord}, true as in_drill, ${c}
      from tickets t join communications c on c.id = t.communication_id ${templateJoin}
      where t.kind = 'complaint' and t.merged_into_id is null and ${within('c.created_at', range)}
        ${communicationFilters(filters)}`,
  },
  {
    key: 'contact_rate',
    name: 'Contact rate',
    unit: 'percent',
    higherIsBetter: false,
    kind: 'flow',
    aggregate: 'ratio',
    description:
      'Of the communications made in the period, the share about which the customer opened a ticket of any kind (merged ones left out): the letters that make people call; per template version. What is left is the deflection of a run or a template. Drills down to those communications.',
    filters: communicationFilterNames,
    groupedBy: 'template version',
    groupLabel: versionLabel,
    facts: (filters, range) => {
      const raised = sql.raw(
        `exists (select 1 from tickets t where t.communication_id = c.id and t.merged_into_id is null)`,
      );
      return sql`
      select c.created_at as at, ${versionGroup} as grp, (${raised})::int::float8 as num, 1::float8 as den,
        ${communicationRecord}, ${raised} as in_drill, ${c}
      from communications c ${templateJoin}
      where ${within('c.created_at', range)} ${communicationFilters(filters)}`;
    },
  },
  {
    key: 'first_response_time',
    name: 'First-response time',
    unit: 'minutes',
    higherIsBetter: false,
    kind: 'flow',
    aggregate: 'ratio',
    description:
      'Mean minutes (calendar time) from a ticket being opened to its first public reply, over the tickets first answered in the period; per queue.',
    filters: ticketFilterNames,
    groupedBy: 'queue',
    groupLabel: queueLabel,
    facts: (filters, range) => sql`
      select t.first_responded_at as at, ${queueGroup} as grp,
        ${minutesBetween('t.first_responded_at', 't.created_at')} as num, 1::float8 as den, ${ticketRecord}, true as in_drill,
        ${ticketDimensions}
      from tickets t
      where t.first_responded_at is not null and ${within('t.first_responded_at', range)} ${ticketFilters(filters)}`,
  },
  {
    key: 'resolution_time',
    name: 'Resolution time',
    unit: 'minutes',
    higherIsBetter: false,
    kind: 'flow',
    aggregate: 'ratio',
    description:
      'Mean minutes (calendar time) from a ticket being opened to its resolution, over the tickets resolved in the period; per queue.',
    filters: ticketFilterNames,
    groupedBy: 'queue',
    groupLabel: queueLabel,
    facts: (filters, range) => sql`
      select t.resolved_at as at, ${queueGroup} as grp,
        ${minutesBetween('t.resolved_at', 't.created_at')} as num, 1::float8 as den, ${ticketRecord}, true as in_drill,
        ${ticketDimensions}
      from tickets t
      where t.resolved_at is not null and ${within('t.resolved_at', range)} ${ticketFilters(filters)}`,
  },
  {
    key: 'sla_attainment',
    name: 'SLA attainment',
    unit: 'percent',
    higherIsBetter: true,
    kind: 'flow',
    aggregate: 'ratio',
    description:
      'Of the tickets with service-level targets resolved in the period, the share that met both: first reply by its due time and resolution by its due time; per queue. Drills down to the misses.',
    filters: ticketFilterNames,
    groupedBy: 'queue',
    groupLabel: queueLabel,
    facts: (filters, range) => {
      const met = sql.raw(`(t.first_response_due_at is null or t.first_responded_at <= t.first_response_due_at)
        and (t.resolution_due_at is null or t.resolved_at <= t.resolution_due_at)`);
      return sql`
      select t.resolved_at as at, ${queueGroup} as grp, (${met})::int::float8 as num, 1::float8 as den,
        ${ticketRecord}, not (${met}) as in_drill, ${ticketDimensions}
      from tickets t
      where t.resolved_at is not null and ${within('t.resolved_at', range)}
        and (t.first_response_due_at is not null or t.resolution_due_at is not null) ${ticketFilters(filters)}`;
    },
  },
  {
    key: 'backlog',
    name: 'Backlog',
    unit: 'count',
    higherIsBetter: false,
    kind: 'snapshot',
    description:
      'Tickets open at the end of each bucket: opened before it and neither resolved nor closed by then (merged ones are closed). The total is the backlog at the end of the period.',
    filters: ticketFilterNames,
    groupedBy: 'queue',
    groupLabel: queueLabel,
    facts: (filters, at) => sql`
      select ${at} as at, ${queueGroup} as grp, 1::float8 as num, 0::float8 as den, ${ticketRecord}, true as in_drill,
        ${ticketDimensions}
      from tickets t
      where t.created_at < ${at} and (t.resolved_at is null or t.resolved_at >= ${at})
        and (t.closed_at is null or t.closed_at >= ${at}) ${ticketFilters(filters)}`,
    // In when opened, out when first resolved or closed (never before it was opened): the same tickets as `facts`
    // at any instant. Two branches, so that a day's openings are found by the index on created_at.
    changes: (filters, range) => {
      const ended = 'greatest(t.created_at, least(t.resolved_at, t.closed_at))';
      return sql`
      select t.created_at as at, ${queueGroup} as grp, 1::float8 as num, 0::float8 as den, ${ticketRecord},
        false as in_drill, ${ticketDimensions}
      from tickets t where ${within('t.created_at', range)} ${ticketFilters(filters)}
      union all
      select ${sql.raw(ended)} as at, ${queueGroup} as grp, -1::float8 as num, 0::float8 as den, ${ticketRecord},
        false as in_drill, ${ticketDimensions}
      from tickets t
      where coalesce(t.resolved_at, t.closed_at) is not null and ${within(ended, range)} ${ticketFilters(filters)}`;
    },
  },
  {
    key: 'self_service_deflection',
    name: 'Self-service deflection',
    unit: 'percent',
    higherIsBetter: true,
    kind: 'flow',
    aggregate: 'ratio',
    description:
      'Help-centre answers marked helpful ("did this answer your question?": yes), divided by those plus the tickets opened in the period: the share of people seeking help whom an article spared a ticket.',
    filters: [],
    groupedBy: 'source',
    facts: (_filters, range) => sql`
      select (f.day::timestamp at time zone 'UTC') as at, 'help centre' as grp, f.helpful::float8 as num,
        f.helpful::float8 as den, 'article' as record_type, a.id::text as record_id, a.title,
        f.helpful || ' helpful on ' || f.day as detail, true as in_drill, ${noDimensions}
      from knowledge_feedback f join knowledge_articles a on a.id = f.article_id
      where f.helpful > 0 and ${within(`(f.day::timestamp at time zone 'UTC')`, range)}
      union all
      select t.created_at as at, 'tickets' as grp, 0::float8 as num, 1::float8 as den, ${ticketRecord}, false as in_drill,
        ${noDimensions}
      from tickets t
      where t.merged_into_id is null and ${within('t.created_at', range)}`,
  },
  {
    key: 'cost_per_communication',
    name: 'Cost per communication',
    unit: 'currency',
    higherIsBetter: false,
    kind: 'flow',
    aggregate: 'ratio',
    description:
      'The mean cost of the communications sent in the period, each at the channel rate it was sent at (the rate table under Communications).',
    filters: communicationFilterNames,
    groupedBy: 'channel',
    facts: (filters, range) => sentCost(filters, range, 1),
  },
  {
    key: 'communication_cost',
    name: 'Communication cost',
    unit: 'currency',
    higherIsBetter: false,
    kind: 'flow',
    aggregate: 'sum',
    description:
      'What the communications sent in the period cost in total, each at the channel rate it was sent at (the rate table under Communications).',
    filters: communicationFilterNames,
    groupedBy: 'channel',
    facts: (filters, range) => sentCost(filters, range, 0),
  },
  {
    key: 'opt_out_rate',
    name: 'Opt-out rate after marketing',
    unit: 'percent',
    higherIsBetter: false,
    kind: 'flow',
    aggregate: 'ratio',
    description:
      'Of the marketing communications made in the period, the share whose customer withdrew marketing consent (on any channel) within 14 days after it. Drills down to those communications.',
    filters: ['channel', 'templateId', 'templateVersionId', 'segmentId', 'batchRunId'],
    groupedBy: 'channel',
    facts: (filters, range) => {
      const optedOut = sql.raw(`exists (select 1 from consent_events e where e.customer_id = c.customer_id
        and e.purpose = 'marketing' and not e.granted and e.at >= c.created_at and e.at < c.created_at + interval '14 days')`);
      return sql`
      select c.created_at as at, coalesce(c.channel, 'no channel') as grp, (${optedOut})::int::float8 as num,
        1::float8 as den, ${communicationRecord}, ${optedOut} as in_drill, ${c}
      from communications c ${templateJoin}
      where c.purpose = 'marketing' and c.status not in ('suppressed', 'failed') and ${within('c.created_at', range)}
        ${communicationFilters(filters)}`;
    },
  },
] as const satisfies readonly KpiDefinition[];

export type KpiKey = (typeof definitions)[number]['key'];
export const kpiKeys = definitions.map((definition) => definition.key) as [KpiKey, ...KpiKey[]];

export const kpiDefinitions: readonly KpiDefinition[] = definitions;

/** The definition of a KPI, or a 404 naming the key. */
export function kpiDefinition(key: string): KpiDefinition {
  const found = kpiDefinitions.find((definition) => definition.key === key);
  if (!found) throw new AppError('not_found', 'insights.kpi_not_found', `There is no KPI "${key}".`);
  return found;
}
