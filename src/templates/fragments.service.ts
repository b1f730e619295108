import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import { isUuid, type Database, type Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { actorLabel } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { fragments, fragmentVersions, type FragmentKind } from './templates.tables.js';
import { nextStatus, workflowPermission, type WorkflowAction } from './workflow.js';

export type FragmentsService = ReturnType<typeof createFragmentsService>;

export function createFragmentsService({
  db,
  audit,
  clock,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
}) {
  async function find(executor: Executor, idOrKey: string) {
    const byId = isUuid(idOrKey);
    const [fragment] = await executor
      .select()
      .from(fragments)
      .where(byId ? eq(fragments.id, idOrKey) : eq(fragments.key, idOrKey));
    if (!fragment) throw notFound('fragment', idOrKey);
    return fragment;
  }

  async function withVersions(executor: Executor, idOrKey: string) {
    const fragment = await find(executor, idOrKey);
    const versions = await executor
      .select()
      .from(fragmentVersions)
      .where(eq(fragmentVersions.fragmentId, fragment.id))
      .orderBy(desc(fragmentVersions.number));
    return { ...fragment, versions };
  }

  async function addVersion(tx: Executor, actor: Actor, fragmentId: string, body: string, changeNote: string) {
    const [{ next }] = (await tx
      .select({ next: sql<number>`coalesce(max(${fragmentVersions.number}), 0) + 1` })
      .from(fragmentVersions)
      .where(eq(fragmentVersions.fragmentId, fragmentId))) as [{ next: number }];
    const [version] = await tx
      .insert(fragmentVersions)
      .values({
        fragmentId,
        body,
        number: next,
        changeNote,
        createdById: actor.kind === 'user' ? actor.userId : null,
        createdBy: actorLabel(actor),
      })
      .returning();
    return version!;
  }

  return {
    async list(actor: Actor) {
      authorize(actor, 'templates.read');
      const all = await db.select().from(fragments).orderBy(asc(fragments.name));
      const versions = all.length
        ? await db
            .select()
            .from(fragmentVersions)
            .where(
              inArray(
                fragmentVersions.fragmentId,
                all.map((f) => f.id),
              ),
            )
            .orderBy(desc(fragmentVersions.number))
        : [];
      return all.map((fragment) => {
        const own = versions.filter((version) => version.fragmentId === fragment.id);
        return {
          ...fragment,
          latest: own[0] ?? null,
          published: own.find((version) => version.status === 'published') ?? null,
        };
      });
    },

    get(actor: Actor, idOrKey: string) {
      authorize(actor, 'templates.read');
      return withVersions(db, idOrKey);
    },

    async create(actor: Actor, input: { key: string; name: string; kind: FragmentKind; body: string }) {
      authorize(actor, 'templates.author');
      return db.transaction(async (tx) => {
        const [fragment] = await tx
          .insert(fragments)
          .values({ key: input.key, name: input.name, kind: input.kind })
          .onConflictDoNothing()
          .returning();
        if (!fragment)
          throw new AppError('conflict', 'fragment.key_taken', `A fragment with key ${input.key} already exists.`, [
            { path: 'body.key', message: 'is already taken' },
          ]);
        const version = await addVersion(tx, actor, fragment.id, input.body, 'First version');
        await audit.record(tx, actor, {
          action: 'fragment.created',
          entityType: 'fragment',
          entityId: fragment.id,
          summary: { key: input.key, versionId: version.id },
        });
        return withVersions(tx, fragment.id);
      });
    },

    async saveVersion(actor: Actor, idOrKey: string, input: { body: string; changeNote?: string }) {
      authorize(actor, 'templates.author');
      return db.transaction(async (tx) => {
        const fragment = await find(tx, idOrKey);
        const version = await addVersion(tx, actor, fragment.id, input.body, input.changeNote ?? '');
        await audit.record(tx, actor, {
          action: 'fragment.version_saved',
          entityType: 'fragment',
          entityId: fragment.id,
          summary: { number: version.number },
        });
        return version;
      });
    },

    /** Moves a version through review; publishing retires the fragment's previous published version. */
    async act(actor: Actor, idOrKey: string, number: number, action: WorkflowAction) {
      authorize(actor, workflowPermission[action]);
      return db.transaction(async (tx) => {
        const fragment = await find(tx, idOrKey);
        const [version] = await tx
          .select()
          .from(fragmentVersions)
          .where(and(eq(fragmentVersions.fragmentId, fragment.id), eq(fragmentVersions.number, number)));
        if (!version) throw notFound('fragment version', `${fragment.key} v${number}`);
        const status = nextStatus(action, version, actor);
        const now = clock.now();
        if (action === 'publish') {
          await tx
            .update(fragmentVersions)
            .set({ status: 'retired', retiredAt: now })
            .where(and(eq(fragmentVersions.fragmentId, fragment.id), eq(fragmentVersions.status, 'published')));
        }
        const [updated] = await tx
          .update(fragmentVersions)
          .set({
            status,
            submittedAt: action === 'submit' ? now : undefined,
            decidedBy: action === 'approve' || action === 'request_changes' ? actorLabel(actor) : undefined,
            decidedAt: action === 'approve' || action === 'request_changes' ? now : undefined,
            publishedAt: action === 'publish' ? now : undefined,
            retiredAt: action === 'retire' ? now : undefined,
          })
          .where(eq(fragmentVersions.id, version.id))
          .returning();
        await audit.record(tx, actor, {
          action: `fragment.${action}`,
          entityType: 'fragment',
          entityId: fragment.id,
          summary: { key: fragment.key, number, status },
        });
        return updated!;
      });
    },

    /**
     * Fragment sources for rendering: the published version of each, or for keys without one (a draft
     * fragment being previewed) its latest version. Kinds come along for the compliance check.
     */
    async currentSources(executor: Executor = db) {
      const rows = await executor
        .select({
          key: fragments.key,
          kind: fragments.kind,
          versionId: fragmentVersions.id,
          body: fragmentVersions.body,
          status: fragmentVersions.status,
          number: fragmentVersions.number,
        })
        .from(fragments)
        .innerJoin(fragmentVersions, eq(fragmentVersions.fragmentId, fragments.id))
        .orderBy(asc(fragments.key), desc(fragmentVersions.number));
      const sources: Record<string, string> = {};
      const kinds: Record<string, string> = {};
      const published: Record<string, string> = {};
      for (const row of rows) {
        kinds[row.key] = row.kind;
        if (row.status === 'published') {
          sources[row.key] = row.body;
          published[row.key] = row.versionId;
        } else if (!(row.key in sources)) sources[row.key] = row.body;
      }
      return { sources, kinds, published };
    },

    /** The bodies of exactly these fragment versions (a published template's pins). */
    async pinnedSources(executor: Executor, pins: Record<string, string>) {
      const ids = Object.values(pins);
      if (ids.length === 0) return {};
      const rows = await executor
        .select({ id: fragmentVersions.id, body: fragmentVersions.body })
        .from(fragmentVersions)
        .where(inArray(fragmentVersions.id, ids));
      const byId = new Map(rows.map((row) => [row.id, row.body]));
      return Object.fromEntries(Object.entries(pins).map(([key, id]) => [key, byId.get(id) ?? '']));
    },
  };
}
