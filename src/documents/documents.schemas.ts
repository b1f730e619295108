import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { cursorParam, nextCursor, pageSize } from '../http/schemas.js';
import { documentFolders, documentLinkTargets, documentStatuses } from './documents.tables.js';
import { versionLabelPattern } from './version-label.js';
import { metadataResponse, metadataValue } from './document-types.schemas.js';

const title = z.string().trim().min(1).max(300);
const description = z.string().trim().max(5_000);
const tag = z.string().trim().min(1).max(50);
const tags = z.array(tag).max(30);
const comment = z.string().trim().max(1_000);

/** Tags as a form field: comma-separated words. */
const tagList = z
  .string()
  .max(2_000)
  .transform((text) => text.split(',').flatMap((word) => word.trim() || []))
  .pipe(tags)
  .describe('Comma-separated');

/** A form field that says yes or no. */
const formFlag = z
  .enum(['true', 'false'])
  .transform((value) => value === 'true')
  .describe("'true' or 'false'");

/** Metadata as a form field: a JSON object of the type's field values by key. */
const metadataField = z
  .string()
  .max(50_000)
  .transform((text, context) => {
    try {
      const value: unknown = JSON.parse(text);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // Reported below, as for any other text that is no object.
    }
    context.addIssue({ code: 'custom', message: 'must be a JSON object of field values by key' });
    return z.NEVER;
  })
  .describe('A JSON object: the values of the document type\'s fields by key, e.g. {"end":"2027-01-31"}');

/** Metadata in a JSON body: the values of the document type's fields by key. */
const metadataBody = z
  .record(z.string().max(40), metadataValue.nullable())
  .describe("The values of the document type's fields by key (all of them: it replaces what was there)");

/** The file part of a form, documented as bytes; the route streams it, never holding it in memory. */
const filePart = z.unknown().meta({ type: 'string', format: 'binary', description: 'The file, last in the form' });

// Folders

export const folderResponse = createSelectSchema(documentFolders)
  .pick({ id: true, name: true, parentId: true })
  .extend({ documentCount: z.number().int().describe('Active documents directly in it') })
  .describe('DocumentFolder');

export const createFolderBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  parentId: z.uuid().nullable().describe('null for a top-level folder'),
});
export type CreateFolderInput = z.infer<typeof createFolderBody>;

export const updateFolderBody = createFolderBody.partial();
export type UpdateFolderInput = z.infer<typeof updateFolderBody>;

// Documents

export const versionLabel = z
  .string()
  .regex(versionLabelPattern, 'must be a version such as 1.2')
  .describe('major.minor, e.g. 1.2');

/** The fields of an upload, in the form before its file. */
export const uploadFields = z.strictObject({
  folderId: z.uuid(),
  title: title.optional().describe('The file name when left out'),
  description: description.optional(),
  tags: tagList.optional(),
  customerId: z.uuid().optional().describe('Links the document to this customer'),
  typeId: z.uuid().optional().describe('The document type; its fields are checked in `metadata`'),
  metadata: metadataField.optional(),
});
export type UploadFields = z.infer<typeof uploadFields>;
export const uploadForm = uploadFields.extend({ file: filePart });

export const versionFields = z.strictObject({
  major: formFlag.optional().describe("'true' makes 2.0 after 1.3; a minor version (1.4) otherwise"),
  comment: comment.optional(),
});
export type VersionFields = z.infer<typeof versionFields>;
export const versionForm = versionFields.extend({ file: filePart });
export const checkinForm = versionFields.extend({ file: filePart.optional() });

export const updateDocumentBody = z
  .strictObject({
    title,
    description,
    tags,
    folderId: z.uuid(),
    typeId: z
      .uuid()
      .nullable()
      .describe('A new type checks the metadata again; null takes the type and its metadata away'),
    metadata: metadataBody,
  })
  .partial();
export type UpdateDocumentInput = z.infer<typeof updateDocumentBody>;

export const checkoutBody = z.strictObject({
  expiresInMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 90)
    .optional()
    .describe('The lock lapses after this long; it lasts until check-in without it'),
});

export const linksBody = z.strictObject({
  links: z.array(z.strictObject({ targetType: z.enum(documentLinkTargets), targetId: z.uuid() })).max(200),
});
export type LinkInput = z.infer<typeof linksBody>['links'][number];

export const listDocumentsQuery = z.strictObject({
  folderId: z.uuid().optional(),
  q: z.string().trim().min(1).max(200).optional().describe('Words the title contains'),
  customerId: z.uuid().optional().describe('Only documents linked to this customer'),
  typeId: z.uuid().optional().describe('Only documents of this type'),
  cursor: cursorParam,
  limit: pageSize,
});
export type ListDocumentsQuery = z.infer<typeof listDocumentsQuery>;

export const contentQuery = z.strictObject({
  version: versionLabel.optional().describe('The current version when left out'),
  download: z.enum(['0', '1']).optional().describe('1 saves the file instead of showing a PDF or image'),
});

export const versionParams = z.strictObject({ id: z.uuid(), label: versionLabel });

// Responses

const person = z.object({ id: z.uuid(), name: z.string() });

const contentFields = {
  sha256: z.string().describe('The content hash, also the ETag of its download'),
  size: z.number().int(),
  mediaType: z.string(),
  filename: z.string(),
};

export const versionResponse = z
  .object({
    label: z.string(),
    major: z.number().int(),
    minor: z.number().int(),
    ...contentFields,
    comment: z.string(),
    createdBy: person.nullable().describe('null when Tidings itself (the CLI) stored it'),
    createdAt: z.date(),
  })
  .describe('DocumentVersion');

export const lockResponse = z
  .object({ by: person, since: z.date(), expiresAt: z.date().nullable() })
  .nullable()
  .describe('Who has it checked out; null when nobody does (an expired lock counts as none)');

const documentFields = {
  id: z.uuid(),
  folderId: z.uuid(),
  title: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  owner: person.nullable(),
  status: z.enum(documentStatuses),
  typeId: z.uuid().nullable().describe('The document type, whose fields `metadata` holds'),
  metadata: metadataResponse,
  currentVersion: z.object({ label: z.string(), ...contentFields }),
  lock: lockResponse,
  createdAt: z.date(),
  updatedAt: z.date(),
};

export const documentSummaryResponse = z.object(documentFields).describe('DocumentSummary');

export const documentResponse = z
  .object({
    ...documentFields,
    links: z.array(z.object({ targetType: z.enum(documentLinkTargets), targetId: z.uuid(), label: z.string() })),
    versions: z.array(versionResponse).describe('Newest first'),
  })
  .describe('Document');

export const uploadedResponse = documentResponse
  .extend({
    duplicates: z
      .array(z.object({ id: z.uuid(), title: z.string() }))
      .describe('Other active documents whose current content is the same bytes'),
  })
  .describe('UploadedDocument');

export const documentsPageResponse = z.object({ documents: z.array(documentSummaryResponse), nextCursor });
