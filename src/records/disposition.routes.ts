import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import { certificateJson, certificatePdf } from './disposition-certificate.js';
import {
  batchesPageResponse,
  batchResponse,
  certificateQuery,
  excludeBody,
  itemsPageResponse,
  listBatchesQuery,
  listItemsQuery,
} from './disposition.schemas.js';
import type { DispositionService } from './disposition.service.js';

export const dispositionRoutes: FastifyPluginAsyncZod<{ disposition: DispositionService }> = async (
  app,
  { disposition },
) => {
  const tags = ['Records'];

  app.get(
    '/api/disposition-batches',
    {
      schema: {
        tags,
        summary: 'Disposition batches, newest first',
        querystring: listBatchesQuery,
        response: { 200: batchesPageResponse },
      },
    },
    async (request) => disposition.list(actorOf(request), request.query),
  );

  app.post(
    '/api/disposition-batches',
    {
      schema: {
        tags,
        summary: 'List the records due for disposition now (the daily job does this too); 204 when none is due',
        response: { 201: batchResponse, 204: z.null() },
      },
    },
    async (request, reply) => {
      const batch = await disposition.listDue(actorOf(request));
      return batch ? reply.status(201).send(batch) : reply.status(204).send(null);
    },
  );

  app.get(
    '/api/disposition-batches/:id',
    {
      schema: {
        tags,
        summary: 'A disposition batch with its counts',
        params: idParam,
        response: { 200: batchResponse },
      },
    },
    async (request) => disposition.get(actorOf(request), request.params.id),
  );

  app.get(
    '/api/disposition-batches/:id/items',
    {
      schema: {
        tags,
        summary: 'The records a batch lists, with what became of each',
        params: idParam,
        querystring: listItemsQuery,
        response: { 200: itemsPageResponse },
      },
    },
    async (request) => disposition.items(actorOf(request), request.params.id, request.query),
  );

  app.post(
    '/api/disposition-batches/:id/exclude',
    {
      schema: {
        tags,
        summary: 'Keep one listed record out of this disposition, with the reason',
        params: idParam,
        body: excludeBody,
        response: { 200: batchResponse },
      },
    },
    async (request) => disposition.exclude(actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/disposition-batches/:id/approve',
    {
      schema: {
        tags,
        summary: 'Approve: destroy the content of every record still listed that no hold covers',
        params: idParam,
        response: { 200: batchResponse },
      },
    },
    async (request) => disposition.approve(actorOf(request), request.params.id),
  );

  app.get(
    '/api/disposition-batches/:id/certificate',
    {
      schema: {
        tags,
        summary: 'The disposition certificate of an approved batch, as JSON or PDF',
        params: idParam,
        querystring: certificateQuery,
      },
    },
    async (request, reply) => {
      const certificate = await disposition.certificate(actorOf(request), request.params.id);
      const name = `disposition-certificate-${certificate.batch.number}`;
      if (request.query.format === 'pdf')
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="${name}.pdf"`)
          .send(certificatePdf(certificate));
      const json = certificateJson(certificate);
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}.json"`)
        .header('x-certificate-sha256', json.sha256)
        .send(json.text);
    },
  );
};
