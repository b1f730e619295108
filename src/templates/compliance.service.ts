import { and, arrayContains, asc, eq, isNull } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import { customers } from '../customers/customers.tables.js';
import type { Database, Executor } from '../db/database.js';
import type { Brand } from '../rendering/index.js';
import type { RenderPool } from '../rendering/render-pool.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { notFound } from '../shared/errors.js';
import { checkCompliance, type ComplianceFailure, type SampleRender } from './compliance.js';
import { renderPreviews } from './preview-rendering.js';
import { renderContextFor, syntheticSampleCustomer } from './render-context.js';
import {
  complianceRules,
  type ComplianceRuleKind,
  type LanguageVariants,
  type TemplatePurpose,
} from './templates.tables.js';

export type RuleInput = {
  purpose: TemplatePurpose | null;
  kind: ComplianceRuleKind;
  params: Record<string, unknown>;
  description: string;
  enabled?: boolean;
};

/** The rules a new installation starts with; admins change them on the compliance page. */
export const defaultComplianceRules: RuleInput[] = [
  {
    purpose: 'regulatory',
    kind: 'required_fragment',
    params: { fragmentKey: 'legal-disclosure' },
    description: 'Regulatory letters carry the legal disclosure',
  },
  {
    purpose: 'marketing',
    kind: 'unsubscribe_footer',
    params: {},
    description: 'Marketing email carries the unsubscribe footer',
  },
  {
    purpose: 'marketing',
    kind: 'forbidden_phrase',
    params: { phrases: ['guaranteed savings', 'risk-free', 'act now'] },
    description: 'No promises we cannot keep',
  },
  { purpose: null, kind: 'sms_max_segments', params: { max: 3 }, description: 'An SMS takes at most 3 segments' },
  {
    purpose: null,
    kind: 'renders_for_samples',
    params: {},
    description: 'Every channel renders for the sample customers',
  },
];

export const SAMPLE_TAG = 'sample';

export type ComplianceService = ReturnType<typeof createComplianceService>;

export function createComplianceService(deps: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  brand: () => Promise<Brand>;
  renderer: Pick<RenderPool, 'render'>;
}) {
  const { db, audit, clock } = deps;

  /** Customers tagged "sample" (a few), or a made-up one when there are none. */
  async function sampleCustomers(executor: Executor) {
    const tagged = await executor
      .select()
      .from(customers)
      .where(and(arrayContains(customers.tags, [SAMPLE_TAG]), isNull(customers.archivedAt)))
      .orderBy(asc(customers.name))
      .limit(3);
    return tagged.length ? tagged : [syntheticSampleCustomer];
  }

  return {
    sampleCustomers,

    async list(actor: Actor) {
      authorize(actor, 'templates.read');
      return db.select().from(complianceRules).orderBy(asc(complianceRules.kind), asc(complianceRules.createdAt));
    },

    async create(actor: Actor, input: RuleInput) {
      authorize(actor, 'compliance.manage');
      return db.transaction(async (tx) => {
        const [rule] = await tx.insert(complianceRules).values(input).returning();
        await audit.record(tx, actor, {
          action: 'compliance_rule.created',
          entityType: 'compliance_rule',
          entityId: rule!.id,
          summary: { ...input },
        });
        return rule!;
      });
    },

    async update(actor: Actor, id: string, change: Partial<RuleInput>) {
      authorize(actor, 'compliance.manage');
      return db.transaction(async (tx) => {
        const [rule] = await tx
          .update(complianceRules)
          .set({ ...change, updatedAt: clock.now() })
          .where(eq(complianceRules.id, id))
          .returning();
        if (!rule) throw notFound('compliance rule', id);
        await audit.record(tx, actor, {
          action: 'compliance_rule.updated',
          entityType: 'compliance_rule',
          entityId: id,
          summary: { ...change },
        });
        return rule;
      });
    },

    async remove(actor: Actor, id: string) {
      authorize(actor, 'compliance.manage');
      await db.transaction(async (tx) => {
        const [rule] = await tx.delete(complianceRules).where(eq(complianceRules.id, id)).returning();
        if (!rule) throw notFound('compliance rule', id);
        await audit.record(tx, actor, {
          action: 'compliance_rule.deleted',
          entityType: 'compliance_rule',
          entityId: id,
          summary: { description: rule.description },
        });
      });
    },

    /** Installs the default rules on a database that has none. */
    async ensureDefaults(executor: Executor = db) {
      const [existing] = await executor.select({ id: complianceRules.id }).from(complianceRules).limit(1);
      if (!existing) await executor.insert(complianceRules).values(defaultComplianceRules);
    },

    /** Renders every language and channel for the sample customers and checks the rules of the purpose. */
    async check(
      version: { purpose: TemplatePurpose; variants: LanguageVariants; sampleData: Record<string, unknown> },
      fragments: { sources: Record<string, string>; kinds: Record<string, string> },
    ): Promise<ComplianceFailure[]> {
      const [rules, samples, brand] = await Promise.all([
        db.select().from(complianceRules),
        sampleCustomers(db),
        deps.brand(),
      ]);
      const shown = Object.entries(version.variants).flatMap(([language, bodies]) => {
        const template = { bodies, fragments: fragments.sources };
        return samples.map((customer) => ({ language, customer, template }));
      });
      // In the render pool, within one budget: a runaway loop refuses the submission instead of holding the server.
      const rendered = await renderPreviews(
        deps.renderer,
        shown.map(({ language, customer, template }) => ({
          template,
          context: renderContextFor(customer, brand, version.sampleData, clock.now(), language),
          recipientName: customer.name,
        })),
      );
      const renders: SampleRender[] = shown.flatMap(({ language, customer }, i) =>
        rendered[i]!.map((outcome) => ({
          language,
          channel: outcome.channel,
          customerName: customer.name,
          error: outcome.error,
          smsSegments: outcome.preview?.channel === 'sms' ? outcome.preview.segments : undefined,
        })),
      );
      return checkCompliance({
        purpose: version.purpose,
        variants: version.variants,
        rules,
        fragmentSources: fragments.sources,
        fragmentKinds: fragments.kinds,
        samples: renders,
      });
    },
  };
}
