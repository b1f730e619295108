import type { BodyOf, ResponseOf } from '../../api/api-types.js';
import { api } from '../../api/client.js';

export type DocumentType = ResponseOf<'/api/document-types/{id}'>;
export type TypeField = DocumentType['fields'][number];
export type FieldKind = TypeField['kind'];
export type DocumentTypeInput = BodyOf<'/api/document-types', 'post'>;
/** A metadata value as the API holds it: text, a number, a date as YYYY-MM-DD, or yes/no. */
export type MetadataValue = string | number | boolean;

const typePath = (id: string) => `/api/document-types/${encodeURIComponent(id)}`;

export const fieldKindLabels: Record<FieldKind, string> = {
  text: 'Text',
  number: 'Number',
  date: 'Date',
  choice: 'Choice',
  boolean: 'Yes / no',
};

export const documentTypesApi = {
  listPath: '/api/document-types',
  create: (input: DocumentTypeInput) => api.post<DocumentType>('/api/document-types', input),
  update: (id: string, input: DocumentTypeInput) => api.patch<DocumentType>(typePath(id), input),
  remove: (id: string) => api.delete(typePath(id)),
};
