import type { ChannelBodies } from '../rendering/index.js';
import { fragmentKeysUsed } from '../rendering/compile.js';
import type { ComplianceRuleKind, LanguageVariants, TemplatePurpose } from './templates.tables.js';

export type ComplianceRule = {
  id: string;
  purpose: TemplatePurpose | null;
  kind: ComplianceRuleKind;
  params: Record<string, unknown>;
  description: string;
  enabled: boolean;
};

/** Where a failure is: language, channel and field of the version, and the line and column when known. */
export type CompliancePlace = { language?: string; channel?: string; field?: string; line?: number; column?: number };

/** "de.email.body:3:9": the place of a failure as the editor and the API name it. */
export const placePath = (place: CompliancePlace) =>
  [place.language, place.channel, place.field].filter(Boolean).join('.') +
  (place.line ? `:${place.line}:${place.column ?? 1}` : '');

export type ComplianceFailure = { ruleId: string; rule: string; message: string; place: CompliancePlace };

/** What rendering the version for the sample customers produced, per language and channel. */
export type SampleRender = {
  language: string;
  channel: keyof ChannelBodies;
  customerName: string;
  error?: { field: string; message: string; line?: number; column?: number };
  smsSegments?: number;
};

type Field = { language: string; channel: keyof ChannelBodies; field: string; source: string };

function fieldsOf(variants: LanguageVariants): Field[] {
  const fields: Field[] = [];
  for (const [language, bodies] of Object.entries(variants)) {
    for (const [channel, content] of Object.entries(bodies) as [
      keyof ChannelBodies,
      Record<string, string> | undefined,
    ][]) {
      if (!content) continue;
      for (const [field, source] of Object.entries(content)) {
        if (field !== 'format' && typeof source === 'string') fields.push({ language, channel, field, source });
      }
    }
  }
  return fields;
}

function lineAndColumn(source: string, index: number) {
  const before = source.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

const channelsWithFragments: (keyof ChannelBodies)[] = ['email', 'letter', 'fax', 'portal'];

/**
 * Checks a version against the rules of its purpose. Pure: the caller supplies the sample renders
 * and the fragment sources (so a phrase hidden in a fragment is found too).
 */
export function checkCompliance(input: {
  purpose: TemplatePurpose;
  variants: LanguageVariants;
  rules: ComplianceRule[];
  fragmentSources: Record<string, string>;
  fragmentKinds: Record<string, string>;
  samples: SampleRender[];
}): ComplianceFailure[] {
  const failures: ComplianceFailure[] = [];
  const applicable = input.rules.filter(
    (rule) => rule.enabled && (rule.purpose === null || rule.purpose === input.purpose),
  );
  const fields = fieldsOf(input.variants);
  const fail = (rule: ComplianceRule, message: string, place: CompliancePlace = {}) =>
    failures.push({ ruleId: rule.id, rule: rule.description, message, place });

  for (const rule of applicable) {
    switch (rule.kind) {
      case 'required_fragment': {
        const key = String(rule.params.fragmentKey);
        const channels = (rule.params.channels as (keyof ChannelBodies)[] | undefined) ?? channelsWithFragments;
        for (const [language, bodies] of Object.entries(input.variants)) {
          for (const channel of channels) {
            if (
              bodies[channel] &&
              !fragmentKeysUsed({ [channel]: bodies[channel] }, input.fragmentSources).includes(key)
            ) {
              fail(rule, `The ${channel} body must include the fragment '${key}'.`, { language, channel });
            }
          }
        }
        break;
      }
      case 'unsubscribe_footer': {
        const footers = Object.entries(input.fragmentKinds)
          .filter(([, kind]) => kind === 'unsubscribe_footer')
          .map(([key]) => key);
        for (const [language, bodies] of Object.entries(input.variants)) {
          if (
            bodies.email &&
            !fragmentKeysUsed({ email: bodies.email }, input.fragmentSources).some((key) => footers.includes(key))
          ) {
            fail(
              rule,
              `Marketing email must include an unsubscribe footer fragment (${footers.join(', ') || 'none defined yet'}).`,
              { language, channel: 'email', field: 'body' },
            );
          }
        }
        break;
      }
      case 'forbidden_phrase': {
        const phrases = (rule.params.phrases as string[] | undefined) ?? [];
        for (const field of fields) {
          const haystack = field.source.toLowerCase();
          for (const phrase of phrases) {
            const index = haystack.indexOf(phrase.toLowerCase());
            if (index >= 0)
              fail(rule, `Contains the forbidden phrase "${phrase}".`, {
                language: field.language,
                channel: field.channel,
                field: field.field,
                ...lineAndColumn(field.source, index),
              });
          }
        }
        for (const key of new Set(
          Object.values(input.variants).flatMap((bodies) => fragmentKeysUsed(bodies, input.fragmentSources)),
        )) {
          const source = input.fragmentSources[key]?.toLowerCase() ?? '';
          for (const phrase of phrases) {
            if (source.includes(phrase.toLowerCase()))
              fail(rule, `The fragment '${key}' it uses contains the forbidden phrase "${phrase}".`, {
                field: `fragment:${key}`,
              });
          }
        }
        break;
      }
      case 'sms_max_segments': {
        const max = Number(rule.params.max ?? 3);
        for (const sample of input.samples) {
          if (sample.channel === 'sms' && sample.smsSegments !== undefined && sample.smsSegments > max) {
            fail(
              rule,
              `The SMS for ${sample.customerName} takes ${sample.smsSegments} segments; at most ${max} are allowed.`,
              { language: sample.language, channel: 'sms', field: 'text' },
            );
          }
        }
        break;
      }
      case 'renders_for_samples': {
        // One broken field is reported once, at its own channel and field, however many samples and channels hit it.
        const reported = new Set<string>();
        for (const sample of input.samples) {
          if (!sample.error) continue;
          const [channel, field] = sample.error.field.includes('.')
            ? sample.error.field.split('.')
            : [sample.channel, undefined];
          const key = `${sample.language}|${sample.error.field}|${sample.error.message}`;
          if (reported.has(key)) continue;
          reported.add(key);
          fail(rule, `Does not render for ${sample.customerName}: ${sample.error.message}`, {
            language: sample.language,
            channel,
            field,
            line: sample.error.line,
            column: sample.error.column,
          });
        }
        break;
      }
    }
  }
  return failures;
}
