import { compileMjmlBody } from './email-layout.js';
import { RenderError } from './errors.js';
import { newCompileSession, parseField, type CompileSession, type CompiledField } from './liquid.js';
import {
  renderChannels,
  type ChannelBodies,
  type FragmentSources,
  type RenderChannel,
  type TemplateField,
} from './types.js';

export const compiledParts = Symbol('compiled template parts');

export type CompiledParts = {
  email?: { subject: CompiledField; body: CompiledField; format: 'markdown' | 'mjml' };
  sms?: { text: CompiledField };
  letter?: { body: CompiledField };
  fax?: { body: CompiledField };
  portal?: { subject: CompiledField; body: CompiledField };
};

/** A template version ready to render: Liquid parsed per field and MJML compiled, once. */
export type CompiledTemplate = {
  /** The channels this template can be rendered for. */
  readonly channels: readonly RenderChannel[];
  /** Every fragment it inserts, directly or through other fragments. */
  readonly fragmentKeys: readonly string[];
  readonly [compiledParts]: CompiledParts;
};

function compileLiquidFields(bodies: ChannelBodies, compile: CompileSession): CompiledParts {
  const parts: CompiledParts = {};
  if (bodies.email) {
    const { subject, body, format } = bodies.email;
    // An MJML body is parsed here only to report Liquid errors at the author's own lines; it is parsed again once compiled.
    parts.email = {
      subject: parseField(compile, 'email.subject', 'text', subject),
      body: parseField(compile, 'email.body', format === 'mjml' ? 'html' : 'markdown', body),
      format,
    };
  }
  if (bodies.sms) parts.sms = { text: parseField(compile, 'sms.text', 'text', bodies.sms.text) };
  if (bodies.letter) parts.letter = { body: parseField(compile, 'letter.body', 'markdown', bodies.letter.body) };
  if (bodies.fax) parts.fax = { body: parseField(compile, 'fax.body', 'markdown', bodies.fax.body) };
  if (bodies.portal) {
    parts.portal = {
      subject: parseField(compile, 'portal.subject', 'text', bodies.portal.subject),
      body: parseField(compile, 'portal.body', 'markdown', bodies.portal.body),
    };
  }
  return parts;
}

/**
 * Compiles one language of a template version. Asynchronous because mjml 5 compiles asynchronously;
 * rejects with a RenderError naming the field on a Liquid or MJML error or an unknown fragment.
 */
export async function compileTemplate(bodies: ChannelBodies, fragments: FragmentSources): Promise<CompiledTemplate> {
  const compile = newCompileSession(fragments);
  const parts = compileLiquidFields(bodies, compile);
  if (parts.email?.format === 'mjml') {
    const html = await compileMjmlBody(bodies.email!.body);
    parts.email.body = parseField(compile, 'email.body', 'html', html);
  }
  return {
    channels: renderChannels.filter((channel) => parts[channel] !== undefined),
    fragmentKeys: [...compile.used].sort(),
    [compiledParts]: parts,
  };
}

const channelNames: Record<RenderChannel, string> = {
  email: 'email',
  sms: 'SMS',
  letter: 'letter',
  fax: 'fax',
  portal: 'portal message',
};

/** The compiled parts of one channel, or a RenderError saying the template has none. */
export function channelParts<C extends RenderChannel>(
  template: CompiledTemplate,
  channel: C,
  field: TemplateField,
): NonNullable<CompiledParts[C]> {
  const parts = template[compiledParts][channel];
  if (!parts) throw new RenderError(field, `this template has no ${channelNames[channel]} version`);
  return parts;
}

const fragmentTagPattern = /\{%-?\s*fragment\s+(['"])(.*?)\1\s*-?%\}/g;

/**
 * Which {% fragment %} keys a template uses, for compliance ("must contain the legal disclosure").
 * Given the fragment sources, keys used inside those fragments count too. Tags inside
 * {% comment %} or {% raw %} do not count. A draft that does not parse is scanned as text.
 */
export function fragmentKeysUsed(bodies: ChannelBodies, fragments: FragmentSources = {}): string[] {
  const sources = [
    bodies.email?.subject,
    bodies.email?.body,
    bodies.sms?.text,
    bodies.letter?.body,
    bodies.fax?.body,
    bodies.portal?.subject,
    bodies.portal?.body,
  ];
  const compile = newCompileSession(fragments, false);
  try {
    for (const source of sources) if (source !== undefined) parseField(compile, 'email.body', 'text', source);
  } catch {
    const pending = sources.filter((source) => source !== undefined);
    for (let source = pending.pop(); source !== undefined; source = pending.pop()) {
      for (const [, , key] of source.matchAll(fragmentTagPattern)) {
        if (compile.used.has(key!)) continue;
        compile.used.add(key!);
        if (Object.hasOwn(fragments, key!)) pending.push(fragments[key!]!);
      }
    }
  }
  return [...compile.used].sort();
}
