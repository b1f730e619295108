import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/authenticate.js';
import { sendFile } from '../../http/download.js';
import { idParam, nextCursor } from '../../http/schemas.js';
import { AppError } from '../../shared/errors.js';
import { exportCustomersQuery, type CustomerExport } from '../export.js';
import { utf8Text } from './csv-reader.js';
import {
  csvUploadBody,
  importFieldsResponse,
  importResponse,
  rejectResponse,
  rejectsQuery,
  startImportBody,
  uploadQuery,
  uploadResponse,
  vcardImportResponse,
  vcardUploadBody,
} from './imports.schemas.js';
import { MAX_IMPORT_BYTES, type CustomerImportsService } from './imports.service.js';

const MAX_VCARD_BYTES = 10 * 1_048_576;
const csvTypes = ['text/csv', 'application/csv'];
const vcardTypes = ['text/vcard', 'text/x-vcard', 'text/directory'];

/** The request body as the stream the content-type parser left it, if it is one of these types. */
function rawBody(request: FastifyRequest, types: string[]): AsyncIterable<Buffer> {
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  const body = request.body as AsyncIterable<Buffer> | undefined;
  if (!types.includes(type) || typeof body?.[Symbol.asyncIterator] !== 'function') {
    throw new AppError(
      'unsupported_media_type',
      'request.media_type',
      `Send the file as the request body with Content-Type ${types[0]}.`,
    );
  }
  return body;
}

// What downloads are sent as.
const csvMediaType = 'text/csv; charset=utf-8';
const vcardMediaType = 'text/vcard; charset=utf-8';

type Services = { imports: CustomerImportsService; exports: CustomerExport };

/** Customer import (CSV through a job, vCards at once) and export (CSV, vCard). */
export const customerImportsRoutes: FastifyPluginAsyncZod<Services> = async (app, { imports, exports }) => {
  // Files reach the handlers as streams: a CSV may be gigabytes and goes straight to the blob store.
  app.addContentTypeParser([...csvTypes, ...vcardTypes], (_request, payload, done) => done(null, payload));
  const tags = ['Customer import and export'];

  app.get(
    '/api/customer-imports/fields',
    {
      schema: {
        tags,
        summary: 'The fields a CSV column can be mapped to (standard, custom attributes, consents)',
        response: { 200: importFieldsResponse },
      },
    },
    async (request) => ({ fields: await imports.fields(actorOf(request)) }),
  );

  app.post(
    '/api/customer-imports',
    {
      bodyLimit: MAX_IMPORT_BYTES,
      schema: {
        tags,
        summary: 'Upload a CSV file (UTF-8, the raw request body) for import; answers with its columns and first rows',
        consumes: csvTypes,
        body: csvUploadBody,
        querystring: uploadQuery,
        response: { 201: uploadResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await imports.upload(actorOf(request), rawBody(request, csvTypes), request.query)),
  );

  app.get(
    '/api/customer-imports',
    {
      schema: {
        tags,
        summary: 'Recent imports, newest first',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
        response: { 200: z.object({ imports: z.array(importResponse) }) },
      },
    },
    async (request) => ({ imports: await imports.list(actorOf(request), request.query.limit) }),
  );

  app.get(
    '/api/customer-imports/:id',
    {
      schema: {
        tags,
        summary: 'An import with its status and counts (poll it for progress)',
        params: idParam,
        response: { 200: importResponse },
      },
    },
    async (request) => imports.get(actorOf(request), request.params.id),
  );

  app.get(
    '/api/customer-imports/:id/preview',
    {
      schema: {
        tags,
        summary: 'The columns, first rows and suggested mapping of an uploaded file',
        params: idParam,
        response: { 200: uploadResponse },
      },
    },
    async (request) => imports.preview(actorOf(request), request.params.id),
  );

  app.post(
    '/api/customer-imports/:id/start',
    {
      schema: {
        tags,
        summary: 'Start an uploaded import (or a dry run) with a column mapping',
        params: idParam,
        body: startImportBody,
        response: { 202: importResponse },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await imports.start(actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/api/customer-imports/:id/rejects',
    {
      schema: {
        tags,
        summary: 'The rejected rows with field and reason, in row order',
        params: idParam,
        querystring: rejectsQuery,
        response: { 200: z.object({ rejects: z.array(rejectResponse), nextCursor }) },
      },
    },
    async (request) => imports.rejects(actorOf(request), request.params.id, request.query),
  );

  app.get(
    '/api/customer-imports/:id/rejects.csv',
    {
      schema: {
        tags,
        summary: 'Every rejected row as CSV (row, column, reason)',
        params: idParam,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const { fileName, stream } = await imports.rejectsCsv(actorOf(request), request.params.id);
      return sendFile(reply, { body: stream, mediaType: csvMediaType, fileName });
    },
  );

  app.get(
    '/api/customers/export.csv',
    {
      schema: {
        tags,
        summary: 'The customers a list filter matches, as CSV (columns named as the import maps them)',
        querystring: exportCustomersQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) =>
      sendFile(reply, {
        body: await exports.csv(actorOf(request), request.query),
        mediaType: csvMediaType,
        fileName: 'customers.csv',
      }),
  );

  app.get(
    '/api/customers/export.vcf',
    {
      schema: {
        tags,
        summary: 'The customers a list filter matches, as vCards 4.0',
        querystring: exportCustomersQuery,
        produces: ['text/vcard'],
      },
    },
    async (request, reply) =>
      sendFile(reply, {
        body: await exports.vcards(actorOf(request), request.query),
        mediaType: vcardMediaType,
        fileName: 'customers.vcf',
      }),
  );

  app.get(
    '/api/customers/:id/vcard',
    { schema: { tags, summary: "A customer's vCard 4.0", params: idParam, produces: ['text/vcard'] } },
    async (request, reply) => {
      const { card, fileName } = await exports.vcard(actorOf(request), request.params.id);
      return sendFile(reply, { body: card, mediaType: vcardMediaType, fileName });
    },
  );

  app.post(
    '/api/customers/import.vcf',
    {
      bodyLimit: MAX_VCARD_BYTES,
      schema: {
        tags,
        summary: 'Import vCards (3.0 or 4.0; one or many): customers matched by email are updated, others created',
        consumes: vcardTypes,
        body: vcardUploadBody,
        response: { 200: vcardImportResponse },
      },
    },
    async (request) => {
      const chunks: Buffer[] = [];
      for await (const chunk of utf8Text(rawBody(request, vcardTypes), MAX_VCARD_BYTES)) chunks.push(chunk);
      return imports.importVCards(actorOf(request), Buffer.concat(chunks).toString('utf8'));
    },
  );
};
