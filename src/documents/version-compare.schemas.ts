import { z } from 'zod';
import { extractionMethods, extractionStatuses } from './text/document-texts.tables.js';
import { versionLabelPattern } from './version-label.js';

const label = z.string().regex(versionLabelPattern, 'must be a version such as 1.2');

export const compareQuery = z.strictObject({ from: label, to: label });
export const textStatusQuery = z.strictObject({ version: label.optional() });

const textState = z.object({
  status: z
    .enum(extractionStatuses)
    .describe('pending: being extracted; done: found (maybe empty); failed: see reason'),
  method: z.enum(extractionMethods).nullable().describe('text: read from the file; ocr: recognized; none: no text'),
  reason: z.string().nullable(),
});

const versionSide = z.object({
  version: z.string(),
  filename: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  comment: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  text: textState,
});

const detailValue = z.union([z.string(), z.number(), z.null()]);

export const compareResponse = z.object({
  from: versionSide,
  to: versionSide,
  changes: z.array(z.object({ field: z.string(), from: detailValue, to: detailValue })),
  sameContent: z.boolean(),
  text: z.object({
    state: z.enum(['ready', 'waiting', 'too_different']),
    parts: z.array(
      z.object({
        kind: z.enum(['same', 'added', 'removed', 'folded']),
        lines: z.array(z.string()),
        count: z.number().int().describe('Lines in this part (for folded: unchanged lines not shown)'),
      }),
    ),
    added: z.number().int(),
    removed: z.number().int(),
  }),
});

export const textStatusResponse = textState.extend({
  version: z.string(),
  characters: z.number().int(),
  excerpt: z.string().describe('The first 2,000 characters of the text'),
});
