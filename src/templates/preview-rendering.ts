import type { ChannelOutcome } from '../rendering/channels.js';
import type { RenderPool, RenderTask } from '../rendering/render-pool.js';
import { AppError } from '../shared/errors.js';
import type { LanguageVariants } from './templates.tables.js';

/** The language a customer gets: theirs if the template has it, otherwise the template's default. */
export function chooseLanguage(variants: LanguageVariants, wanted: string | undefined, fallback: string): string {
  if (wanted && variants[wanted]) return wanted;
  const base = wanted?.split('-')[0];
  if (base && variants[base]) return base;
  return fallback;
}

export const renderBudgetExceeded = (budgetMs: number) =>
  new AppError(
    'unprocessable',
    'rendering.budget_exceeded',
    `Rendering took longer than its budget of ${budgetMs / 1000} s and was stopped; a loop in the template is probably too large.`,
  );

/**
 * Renders every channel for each recipient in the render pool, all within one budget: one
 * request cannot hold a rendering thread longer than that, however many samples it shows.
 */
export async function renderPreviews(
  renderer: Pick<RenderPool, 'render'>,
  previews: Omit<Extract<RenderTask, { kind: 'preview' }>, 'kind'>[],
): Promise<ChannelOutcome[][]> {
  const outcomes = await renderer.render(
    previews.map((preview) => ({ kind: 'preview' as const, ...preview })),
    'all',
  );
  return outcomes.map((outcome) => {
    switch (outcome.status) {
      case 'rendered':
        return outcome.result;
      case 'budget_exceeded':
        throw renderBudgetExceeded(outcome.budgetMs);
      case 'failed':
        throw new Error(outcome.error.message);
      case 'error':
        throw new Error(outcome.message);
    }
  });
}
