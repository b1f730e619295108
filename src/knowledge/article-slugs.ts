import { eq, like, or } from 'drizzle-orm';
import type { Executor } from '../db/database.js';
import { AppError } from '../shared/errors.js';
import { slugFromTitle, slugMaxLength } from './article-text.js';
import { knowledgeArticles } from './knowledge.tables.js';

const slugTaken = (slug: string) =>
  new AppError('conflict', 'knowledge.slug_taken', `Another article already has the address ${slug}.`, [
    { path: 'body.slug', message: 'is already taken' },
  ]);

/** The title's slug, or with -2, -3 … when another article has it. */
export async function freeSlug(executor: Executor, title: string) {
  const base = slugFromTitle(title);
  const taken = new Set(
    (
      await executor
        .select({ slug: knowledgeArticles.slug })
        .from(knowledgeArticles)
        .where(or(eq(knowledgeArticles.slug, base), like(knowledgeArticles.slug, `${base}-%`)))
    ).map((row) => row.slug),
  );
  let slug = base;
  for (let n = 2; taken.has(slug); n++) {
    slug = `${base.slice(0, slugMaxLength - String(n).length - 1).replace(/-+$/, '')}-${n}`;
  }
  return slug;
}

/** Refuses a slug another article has (409 naming body.slug). */
export async function assertSlugFree(executor: Executor, slug: string, articleId?: string) {
  const [other] = await executor
    .select({ id: knowledgeArticles.id })
    .from(knowledgeArticles)
    .where(eq(knowledgeArticles.slug, slug));
  if (other && other.id !== articleId) throw slugTaken(slug);
}
