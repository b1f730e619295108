import type { BodyOf, QueryOf, ResponseOf } from '../api/api-types.js';
import { api, withQuery } from '../api/client.js';

// A folder's name is a collated text column, which the OpenAPI document leaves untyped (`unknown`); it is a string.
type FolderAnswer = ResponseOf<'/api/document-folders'>['folders'][number];
export type Folder = Omit<FolderAnswer, 'name'> & { name: string };

export type DocumentSummary = ResponseOf<'/api/documents'>['documents'][number];
export type TidingsDocument = ResponseOf<'/api/documents/{id}'>;
export type UploadedDocument = ResponseOf<'/api/documents', 'post'>;
export type Lock = NonNullable<TidingsDocument['lock']>;
export type DocumentLink = TidingsDocument['links'][number];
export type LinkTarget = DocumentLink['targetType'];

export type DocumentFilters = Pick<QueryOf<'/api/documents'>, 'folderId' | 'q' | 'typeId'>;
export type DocumentChange = BodyOf<'/api/documents/{id}', 'patch'>;

/** A new file for a document: its bytes, whether it starts a major version, and why it changed. */
export type NewContent = { file: File | null; major: boolean; comment: string };

export const DOCUMENT_PAGE_SIZE = 50;

const documentPath = (id: string) => `/api/documents/${encodeURIComponent(id)}`;
const folderPath = (id: string) => `/api/document-folders/${encodeURIComponent(id)}`;

/** A multipart form of text fields, with the file last: the server streams it as it arrives. */
function formOf(fields: Record<string, string | undefined>, file: File | null) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value) form.append(name, value);
  if (file) form.append('file', file, file.name);
  return form;
}

const contentForm = ({ file, major, comment }: NewContent) =>
  formOf({ major: String(major), comment: comment.trim() || undefined }, file);

/** Hears the share of an upload sent so far (0 to 1). */
export type Progress = (sent: number) => void;

export const documentsApi = {
  foldersPath: '/api/document-folders',
  listPath: (filters: DocumentFilters) => withQuery('/api/documents', { ...filters, limit: DOCUMENT_PAGE_SIZE }),
  documentPath,
  /** The bytes of a version (the current one without `version`): shown inline, or saved with `download`. */
  contentPath: (id: string, version?: string, download = false) =>
    withQuery(`${documentPath(id)}/content`, { version, download: download ? 1 : undefined }),

  createFolder: (name: string, parentId: string | null) =>
    api.post<Folder>('/api/document-folders', { name, parentId }),
  renameFolder: (id: string, name: string) => api.patch<Folder>(folderPath(id), { name }),
  deleteFolder: (id: string) => api.delete(folderPath(id)),

  upload: (
    upload: {
      folderId: string;
      title: string;
      description: string;
      tags: string;
      file: File;
      /** The document type and its field values (sent as a JSON object), when it has one. */
      typeId?: string;
      metadata?: Record<string, string>;
    },
    onProgress?: Progress,
  ) =>
    api.postForm<UploadedDocument>(
      '/api/documents',
      formOf(
        {
          folderId: upload.folderId,
          title: upload.title.trim() || undefined,
          description: upload.description.trim() || undefined,
          tags: upload.tags.trim() || undefined,
          typeId: upload.typeId || undefined,
          metadata: upload.typeId && upload.metadata ? JSON.stringify(upload.metadata) : undefined,
        },
        upload.file,
      ),
      onProgress,
    ),
  update: (id: string, change: DocumentChange) => api.patch<TidingsDocument>(documentPath(id), change),
  remove: (id: string) => api.delete(documentPath(id)),
  addVersion: (id: string, content: NewContent, onProgress?: Progress) =>
    api.postForm<TidingsDocument>(`${documentPath(id)}/versions`, contentForm(content), onProgress),
  restore: (id: string, label: string) =>
    api.post<TidingsDocument>(`${documentPath(id)}/versions/${encodeURIComponent(label)}/restore`),
  checkOut: (id: string) => api.post<TidingsDocument>(`${documentPath(id)}/checkout`, {}),
  checkIn: (id: string, content: NewContent, onProgress?: Progress) =>
    api.postForm<TidingsDocument>(`${documentPath(id)}/checkin`, contentForm(content), onProgress),
  cancelCheckOut: (id: string) => api.post<TidingsDocument>(`${documentPath(id)}/cancel-checkout`),
  breakLock: (id: string) => api.delete(`${documentPath(id)}/lock`),
  setLinks: (id: string, links: { targetType: LinkTarget; targetId: string }[]) =>
    api.put<TidingsDocument>(`${documentPath(id)}/links`, { links }),
};
