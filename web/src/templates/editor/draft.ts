import type { Channel } from '../template-vocabulary.js';
import type { ChannelBodies, TemplateVersion, Variants, VersionInput } from '../templates.api.js';

/** The fields each channel has, in the order the editor shows them. `format` is a choice, not Liquid. */
export const channelFields: Record<Channel, { field: string; label: string; multiline: boolean }[]> = {
  email: [
    { field: 'subject', label: 'Subject', multiline: false },
    { field: 'body', label: 'Body', multiline: true },
  ],
  sms: [{ field: 'text', label: 'Text', multiline: true }],
  letter: [{ field: 'body', label: 'Body', multiline: true }],
  fax: [{ field: 'body', label: 'Body', multiline: true }],
  portal: [
    { field: 'subject', label: 'Subject', multiline: false },
    { field: 'body', label: 'Body', multiline: true },
  ],
};

/** The field a fragment goes into when no field of the channel has the cursor. */
export const mainField: Record<Channel, string> = {
  email: 'body',
  sms: 'text',
  letter: 'body',
  fax: 'body',
  portal: 'body',
};

/** What the editor holds: every channel's sources (empty ones are left out on save) and the JSON as typed. */
export type Draft = {
  variants: Variants;
  defaultLanguage: string;
  dataSchemaText: string;
  sampleDataText: string;
  changeNote: string;
};

export const fieldId = (language: string, channel: Channel, field: string) => `${language}.${channel}.${field}`;

const pretty = (value: Record<string, unknown> | undefined) =>
  value && Object.keys(value).length ? JSON.stringify(value, null, 2) : '';

export function draftFrom(version: TemplateVersion | null): Draft {
  if (!version)
    return { variants: { en: {} }, defaultLanguage: 'en', dataSchemaText: '', sampleDataText: '', changeNote: '' };
  return {
    variants: version.variants,
    defaultLanguage: version.defaultLanguage,
    dataSchemaText: pretty(version.dataSchema),
    sampleDataText: pretty(version.sampleData),
    changeNote: '',
  };
}

export function fieldValue(bodies: ChannelBodies, channel: Channel, field: string): string {
  const content = bodies[channel] as Record<string, string> | undefined;
  return content?.[field] ?? '';
}

/** Sets one field, creating the channel (an email starts as Markdown) when it had none. */
export function withField(
  variants: Variants,
  language: string,
  channel: Channel,
  field: string,
  value: string,
): Variants {
  const bodies = variants[language] ?? {};
  const blank = Object.fromEntries(channelFields[channel].map((entry) => [entry.field, '']));
  const current = {
    ...blank,
    ...(channel === 'email' ? { format: 'markdown' } : {}),
    ...(bodies[channel] as Record<string, string> | undefined),
  };
  return { ...variants, [language]: { ...bodies, [channel]: { ...current, [field]: value } } };
}

/** A channel is used when any of its Liquid fields has text. */
export function channelUsed(bodies: ChannelBodies | undefined, channel: Channel): boolean {
  return channelFields[channel].some((entry) => fieldValue(bodies ?? {}, channel, entry.field).trim() !== '');
}

/** The variants as the API takes them: channels nobody wrote are left out. */
export function variantsToSend(variants: Variants): Variants {
  return Object.fromEntries(
    Object.entries(variants).map(([language, bodies]) => [
      language,
      Object.fromEntries(
        Object.entries(bodies).filter(([channel]) => channelUsed(bodies, channel as Channel)),
      ) as ChannelBodies,
    ]),
  );
}

export type JsonOutcome = { value?: Record<string, unknown>; error?: string };

/** A JSON object typed into a textarea; empty text is no value. */
export function parseJsonObject(text: string): JsonOutcome {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value))
      return { error: 'must be a JSON object, like {"tariff": "Green"}' };
    return { value: value as Record<string, unknown> };
  } catch (error) {
    return { error: `is not valid JSON: ${(error as Error).message}` };
  }
}

/** The draft as a new version, or the problems that keep it from being one. */
export function versionInputOf(draft: Draft): { input?: VersionInput; problems: Record<string, string> } {
  const dataSchema = parseJsonObject(draft.dataSchemaText);
  const sampleData = parseJsonObject(draft.sampleDataText);
  const problems: Record<string, string> = {};
  if (dataSchema.error) problems.dataSchema = dataSchema.error;
  if (sampleData.error) problems.sampleData = sampleData.error;
  if (Object.keys(problems).length) return { problems };
  return {
    problems,
    input: {
      variants: variantsToSend(draft.variants),
      defaultLanguage: draft.defaultLanguage,
      ...(dataSchema.value ? { dataSchema: dataSchema.value } : {}),
      ...(sampleData.value ? { sampleData: sampleData.value } : {}),
      ...(draft.changeNote.trim() ? { changeNote: draft.changeNote.trim() } : {}),
    },
  };
}

/** Where a server path points: `en.email.body:3:9`, `variants.en.sms.text`, `fragment:signature`. */
export type Place = { language?: string; channel?: Channel; field?: string; line?: number; column?: number };

const knownChannels = new Set<string>(['email', 'sms', 'letter', 'fax', 'portal']);

export function placeOf(path: string): Place {
  const [dotted = '', line, column] = path.replace(/^(body\.)?(variants\.)?/, '').split(':');
  if (dotted === 'fragment') return {};
  const [language, channel, field] = dotted.split('.');
  if (!language || (channel && !knownChannels.has(channel))) return {};
  return {
    language,
    channel: channel as Channel | undefined,
    field,
    line: line ? Number(line) : undefined,
    column: column ? Number(column) : undefined,
  };
}
