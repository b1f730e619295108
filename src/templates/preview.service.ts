import {
  compileTemplate,
  RenderError,
  renderEmail,
  renderFax,
  renderLetter,
  renderPortal,
  renderSms,
  type ChannelBodies,
  type CompiledTemplate,
  type FragmentSources,
  type RenderChannel,
  type RenderContext,
} from '../rendering/index.js';
import { AppError } from '../shared/errors.js';
import type { LanguageVariants } from './templates.tables.js';

export type RenderFailure = { field: string; message: string; line?: number; column?: number };

export type ChannelPreview =
  | { channel: 'email'; subject: string; html: string; text: string }
  | { channel: 'sms'; text: string; encoding: 'GSM-7' | 'UCS-2'; characters: number; segments: number }
  | { channel: 'letter' | 'fax'; pages: number; pdfBase64: string }
  | { channel: 'portal'; subject: string; html: string };

export type ChannelOutcome = { channel: RenderChannel; preview?: ChannelPreview; error?: RenderFailure };

const failureOf = (error: unknown, fallbackField: string): RenderFailure =>
  error instanceof RenderError
    ? { field: error.field, message: error.message, line: error.line, column: error.column }
    : { field: fallbackField, message: (error as Error).message };

/** The language a customer gets: theirs if the template has it, otherwise the template's default. */
export function chooseLanguage(variants: LanguageVariants, wanted: string | undefined, fallback: string): string {
  if (wanted && variants[wanted]) return wanted;
  const base = wanted?.split('-')[0];
  if (base && variants[base]) return base;
  return fallback;
}

/** Compiled templates by version and language: Liquid is parsed and MJML compiled once per version, never per message. */
const compiledVersions = new Map<string, Promise<CompiledTemplate>>();
const CACHE_LIMIT = 500;

export function compiledFor(
  cacheKey: string | undefined,
  bodies: ChannelBodies,
  fragments: FragmentSources,
): Promise<CompiledTemplate> {
  if (!cacheKey) return compileTemplate(bodies, fragments);
  let compiled = compiledVersions.get(cacheKey);
  if (!compiled) {
    compiled = compileTemplate(bodies, fragments);
    // A version that does not compile is not cached, so a fixed fragment or engine is picked up.
    compiled.catch(() => compiledVersions.delete(cacheKey));
    if (compiledVersions.size >= CACHE_LIMIT) compiledVersions.delete(compiledVersions.keys().next().value!);
    compiledVersions.set(cacheKey, compiled);
  }
  return compiled;
}

export async function renderChannel(
  compiled: CompiledTemplate,
  channel: RenderChannel,
  context: RenderContext,
  recipientName: string,
): Promise<ChannelPreview> {
  switch (channel) {
    case 'email':
      return { channel, ...(await renderEmail(compiled, context)) };
    case 'sms':
      return { channel, ...(await renderSms(compiled, context)) };
    case 'portal':
      return { channel, ...(await renderPortal(compiled, context)) };
    case 'letter':
    case 'fax': {
      const address = context.customer.address as {
        lines: string[];
        postalCode: string;
        city: string;
        country: string;
      } | null;
      const recipient = address ? { ...address, name: recipientName } : undefined;
      const rendered = await (channel === 'letter' ? renderLetter : renderFax)(compiled, context, { recipient });
      return { channel, pages: rendered.pages, pdfBase64: rendered.pdf.toString('base64') };
    }
  }
}

/** Renders every channel the bodies define, side by side; a channel that fails reports where, the others still render. */
export async function renderAllChannels(input: {
  bodies: ChannelBodies;
  fragments: FragmentSources;
  context: RenderContext;
  recipientName: string;
  cacheKey?: string;
}): Promise<ChannelOutcome[]> {
  let compiled: CompiledTemplate;
  try {
    compiled = await compiledFor(input.cacheKey, input.bodies, input.fragments);
  } catch (error) {
    if (!(error instanceof RenderError)) throw error;
    const failure = failureOf(error, 'template');
    return (Object.keys(input.bodies) as RenderChannel[]).map((channel) => ({ channel, error: failure }));
  }
  const outcomes: ChannelOutcome[] = [];
  for (const channel of Object.keys(input.bodies) as RenderChannel[]) {
    if (!input.bodies[channel]) continue;
    try {
      outcomes.push({ channel, preview: await renderChannel(compiled, channel, input.context, input.recipientName) });
    } catch (error) {
      if (!(error instanceof RenderError) && !(error instanceof AppError)) throw error;
      outcomes.push({ channel, error: failureOf(error, channel) });
    }
  }
  return outcomes;
}
