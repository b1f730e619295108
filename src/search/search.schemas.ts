import { z } from 'zod';

export const searchKinds = ['document', 'communication'] as const;
export type SearchKind = (typeof searchKinds)[number];

/** A filter that takes several values as one comma-separated parameter (any of them matches). */
const anyOf = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .max(4_000)
    .transform((text) => text.split(',').flatMap((word) => word.trim() || []))
    .pipe(z.array(item).max(50))
    .optional()
    .describe('Comma-separated; a result matches any of them');

const day = z.iso.date().describe('YYYY-MM-DD');

export const searchQuery = z.strictObject({
  q: z.string().trim().min(1).max(500).describe('Words as typed into a search box: "a phrase", or, -without'),
  kind: anyOf(z.enum(searchKinds)),
  folderId: anyOf(z.uuid()),
  mediaType: anyOf(z.string().min(1).max(255)),
  tag: anyOf(z.string().min(1).max(50)),
  customerId: anyOf(z.uuid()),
  from: day.optional().describe('Changed (documents) or made (communications) on or after this day, UTC'),
  to: day.optional().describe('…on or before this day, UTC'),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type SearchQuery = z.infer<typeof searchQuery>;

const facetValue = z.object({
  value: z.string(),
  label: z.string().describe('What people read: a folder or customer name; else the value'),
  count: z.number().int(),
});

export const searchResult = z.object({
  kind: z.enum(searchKinds),
  id: z.uuid(),
  title: z.string(),
  snippet: z.string().describe('HTML: the text around the matches, escaped, matched words in <mark>'),
  rank: z.number(),
  folderId: z.uuid().nullable(),
  folderName: z.string().nullable(),
  mediaType: z.string().nullable(),
  tags: z.array(z.string()),
  customerIds: z.array(z.uuid()),
  channel: z.string().nullable().describe('A communication’s channel'),
  at: z.string().describe('When the document last changed or the communication was made'),
});
export type SearchResult = z.infer<typeof searchResult>;

export const searchResponse = z.object({
  total: z.number().int().describe('Results matching, across all pages; at least this many when `totalIsAtLeast`'),
  totalIsAtLeast: z
    .boolean()
    .describe(
      'So many match that only the first of each kind the index hands over are ranked, paged and counted (in the total and the facets)',
    ),
  results: z.array(searchResult),
  nextOffset: z.number().int().nullable().describe('Pass as `offset` for the next page; null on the last page'),
  facets: z.object({
    kind: z.array(facetValue),
    folder: z.array(facetValue),
    mediaType: z.array(facetValue),
    tag: z.array(facetValue),
    customer: z.array(facetValue),
    month: z.array(facetValue).describe('YYYY-MM'),
  }),
});
export type SearchResponse = z.infer<typeof searchResponse>;
