import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendContent } from '../documents/document-download.js';
import { formValidatorCompiler, readForm } from '../documents/document-form.js';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import {
  fileScanBody,
  listScansQuery,
  referencedCommunicationResponse,
  referenceParams,
  scanResponse,
  scansPageResponse,
  uploadScanFields,
  uploadScanForm,
} from './scans.schemas.js';
import type { ScansService } from './scans.service.js';

export const scansRoutes: FastifyPluginAsyncZod<{ scans: ScansService; maxBytes: number }> = async (
  app,
  { scans, maxBytes },
) => {
  const tags = ['Scans'];
  await app.register(fastifyMultipart);

  app.post(
    '/api/scans',
    {
      schema: {
        tags,
        summary: `Upload a scanned answer (multipart form, its \`file\`: PDF, PNG, JPEG or TIFF, at most ${maxBytes} bytes); a job reads its reference code and files it`,
        consumes: ['multipart/form-data'],
        body: uploadScanForm,
        response: { 202: scanResponse },
      },
      validatorCompiler: formValidatorCompiler,
    },
    async (request, reply) => {
      const { file } = await readForm(request, uploadScanFields, { maxBytes, fileRequired: true });
      return reply.status(202).send(await scans.upload(actorOf(request), file!));
    },
  );

  app.get(
    '/api/scans',
    {
      schema: {
        tags,
        summary: 'Scans, newest first, with what became of each (filter unmatched: those to file by hand)',
        querystring: listScansQuery,
        response: { 200: scansPageResponse },
      },
    },
    async (request) => scans.list(actorOf(request), request.query),
  );

  app.get(
    '/api/scans/:id',
    { schema: { tags, summary: 'A scan and where it is filed', params: idParam, response: { 200: scanResponse } } },
    async (request) => scans.get(actorOf(request), request.params.id),
  );

  app.get(
    '/api/scans/:id/content',
    { schema: { tags, summary: 'The scanned file as received', params: idParam } },
    async (request, reply) =>
      sendContent(request, reply, await scans.content(actorOf(request), request.params.id), false),
  );

  app.post(
    '/api/scans/:id/file',
    {
      schema: {
        tags,
        summary: 'File an unmatched scan by hand: by its reference code, or by customer (and communication)',
        params: idParam,
        body: fileScanBody,
        response: { 202: scanResponse },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await scans.assign(actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/api/scans/references/:code',
    {
      schema: {
        tags,
        summary: 'The communication a reference code (TDG-XXXXX-XXXXX) names',
        params: referenceParams,
        response: { 200: referencedCommunicationResponse },
      },
    },
    async (request) => scans.referenced(actorOf(request), request.params.code),
  );
};
