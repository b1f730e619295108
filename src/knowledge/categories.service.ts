import { and, asc, count, eq, ne, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { fieldChanges } from '../audit/audit-changes.js';
import { authorize } from '../auth/policy.js';
import type { Database, Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { AppError, notFound } from '../shared/errors.js';
import type { CategoryInput } from './knowledge.schemas.js';
import { knowledgeArticles, knowledgeCategories } from './knowledge.tables.js';

export type KnowledgeCategoriesService = ReturnType<typeof createKnowledgeCategoriesService>;

const nameTaken = (name: string) =>
  new AppError('conflict', 'knowledge.category_name_taken', `A category named ${name} already exists.`, [
    { path: 'body.name', message: 'is already taken' },
  ]);

/** The categories articles are grouped by, in the order the help centre shows them. */
export function createKnowledgeCategoriesService({ db, audit }: { db: Database; audit: Pick<AuditTrail, 'record'> }) {
  async function load(id: string) {
    const [category] = await db.select().from(knowledgeCategories).where(eq(knowledgeCategories.id, id));
    if (!category) throw notFound('category', id);
    return category;
  }

  /** Categories in the order readers see them, each with how many articles it holds (archived ones aside). */
  function withCounts(executor: Executor, id?: string) {
    return executor
      .select({
        id: knowledgeCategories.id,
        name: knowledgeCategories.name,
        position: knowledgeCategories.position,
        articleCount: sql<number>`count(${knowledgeArticles.id})::int`,
      })
      .from(knowledgeCategories)
      .leftJoin(
        knowledgeArticles,
        and(eq(knowledgeArticles.categoryId, knowledgeCategories.id), ne(knowledgeArticles.status, 'archived')),
      )
      .where(id ? eq(knowledgeCategories.id, id) : undefined)
      .groupBy(knowledgeCategories.id)
      .orderBy(asc(knowledgeCategories.position), asc(knowledgeCategories.name));
  }

  return {
    async list(actor: Actor) {
      authorize(actor, 'knowledge.read');
      return withCounts(db);
    },

    async create(actor: Actor, input: CategoryInput) {
      authorize(actor, 'knowledge.categories');
      return db.transaction(async (tx) => {
        const position =
          input.position ??
          (
            await tx
              .select({ next: sql<number>`coalesce(max(${knowledgeCategories.position}) + 1, 0)::int` })
              .from(knowledgeCategories)
          )[0]!.next;
        const [created] = await tx
          .insert(knowledgeCategories)
          .values({ name: input.name, position })
          .onConflictDoNothing()
          .returning();
        if (!created) throw nameTaken(input.name);
        await audit.record(tx, actor, {
          action: 'knowledge_category.created',
          entityType: 'knowledge_category',
          entityId: created.id,
          summary: { name: created.name, position },
        });
        return { ...created, articleCount: 0 };
      });
    },

    async update(actor: Actor, id: string, change: Partial<CategoryInput>) {
      authorize(actor, 'knowledge.categories');
      const before = await load(id);
      return db.transaction(async (tx) => {
        if (change.name !== undefined && change.name !== before.name) {
          const [clash] = await tx
            .select({ id: knowledgeCategories.id })
            .from(knowledgeCategories)
            .where(eq(knowledgeCategories.name, change.name));
          if (clash) throw nameTaken(change.name);
        }
        const [updated] = await tx
          .update(knowledgeCategories)
          .set(change)
          .where(eq(knowledgeCategories.id, id))
          .returning();
        await audit.record(tx, actor, {
          action: 'knowledge_category.updated',
          entityType: 'knowledge_category',
          entityId: id,
          summary: {
            fieldChanges: fieldChanges(
              { name: before.name, position: before.position },
              { name: updated!.name, position: updated!.position },
            ),
          },
        });
        return (await withCounts(tx, id))[0]!;
      });
    },

    /** Only an empty category goes: articles keep their place, archived ones included. */
    async remove(actor: Actor, id: string) {
      authorize(actor, 'knowledge.categories');
      const category = await load(id);
      await db.transaction(async (tx) => {
        const [used] = await tx
          .select({ n: count() })
          .from(knowledgeArticles)
          .where(eq(knowledgeArticles.categoryId, id));
        if (used!.n > 0) {
          throw new AppError(
            'conflict',
            'knowledge.category_in_use',
            `The category ${category.name} holds ${used!.n} article(s); move them to another category first.`,
          );
        }
        await tx.delete(knowledgeCategories).where(eq(knowledgeCategories.id, id));
        await audit.record(tx, actor, {
          action: 'knowledge_category.deleted',
          entityType: 'knowledge_category',
          entityId: id,
          summary: { name: category.name },
        });
      });
    },
  };
}
