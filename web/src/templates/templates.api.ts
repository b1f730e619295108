import type { BodyOf, QueryOf, ResponseOf } from '../api/api-types.js';
import { api, withQuery } from '../api/client.js';
import type { WorkflowAction } from './template-vocabulary.js';

export type VersionInput = BodyOf<'/api/templates/{template}/versions', 'post'>;
/** Liquid sources per language tag, then per channel. */
export type Variants = VersionInput['variants'];
/** A saved version; its variants are what was saved, which the response documents only as a map. */
export type TemplateVersion = Omit<ResponseOf<'/api/templates/{template}/versions/{number}'>, 'variants'> & {
  variants: Variants;
};
export type ChannelBodies = Variants[string];
export type EmailBody = NonNullable<ChannelBodies['email']>;

export type TemplateDetail = ResponseOf<'/api/templates/{template}'>;
export type Template = Omit<TemplateDetail, 'versions'>;
export type VersionSummary = TemplateDetail['versions'][number];
export type TemplateListItem = ResponseOf<'/api/templates'>['templates'][number];

export type NewTemplate = BodyOf<'/api/templates', 'post'>;

export type ComplianceFailure =
  ResponseOf<'/api/templates/{template}/versions/{number}/compliance'>['failures'][number];
export type DiffField = ResponseOf<'/api/templates/{template}/diff'>['fields'][number];

export type CustomerPreview = ResponseOf<'/api/template-previews', 'post'>['previews'][number];
export type ChannelOutcome = CustomerPreview['channels'][number];
export type ChannelPreview = NonNullable<ChannelOutcome['preview']>;
export type RenderFailure = NonNullable<ChannelOutcome['error']>;
export type PreviewRequest = BodyOf<'/api/templates/{template}/versions/{number}/preview', 'post'>;
export type DraftPreviewRequest = BodyOf<'/api/template-previews', 'post'>;

const templatePath = (key: string) => `/api/templates/${encodeURIComponent(key)}`;
const versionPath = (key: string, number: number) => `${templatePath(key)}/versions/${number}`;

export const templatesApi = {
  listPath: (filters: { [Name in keyof QueryOf<'/api/templates'>]?: string }) => withQuery('/api/templates', filters),
  templatePath,
  versionPath,
  compliancePath: (key: string, number: number) => `${versionPath(key, number)}/compliance`,
  diffPath: (key: string, from: number, to: number) => withQuery(`${templatePath(key)}/diff`, { from, to }),
  create: (template: NewTemplate) => api.post<ResponseOf<'/api/templates', 'post'>>('/api/templates', template),
  update: (key: string, change: BodyOf<'/api/templates/{template}', 'patch'>) =>
    api.patch<Template>(templatePath(key), change),
  saveVersion: (key: string, version: VersionInput) =>
    api.post<TemplateVersion>(`${templatePath(key)}/versions`, version),
  version: (key: string, number: number, signal?: AbortSignal) =>
    api.get<TemplateVersion>(versionPath(key, number), signal),
  compliance: (key: string, number: number) =>
    api.get<ResponseOf<'/api/templates/{template}/versions/{number}/compliance'>>(
      `${versionPath(key, number)}/compliance`,
    ),
  act: (key: string, number: number, action: WorkflowAction, comment?: string) =>
    api.post<TemplateVersion>(`${versionPath(key, number)}/workflow`, comment ? { action, comment } : { action }),
  previewVersion: (key: string, number: number, request: PreviewRequest) =>
    api.post<ResponseOf<'/api/templates/{template}/versions/{number}/preview', 'post'>>(
      `${versionPath(key, number)}/preview`,
      request,
    ),
  previewDraft: (request: DraftPreviewRequest) =>
    api.post<ResponseOf<'/api/template-previews', 'post'>>('/api/template-previews', request),
};
