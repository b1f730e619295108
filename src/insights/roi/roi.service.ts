import { asc, eq } from 'drizzle-orm';
import { authorize } from '../../auth/policy.js';
import { batchRuns } from '../../communications/communications.tables.js';
import type { RatesService } from '../../communications/rates.service.js';
import type { Database } from '../../db/database.js';
import type { Actor } from '../../shared/actor.js';
import { AppError } from '../../shared/errors.js';
import { templates, templateVersions } from '../../templates/templates.tables.js';
import type { KpiFilters, KpiRange } from '../kpis/kpi-definition.js';
import { kpiTotals } from '../kpis/kpi-query.js';
import { kpiDefinition } from '../kpis/kpi-registry.js';
import type { RoiAnswer, RoiBaseline } from './roi.schemas.js';

type Outcomes = RoiAnswer['outcomes'];
type ActivityKind = RoiAnswer['activity']['kind'];

/** An activity's communications whenever they were made: a run or a template is measured whole. */
const ALL_TIME: KpiRange = { from: new Date('2000-01-01T00:00:00Z'), to: new Date('9999-01-01T00:00:00Z') };

const round = (value: number) => Math.round(value * 1_000_000) / 1_000_000;

/** The cost at the baseline's price per item and what was saved against it; nothing to price by, no saving. */
export function roiSaving(outcomes: Pick<Outcomes, 'cost' | 'channels'>, perItem: number | null) {
  if (perItem === null) return { cost: null, saving: null, savingPercent: null };
  const items = outcomes.channels.reduce((sum, channel) => sum + channel.sent, 0);
  const cost = round(items * perItem);
  const saving = round(cost - outcomes.cost);
  return { cost, saving, savingPercent: cost > 0 ? round((saving / cost) * 100) : null };
}

export type RoiService = ReturnType<typeof createRoiService>;

/**
 * Return on a customer communication activity (a batch run, a template and its versions): its cost
 * and outcomes from the KPI definitions, and the saving against a baseline the user picks.
 */
export function createRoiService({ db, rates }: { db: Database; rates: Pick<RatesService, 'costOf'> }) {
  /** What became of the activity's communications, read through the board's own KPI definitions. */
  async function outcomesOf(filters: KpiFilters): Promise<Outcomes> {
    const totals = (key: string) => kpiTotals(db, kpiDefinition(key), filters, ALL_TIME);
    const [sent, delivery, complaints, contact, cost] = await Promise.all([
      totals('communications_sent'),
      totals('delivery_rate'),
      totals('complaint_rate'),
      totals('contact_rate'),
      totals('cost_per_communication'),
    ]);
    return {
      made: contact.total.denominator,
      sent: sent.total.numerator,
      delivered: delivery.total.numerator,
      deliveryRate: delivery.total.value,
      complaints: complaints.total.numerator,
      complaintRate: complaints.total.value,
      contacted: contact.total.numerator,
      deflection: contact.total.value === null ? null : round(100 - contact.total.value),
      cost: round(cost.total.numerator),
      costPerCommunication: cost.total.value,
      channels: cost.groups.map((group) => ({
        channel: group.group,
        sent: group.denominator,
        cost: round(group.numerator),
      })),
    };
  }

  const notFound = (kind: string, id: string) =>
    new AppError('not_found', `roi.${kind}_not_found`, `There is no ${kind.replace('_', ' ')} ${id}.`);

  /** The activity's name and the KPI filters that narrow the board to it. */
  async function activity(kind: ActivityKind, id: string): Promise<{ name: string; filters: KpiFilters }> {
    if (kind === 'run') {
      const [run] = await db
        .select({ template: templates.name, number: templateVersions.number, createdAt: batchRuns.createdAt })
        .from(batchRuns)
        .innerJoin(templates, eq(templates.id, batchRuns.templateId))
        .innerJoin(templateVersions, eq(templateVersions.id, batchRuns.templateVersionId))
        .where(eq(batchRuns.id, id));
      if (!run) throw notFound('batch_run', id);
      const day = run.createdAt.toISOString().slice(0, 10);
      return { name: `Batch run of ${run.template} v${run.number} on ${day}`, filters: { batchRunId: id } };
    }
    if (kind === 'version') {
      const [version] = await db
        .select({ template: templates.name, number: templateVersions.number })
        .from(templateVersions)
        .innerJoin(templates, eq(templates.id, templateVersions.templateId))
        .where(eq(templateVersions.id, id));
      if (!version) throw notFound('template_version', id);
      return { name: `${version.template} v${version.number}`, filters: { templateVersionId: id } };
    }
    const [template] = await db.select({ name: templates.name }).from(templates).where(eq(templates.id, id));
    if (!template) throw notFound('template', id);
    return { name: template.name, filters: { templateId: id } };
  }

  /** What one item costs in the baseline, and the baseline activity's outcomes where it is one. */
  async function baselineOf(baseline: RoiBaseline) {
    if (baseline.kind === 'channel') {
      const millicents = await rates.costOf(baseline.channel);
      return { kind: baseline.kind, name: baseline.channel, perItem: millicents / 100_000, outcomes: null };
    }
    const compared = await activity(baseline.kind, baseline.id);
    const outcomes = await outcomesOf(compared.filters);
    return { kind: baseline.kind, name: compared.name, perItem: outcomes.costPerCommunication, outcomes };
  }

  async function answer(kind: ActivityKind, id: string, requested: RoiBaseline | undefined): Promise<RoiAnswer> {
    const subject = await activity(kind, id);
    const baseline = await baselineOf(requested ?? { kind: 'channel', channel: 'letter' });
    const outcomes = await outcomesOf(subject.filters);
    const { cost, ...saving } = roiSaving(outcomes, baseline.perItem);
    const versions =
      kind === 'template'
        ? await Promise.all(
            (
              await db
                .select({ id: templateVersions.id, number: templateVersions.number })
                .from(templateVersions)
                .where(eq(templateVersions.templateId, id))
                .orderBy(asc(templateVersions.number))
            ).map(async (version) => {
              const versionOutcomes = await outcomesOf({ templateVersionId: version.id });
              const { cost: _cost, ...versionSaving } = roiSaving(versionOutcomes, baseline.perItem);
              return { ...version, outcomes: versionOutcomes, ...versionSaving };
            }),
          )
        : [];
    return {
      activity: { kind, id, name: subject.name },
      outcomes,
      baseline: {
        kind: baseline.kind,
        name: baseline.name,
        costPerCommunication: baseline.perItem,
        cost,
        outcomes: baseline.outcomes,
      },
      ...saving,
      versions,
    };
  }

  return {
    /** A batch run's cost, outcomes and saving against the baseline. */
    async run(actor: Actor, id: string, baseline?: RoiBaseline) {
      authorize(actor, 'insights.read');
      return answer('run', id, baseline);
    },

    /** A template's, over all its versions and per version, against one baseline. */
    async template(actor: Actor, id: string, baseline?: RoiBaseline) {
      authorize(actor, 'insights.read');
      return answer('template', id, baseline);
    },
  };
}
