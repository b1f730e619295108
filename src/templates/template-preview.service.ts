import { authorize, type Permission } from '../auth/policy.js';
import type { CustomersService } from '../customers/customers.service.js';
import type { Database } from '../db/database.js';
import type { Brand } from '../rendering/index.js';
import type { RenderPool } from '../rendering/render-pool.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import type { ComplianceService } from './compliance.service.js';
import type { FragmentsService } from './fragments.service.js';
import { chooseLanguage, renderPreviews } from './preview-rendering.js';
import { renderContextFor } from './render-context.js';
import type { TemplatesService } from './templates.service.js';
import type { LanguageVariants, VersionStatus } from './templates.tables.js';

type PreviewRequest = { customerId?: string; language?: string; data?: Record<string, unknown> };

/** What is published anyone who reads templates may see; text still in the workflow is for those who write or review it. */
const previewPermission: Record<VersionStatus, Permission> = {
  draft: 'templates.preview_unpublished',
  in_review: 'templates.preview_unpublished',
  changes_requested: 'templates.preview_unpublished',
  approved: 'templates.preview_unpublished',
  published: 'templates.read',
  retired: 'templates.read',
};

export type TemplatePreviewService = ReturnType<typeof createTemplatePreviewService>;

/** Shows a template as each channel renders it, for a real customer or the sample set. */
export function createTemplatePreviewService(deps: {
  db: Database;
  clock: Clock;
  brand: () => Promise<Brand>;
  customers: Pick<CustomersService, 'load'>;
  fragments: Pick<FragmentsService, 'currentSources' | 'pinnedSources'>;
  compliance: Pick<ComplianceService, 'sampleCustomers'>;
  templates: Pick<TemplatesService, 'findVersion'>;
  renderer: Pick<RenderPool, 'render'>;
}) {
  async function render(
    source: {
      variants: LanguageVariants;
      defaultLanguage: string;
      sampleData: Record<string, unknown>;
      cacheKey?: string;
      fragments: Record<string, string>;
    },
    request: PreviewRequest,
  ) {
    const brand = await deps.brand();
    const people = request.customerId
      ? [await deps.customers.load(deps.db, request.customerId)]
      : await deps.compliance.sampleCustomers(deps.db);
    const data = request.data ?? source.sampleData;
    const now = deps.clock.now();
    const shown = people.map((customer) => {
      const language = chooseLanguage(source.variants, request.language ?? customer.language, source.defaultLanguage);
      return { customer, language, context: renderContextFor(customer, brand, data, now, language) };
    });
    // One source per language, so a thread compiles each language once for all the people shown.
    const templates = new Map(
      shown.map(({ language }) => [
        language,
        {
          bodies: source.variants[language]!,
          fragments: source.fragments,
          cacheKey: source.cacheKey && `${source.cacheKey}:${language}`,
        },
      ]),
    );
    const rendered = await renderPreviews(
      deps.renderer,
      shown.map(({ customer, language, context }) => ({
        template: templates.get(language)!,
        context,
        recipientName: customer.name,
      })),
    );
    return shown.map(({ customer, language }, i) => ({
      customer: { id: 'id' in customer ? (customer.id as string) : null, name: customer.name },
      language,
      channels: rendered[i]!,
    }));
  }

  return {
    /** A saved version; a published one renders with exactly its pinned fragments. */
    async version(actor: Actor, idOrKey: string, number: number, request: PreviewRequest) {
      authorize(actor, 'templates.read');
      const { version } = await deps.templates.findVersion(idOrKey, number);
      authorize(actor, previewPermission[version.status]);
      const fragments = version.pinnedFragments
        ? await deps.fragments.pinnedSources(deps.db, version.pinnedFragments)
        : (await deps.fragments.currentSources()).sources;
      return render({ ...version, cacheKey: version.pinnedFragments ? version.id : undefined, fragments }, request);
    },

    /** What the editor has now, before it is saved. */
    async draft(
      actor: Actor,
      draft: {
        variants: LanguageVariants;
        defaultLanguage: string;
        sampleData?: Record<string, unknown>;
      } & PreviewRequest,
    ) {
      authorize(actor, 'templates.author');
      const { sources } = await deps.fragments.currentSources();
      return render(
        {
          variants: draft.variants,
          defaultLanguage: draft.defaultLanguage,
          sampleData: draft.sampleData ?? {},
          fragments: sources,
        },
        draft,
      );
    },
  };
}
