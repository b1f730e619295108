import { authorize } from '../auth/policy.js';
import type { CustomersService } from '../customers/customers.service.js';
import type { Database } from '../db/database.js';
import type { Brand } from '../rendering/index.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import type { ComplianceService } from './compliance.service.js';
import type { FragmentsService } from './fragments.service.js';
import { chooseLanguage, renderAllChannels } from './preview.service.js';
import { renderContextFor } from './render-context.js';
import type { TemplatesService } from './templates.service.js';
import type { LanguageVariants } from './templates.tables.js';

type PreviewRequest = { customerId?: string; language?: string; data?: Record<string, unknown> };

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
    return Promise.all(
      people.map(async (customer) => {
        const language = chooseLanguage(source.variants, request.language ?? customer.language, source.defaultLanguage);
        const context = renderContextFor(customer, brand, data, deps.clock.now(), language);
        const channels = await renderAllChannels({
          bodies: source.variants[language]!,
          fragments: source.fragments,
          context,
          recipientName: customer.name,
          cacheKey: source.cacheKey && `${source.cacheKey}:${language}`,
        });
        return {
          customer: { id: 'id' in customer ? (customer.id as string) : null, name: customer.name },
          language,
          channels,
        };
      }),
    );
  }

  return {
    /** A saved version; a published one renders with exactly its pinned fragments. */
    async version(actor: Actor, idOrKey: string, number: number, request: PreviewRequest) {
      authorize(actor, 'templates.read');
      const { version } = await deps.templates.findVersion(idOrKey, number);
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
      authorize(actor, 'templates.read');
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
