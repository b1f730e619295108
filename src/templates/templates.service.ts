import { and, asc, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { diffLines } from 'diff';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import { isUuid, type Database, type Executor } from '../db/database.js';
import { fragmentKeysUsed } from '../rendering/compile.js';
import type { Actor } from '../shared/actor.js';
import { actorLabel, systemActor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { placePath } from './compliance.js';
import type { ComplianceService } from './compliance.service.js';
import type { FragmentsService } from './fragments.service.js';
import { checkVersionInput, flatten, type TemplateInput, type VersionInput } from './template-input.js';
import { templates, templateVersions, type TemplatePurpose, type VersionStatus } from './templates.tables.js';
import { nextStatus, workflowPermission, type WorkflowAction } from './workflow.js';

export type TemplatesService = ReturnType<typeof createTemplatesService>;

export function createTemplatesService(deps: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  fragments: Pick<FragmentsService, 'currentSources' | 'pinnedSources'>;
  compliance: Pick<ComplianceService, 'check'>;
}) {
  const { db, audit, clock } = deps;

  async function find(executor: Executor, idOrKey: string) {
    const byId = isUuid(idOrKey);
    const [template] = await executor
      .select()
      .from(templates)
      .where(byId ? eq(templates.id, idOrKey) : eq(templates.key, idOrKey));
    if (!template) throw notFound('template', idOrKey);
    return template;
  }

  async function findVersion(executor: Executor, idOrKey: string, number: number) {
    const template = await find(executor, idOrKey);
    const [version] = await executor
      .select()
      .from(templateVersions)
      .where(and(eq(templateVersions.templateId, template.id), eq(templateVersions.number, number)));
    if (!version) throw notFound('template version', `${template.key} v${number}`);
    return { template, version };
  }

  async function addVersion(tx: Executor, actor: Actor, templateId: string, input: VersionInput) {
    const [{ next }] = (await tx
      .select({ next: sql<number>`coalesce(max(${templateVersions.number}), 0) + 1` })
      .from(templateVersions)
      .where(eq(templateVersions.templateId, templateId))) as [{ next: number }];
    const [version] = await tx
      .insert(templateVersions)
      .values({
        templateId,
        number: next,
        variants: input.variants,
        defaultLanguage: input.defaultLanguage,
        dataSchema: input.dataSchema ?? {},
        sampleData: input.sampleData ?? {},
        changeNote: input.changeNote ?? '',
        createdById: actor.kind === 'user' ? actor.userId : null,
        createdBy: actorLabel(actor),
      })
      .returning();
    await tx.update(templates).set({ updatedAt: clock.now() }).where(eq(templates.id, templateId));
    return version!;
  }

  const summaryColumns = {
    id: templateVersions.id,
    number: templateVersions.number,
    status: templateVersions.status,
    changeNote: templateVersions.changeNote,
    createdBy: templateVersions.createdBy,
    createdAt: templateVersions.createdAt,
    decidedBy: templateVersions.decidedBy,
    publishedAt: templateVersions.publishedAt,
  };

  return {
    find: (idOrKey: string) => find(db, idOrKey),
    findVersion: (idOrKey: string, number: number) => findVersion(db, idOrKey, number),

    async list(actor: Actor, filter: { purpose?: TemplatePurpose; status?: VersionStatus; q?: string }) {
      authorize(actor, 'templates.read');
      const conditions: (SQL | undefined)[] = [
        filter.purpose ? eq(templates.purpose, filter.purpose) : undefined,
        filter.q ? or(ilike(templates.name, `%${filter.q}%`), ilike(templates.key, `%${filter.q}%`)) : undefined,
      ];
      const list = await db
        .select()
        .from(templates)
        .where(and(...conditions))
        .orderBy(asc(templates.name));
      const versions = list.length
        ? await db
            .select({ ...summaryColumns, templateId: templateVersions.templateId })
            .from(templateVersions)
            .where(
              inArray(
                templateVersions.templateId,
                list.map((t) => t.id),
              ),
            )
            .orderBy(desc(templateVersions.number))
        : [];
      return list
        .map((template) => {
          const own = versions.filter((version) => version.templateId === template.id);
          return {
            ...template,
            latest: own[0] ?? null,
            published: own.find((version) => version.status === 'published') ?? null,
          };
        })
        .filter((template) => !filter.status || template.latest?.status === filter.status);
    },

    async get(actor: Actor, idOrKey: string) {
      authorize(actor, 'templates.read');
      const template = await find(db, idOrKey);
      const versions = await db
        .select(summaryColumns)
        .from(templateVersions)
        .where(eq(templateVersions.templateId, template.id))
        .orderBy(desc(templateVersions.number));
      return { ...template, versions };
    },

    async getVersion(actor: Actor, idOrKey: string, number: number) {
      authorize(actor, 'templates.read');
      return (await findVersion(db, idOrKey, number)).version;
    },

    async create(actor: Actor, input: TemplateInput) {
      authorize(actor, 'templates.author');
      checkVersionInput(input);
      return db.transaction(async (tx) => {
        const [template] = await tx
          .insert(templates)
          .values({ key: input.key, name: input.name, purpose: input.purpose, description: input.description ?? '' })
          .onConflictDoNothing()
          .returning();
        if (!template)
          throw new AppError('conflict', 'template.key_taken', `A template with key ${input.key} already exists.`, [
            { path: 'body.key', message: 'is already taken' },
          ]);
        const version = await addVersion(tx, actor, template.id, {
          ...input,
          changeNote: input.changeNote ?? 'First version',
        });
        await audit.record(tx, actor, {
          action: 'template.created',
          entityType: 'template',
          entityId: template.id,
          summary: { key: input.key, purpose: input.purpose, version: version.number },
        });
        return { template, version };
      });
    },

    async update(actor: Actor, idOrKey: string, change: { name?: string; description?: string }) {
      authorize(actor, 'templates.author');
      return db.transaction(async (tx) => {
        const template = await find(tx, idOrKey);
        const [updated] = await tx
          .update(templates)
          .set({ ...change, updatedAt: clock.now() })
          .where(eq(templates.id, template.id))
          .returning();
        await audit.record(tx, actor, {
          action: 'template.updated',
          entityType: 'template',
          entityId: template.id,
          summary: change,
        });
        return updated!;
      });
    },

    /** Every save is a new version; earlier versions never change. */
    async saveVersion(actor: Actor, idOrKey: string, input: VersionInput) {
      authorize(actor, 'templates.author');
      checkVersionInput(input);
      return db.transaction(async (tx) => {
        const template = await find(tx, idOrKey);
        const version = await addVersion(tx, actor, template.id, input);
        await audit.record(tx, actor, {
          action: 'template.version_saved',
          entityType: 'template',
          entityId: template.id,
          summary: { number: version.number, changeNote: version.changeNote },
        });
        return version;
      });
    },

    /** Compliance of one version for its purpose, as the editor's panel shows it. */
    async checkVersion(actor: Actor, idOrKey: string, number: number) {
      authorize(actor, 'templates.read');
      const { template, version } = await findVersion(db, idOrKey, number);
      return deps.compliance.check(
        { purpose: template.purpose, variants: version.variants, sampleData: version.sampleData },
        await deps.fragments.currentSources(),
      );
    },

    /**
     * Moves a version through review. Submitting runs the compliance rules and is refused with every
     * failure's place; publishing pins the fragment versions and retires the version new sends used before.
     */
    async act(actor: Actor, idOrKey: string, number: number, action: WorkflowAction) {
      authorize(actor, workflowPermission[action]);
      // The check renders with the brand and samples; it runs before the transaction because a
      // single-session database (PGlite) cannot serve other reads while a transaction holds it.
      // Versions are immutable, and the status is checked again inside.
      if (action === 'submit') {
        const { template, version } = await findVersion(db, idOrKey, number);
        nextStatus(action, version, actor);
        const failures = await deps.compliance.check(
          { purpose: template.purpose, variants: version.variants, sampleData: version.sampleData },
          await deps.fragments.currentSources(),
        );
        if (failures.length) {
          throw new AppError(
            'unprocessable',
            'template.compliance_failed',
            `Version ${number} breaks ${failures.length} compliance rule${failures.length === 1 ? '' : 's'}: ${failures.map((f) => f.message).join(' ')}`,
            failures.map((failure) => ({ path: placePath(failure.place), message: failure.message })),
          );
        }
      }
      return db.transaction(async (tx) => {
        const { template, version } = await findVersion(tx, idOrKey, number);
        const status = nextStatus(action, version, actor);
        const now = clock.now();
        let pinnedFragments: Record<string, string> | undefined;
        if (action === 'publish') {
          const { published } = await deps.fragments.currentSources(tx);
          const { sources } = await deps.fragments.currentSources(tx);
          const used = [
            ...new Set(Object.values(version.variants).flatMap((bodies) => fragmentKeysUsed(bodies, sources))),
          ];
          const unpublished = used.filter((key) => !published[key]);
          if (unpublished.length) {
            throw new AppError(
              'conflict',
              'template.fragment_unpublished',
              `Publish these fragments first: ${unpublished.join(', ')}.`,
              unpublished.map((key) => ({ path: `fragment:${key}`, message: 'has no published version' })),
            );
          }
          pinnedFragments = Object.fromEntries(used.map((key) => [key, published[key]!]));
          await tx
            .update(templateVersions)
            .set({ status: 'retired', retiredAt: now })
            .where(and(eq(templateVersions.templateId, template.id), eq(templateVersions.status, 'published')));
        }
        const decided = action === 'approve' || action === 'request_changes';
        const [updated] = await tx
          .update(templateVersions)
          .set({
            status,
            pinnedFragments,
            submittedAt: action === 'submit' ? now : undefined,
            decidedBy: decided ? actorLabel(actor) : undefined,
            decidedAt: decided ? now : undefined,
            publishedAt: action === 'publish' ? now : undefined,
            retiredAt: action === 'retire' ? now : undefined,
          })
          .where(eq(templateVersions.id, version.id))
          .returning();
        await audit.record(tx, actor, {
          action: `template.${action}`,
          entityType: 'template',
          entityId: template.id,
          summary: { key: template.key, number, status, pinnedFragments },
        });
        return updated!;
      });
    },

    async diff(actor: Actor, idOrKey: string, from: number, to: number) {
      authorize(actor, 'templates.read');
      const [a, b] = await Promise.all([findVersion(db, idOrKey, from), findVersion(db, idOrKey, to)]);
      const before = flatten(a.version.variants);
      const after = flatten(b.version.variants);
      const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
      return fields
        .map((field) => ({
          field,
          changes: diffLines(before[field] ?? '', after[field] ?? '').map((part) => ({
            value: part.value,
            added: Boolean(part.added),
            removed: Boolean(part.removed),
          })),
        }))
        .filter((entry) => entry.changes.some((change) => change.added || change.removed));
    },

    /**
     * A template Tidings itself sends with (a ticket's reply), published on first start: it frames
     * text staff wrote, so it has no review of its own. A template already there under its key is
     * left as it is, so its wording may be changed through the usual workflow.
     */
    async ensureSystemTemplate(input: TemplateInput) {
      checkVersionInput(input);
      const actor = systemActor('system templates');
      await db.transaction(async (tx) => {
        const [template] = await tx
          .insert(templates)
          .values({ key: input.key, name: input.name, purpose: input.purpose, description: input.description ?? '' })
          .onConflictDoNothing()
          .returning();
        if (!template) return;
        const version = await addVersion(tx, actor, template.id, { ...input, changeNote: 'Published by Tidings' });
        await tx
          .update(templateVersions)
          .set({ status: 'published', pinnedFragments: {}, publishedAt: clock.now() })
          .where(eq(templateVersions.id, version.id));
        await audit.record(tx, actor, {
          action: 'template.system_published',
          entityType: 'template',
          entityId: template.id,
          summary: { key: input.key, purpose: input.purpose, version: version.number },
        });
      });
    },

    /**
     * What a send uses: the template's published version with its pinned fragment bodies. Retired and
     * unpublished versions are never sendable.
     */
    async sendable(executor: Executor, idOrKey: string) {
      const template = await find(executor, idOrKey);
      const [version] = await executor
        .select()
        .from(templateVersions)
        .where(and(eq(templateVersions.templateId, template.id), eq(templateVersions.status, 'published')));
      if (!version)
        throw new AppError(
          'conflict',
          'template.not_published',
          `Template ${template.key} has no published version to send.`,
        );
      return {
        template,
        version,
        fragments: await deps.fragments.pinnedSources(executor, version.pinnedFragments ?? {}),
      };
    },
  };
}
