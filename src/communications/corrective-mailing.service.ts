import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import { authorize } from '../auth/policy.js';
import { rows, type Database } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { AppError, notFound } from '../shared/errors.js';
import { dataProblems } from '../templates/send-data.js';
import type { TemplatesService } from '../templates/templates.service.js';
import { templates, templateVersions } from '../templates/templates.tables.js';
import type { BatchRunsService } from './batch-runs.service.js';
import { batchRuns, communications } from './communications.tables.js';
import { correctionAudience, received } from './version-recipients.js';

export type CorrectiveMailingService = ReturnType<typeof createCorrectiveMailingService>;

/**
 * Corrective mailings: a template's published version sent as a batch run to everyone who received
 * one of its older versions, each with the data of what they received; and, for a version, who
 * received it and whom such a mailing would reach.
 */
export function createCorrectiveMailingService(deps: {
  db: Database;
  templates: Pick<TemplatesService, 'sendable'>;
  runs: Pick<BatchRunsService, 'create'>;
}) {
  const { db } = deps;

  /** The published version a corrective mailing sends, and the older versions it corrects, checked. */
  async function correction(input: { correctsVersionIds: string[]; versionId?: string }) {
    const older = await db
      .select({ id: templateVersions.id, templateId: templateVersions.templateId, number: templateVersions.number })
      .from(templateVersions)
      .where(inArray(templateVersions.id, input.correctsVersionIds));
    const missing = input.correctsVersionIds.filter((id) => !older.some((version) => version.id === id));
    if (missing.length)
      throw new AppError('not_found', 'template_version.not_found', `No template version with id ${missing[0]}.`, [
        { path: 'body.correctsVersionIds', message: `has no template version ${missing.join(', ')}` },
      ]);
    const templateIds = new Set(older.map((version) => version.templateId));
    if (templateIds.size > 1)
      throw new AppError(
        'validation_failed',
        'batch_run.several_templates',
        'A corrective mailing corrects versions of one template.',
        [{ path: 'body.correctsVersionIds', message: 'are versions of different templates' }],
      );
    const { template, version } = await deps.templates.sendable(db, older[0]!.templateId);
    if (input.versionId && input.versionId !== version.id)
      throw new AppError(
        'conflict',
        'batch_run.version_changed',
        `Version ${version.number} of ${template.name} is the published version now; check it before sending it.`,
        [{ path: 'body.versionId', message: `is not the published version (${version.number})` }],
      );
    const notOlder = older.filter((candidate) => candidate.number >= version.number);
    if (notOlder.length)
      throw new AppError(
        'conflict',
        'batch_run.version_not_older',
        `Version ${notOlder[0]!.number} is not older than the published version ${version.number}: there is nothing newer to send its recipients.`,
        [
          {
            path: 'body.correctsVersionIds',
            message: `version ${notOlder[0]!.number} is not older than the published one`,
          },
        ],
      );
    return { template, version, older: older.sort((a, b) => a.number - b.number) };
  }

  /**
   * Who would get a corrective mailing, once each, with the data each would be sent: the data of
   * their latest communication of the older versions, with `data` laid over it.
   */
  async function correctionData(olderIds: string[], sendVersionId: string, data: Record<string, unknown>) {
    return rows<{ data: Record<string, unknown>; customers: number }>(
      db,
      sql`select data, count(*)::int as customers from (
            select distinct on (o.customer_id) o.data || ${JSON.stringify(data)}::jsonb as data
            from ${correctionAudience(olderIds, sendVersionId)}
            order by o.customer_id, o.created_at desc, o.id desc) latest
          group by data`,
    );
  }

  return {
    /**
     * Who received a template version: its communications by status and channel, the customers it
     * reached, and what a corrective mailing of the published version would reach.
     */
    async recipients(actor: Actor, versionId: string) {
      authorize(actor, 'communications.read');
      const [version] = await db
        .select({
          id: templateVersions.id,
          number: templateVersions.number,
          status: templateVersions.status,
          templateId: templates.id,
          templateKey: templates.key,
          templateName: templates.name,
        })
        .from(templateVersions)
        .innerJoin(templates, eq(templates.id, templateVersions.templateId))
        .where(eq(templateVersions.id, versionId));
      if (!version) throw notFound('template version', versionId);
      const ofVersion = and(
        eq(communications.templateId, version.templateId),
        eq(communications.templateVersionId, versionId),
      );
      const [groups, [reached], [published], correctiveRuns] = await Promise.all([
        db
          .select({ status: communications.status, channel: communications.channel, n: count() })
          .from(communications)
          .where(ofVersion)
          .groupBy(communications.status, communications.channel),
        rows<{ customers: number }>(
          db,
          sql`select count(distinct o.customer_id)::int as customers from communications o
              where o.template_id = ${version.templateId} and o.template_version_id = ${versionId} and ${received('o')}`,
        ),
        db
          .select({ id: templateVersions.id, number: templateVersions.number })
          .from(templateVersions)
          .where(and(eq(templateVersions.templateId, version.templateId), eq(templateVersions.status, 'published'))),
        db
          .select({
            id: batchRuns.id,
            status: batchRuns.status,
            total: batchRuns.total,
            created: batchRuns.created,
            createdAt: batchRuns.createdAt,
            versionNumber: templateVersions.number,
          })
          .from(batchRuns)
          .innerJoin(templateVersions, eq(templateVersions.id, batchRuns.templateVersionId))
          .where(sql`${versionId} = any(${batchRuns.correctsVersionIds})`)
          .orderBy(desc(batchRuns.createdAt))
          .limit(20),
      ]);
      const statuses: Record<string, number> = {};
      const channels: Record<string, number> = {};
      let total = 0;
      for (const row of groups) {
        total += row.n;
        statuses[row.status] = (statuses[row.status] ?? 0) + row.n;
        if (row.channel) channels[row.channel] = (channels[row.channel] ?? 0) + row.n;
      }
      const newer = published && published.number > version.number ? published : undefined;
      const audience = newer ? await correctionData([versionId], newer.id, {}) : [];
      return {
        templateVersionId: version.id,
        templateKey: version.templateKey,
        templateName: version.templateName,
        versionNumber: version.number,
        versionStatus: version.status,
        communications: total,
        statuses,
        channels,
        recipients: reached?.customers ?? 0,
        correction: newer
          ? {
              versionId: newer.id,
              versionNumber: newer.number,
              recipients: audience.reduce((sum, group) => sum + group.customers, 0),
            }
          : null,
        correctiveRuns,
      };
    },

    /**
     * A corrective mailing: the template's published version to every customer who received one of
     * the older versions, each with the data of their latest communication of those versions
     * (`data` overrides fields). Customers who already have the published version are left out.
     */
    async start(
      actor: Actor,
      input: {
        correctsVersionIds: string[];
        versionId?: string;
        data?: Record<string, unknown>;
        scheduledAt?: Date;
      },
    ) {
      authorize(actor, 'runs.manage');
      const { template, version, older } = await correction(input);
      const data = input.data ?? {};
      const olderIds = older.map((candidate) => candidate.id);
      const audience = await correctionData(olderIds, version.id, data);
      const unfit = audience
        .map((group) => ({ ...group, problems: dataProblems(version.dataSchema, group.data) }))
        .filter((group) => group.problems.length);
      if (unfit.length) {
        const customers = unfit.reduce((sum, group) => sum + group.customers, 0);
        const problems = [...new Map(unfit.flatMap((g) => g.problems).map((p) => [p.path, p])).values()];
        throw new AppError(
          'validation_failed',
          'template.data_missing',
          `The data ${customers} recipients were sent does not fit version ${version.number}: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}. Give the missing data in data.`,
          problems,
        );
      }
      const total = audience.reduce((sum, group) => sum + group.customers, 0);
      if (total === 0)
        throw new AppError(
          'conflict',
          'batch_run.no_recipients',
          `Nobody who received version ${older.map((v) => v.number).join(', ')} of ${template.name} is left to send version ${version.number} to.`,
          [{ path: 'body.correctsVersionIds', message: 'reached no customer who lacks the published version' }],
        );
      return deps.runs.create(actor, {
        values: { templateId: template.id, templateVersionId: version.id, correctsVersionIds: olderIds, data, total },
        scheduledAt: input.scheduledAt,
        summary: {
          template: template.key,
          version: version.number,
          corrects: older.map((candidate) => candidate.number),
          total,
        },
      });
    },
  };
}
