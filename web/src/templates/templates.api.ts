import { api, withQuery } from '../api/client.js';
import type { Channel, Purpose, VersionStatus, WorkflowAction } from './template-vocabulary.js';

export type EmailBody = { subject: string; body: string; format: 'markdown' | 'mjml' };
export type ChannelBodies = {
  email?: EmailBody;
  sms?: { text: string };
  letter?: { body: string };
  fax?: { body: string };
  portal?: { subject: string; body: string };
};
/** Liquid sources per language tag, then per channel. */
export type Variants = Record<string, ChannelBodies>;

export type VersionSummary = {
  id: string;
  number: number;
  status: VersionStatus;
  changeNote: string;
  createdBy: string;
  createdAt: string;
  decidedBy: string | null;
  publishedAt: string | null;
};

export type Template = {
  id: string;
  key: string;
  name: string;
  purpose: Purpose;
  description: string;
  createdAt: string;
  updatedAt: string;
};
export type TemplateListItem = Template & { latest: VersionSummary | null; published: VersionSummary | null };
export type TemplateDetail = Template & { versions: VersionSummary[] };

export type TemplateVersion = VersionSummary & {
  templateId: string;
  variants: Variants;
  defaultLanguage: string;
  dataSchema: Record<string, unknown>;
  sampleData: Record<string, unknown>;
  pinnedFragments: Record<string, string> | null;
  submittedAt: string | null;
  decidedAt: string | null;
  retiredAt: string | null;
};

export type VersionInput = {
  variants: Variants;
  defaultLanguage: string;
  dataSchema?: Record<string, unknown>;
  sampleData?: Record<string, unknown>;
  changeNote?: string;
};
export type NewTemplate = VersionInput & { key: string; name: string; purpose: Purpose; description?: string };

export type ComplianceFailure = { rule: string; path: string; message: string };
export type DiffField = { field: string; changes: { value: string; added: boolean; removed: boolean }[] };

export type ChannelPreview =
  | { channel: 'email'; subject: string; html: string; text: string }
  | { channel: 'sms'; text: string; encoding: 'GSM-7' | 'UCS-2'; characters: number; segments: number }
  | { channel: 'letter' | 'fax'; pages: number; pdfBase64: string }
  | { channel: 'portal'; subject: string; html: string };
export type RenderFailure = { field: string; message: string; line?: number; column?: number };
export type ChannelOutcome = { channel: Channel; preview?: ChannelPreview; error?: RenderFailure };
export type CustomerPreview = {
  customer: { id: string | null; name: string };
  language: string;
  channels: ChannelOutcome[];
};
export type PreviewRequest = { customerId?: string; language?: string; data?: Record<string, unknown> };
export type DraftPreviewRequest = PreviewRequest & {
  variants: Variants;
  defaultLanguage: string;
  sampleData?: Record<string, unknown>;
};

const templatePath = (key: string) => `/api/templates/${encodeURIComponent(key)}`;
const versionPath = (key: string, number: number) => `${templatePath(key)}/versions/${number}`;

export const templatesApi = {
  listPath: (filters: { purpose?: string; status?: string; q?: string }) => withQuery('/api/templates', filters),
  templatePath,
  versionPath,
  compliancePath: (key: string, number: number) => `${versionPath(key, number)}/compliance`,
  diffPath: (key: string, from: number, to: number) => withQuery(`${templatePath(key)}/diff`, { from, to }),
  create: (template: NewTemplate) =>
    api.post<{ template: Template; version: TemplateVersion }>('/api/templates', template),
  update: (key: string, change: { name?: string; description?: string }) =>
    api.patch<Template>(templatePath(key), change),
  saveVersion: (key: string, version: VersionInput) =>
    api.post<TemplateVersion>(`${templatePath(key)}/versions`, version),
  version: (key: string, number: number, signal?: AbortSignal) =>
    api.get<TemplateVersion>(versionPath(key, number), signal),
  compliance: (key: string, number: number) =>
    api.get<{ failures: ComplianceFailure[] }>(`${versionPath(key, number)}/compliance`),
  act: (key: string, number: number, action: WorkflowAction, comment?: string) =>
    api.post<TemplateVersion>(`${versionPath(key, number)}/workflow`, comment ? { action, comment } : { action }),
  previewVersion: (key: string, number: number, request: PreviewRequest) =>
    api.post<{ previews: CustomerPreview[] }>(`${versionPath(key, number)}/preview`, request),
  previewDraft: (request: DraftPreviewRequest) =>
    api.post<{ previews: CustomerPreview[] }>('/api/template-previews', request),
};
