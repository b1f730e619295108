import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import {
  categoryResponse,
  createCategoryBody,
  declareBody,
  documentRecordResponse,
  eventDateBody,
  listRecordsQuery,
  recordsPageResponse,
  updateCategoryBody,
} from './records.schemas.js';
import type { RecordsService } from './records.service.js';

export const recordsRoutes: FastifyPluginAsyncZod<{ records: RecordsService }> = async (app, { records }) => {
  const tags = ['Records'];

  app.get(
    '/api/record-categories',
    {
      schema: {
        tags,
        summary: 'Record categories and their retention rules, the built-in one for communications first',
        response: { 200: z.object({ categories: z.array(categoryResponse) }) },
      },
    },
    async (request) => records.listCategories(actorOf(request)),
  );

  app.post(
    '/api/record-categories',
    {
      schema: { tags, summary: 'Add a record category', body: createCategoryBody, response: { 201: categoryResponse } },
    },
    async (request, reply) => reply.status(201).send(await records.createCategory(actorOf(request), request.body)),
  );

  app.patch(
    '/api/record-categories/:id',
    {
      schema: {
        tags,
        summary: "Change a category's name or retention rule; its records' retention ends are recomputed",
        params: idParam,
        body: updateCategoryBody,
        response: { 200: categoryResponse },
      },
    },
    async (request) => records.updateCategory(actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/api/records',
    {
      schema: {
        tags,
        summary: "A category's records, newest first (for the built-in category: archived communications)",
        querystring: listRecordsQuery,
        response: { 200: recordsPageResponse },
      },
    },
    async (request) => records.listRecords(actorOf(request), request.query),
  );

  app.get(
    '/api/documents/:id/record',
    {
      schema: {
        tags,
        summary: "A document's record status, retention and the holds covering it",
        params: idParam,
        response: { 200: documentRecordResponse },
      },
    },
    async (request) => records.statusOf(actorOf(request), request.params.id),
  );

  app.post(
    '/api/documents/:id/record',
    {
      schema: {
        tags,
        summary: 'Declare a document a record under a category: its content and metadata no longer change',
        params: idParam,
        body: declareBody,
        response: { 200: documentRecordResponse },
      },
    },
    async (request) => records.declare(actorOf(request), request.params.id, request.body),
  );

  app.patch(
    '/api/documents/:id/record',
    {
      schema: {
        tags,
        summary: "Set the event a record's retention counts from (e.g. the contract's end)",
        params: idParam,
        body: eventDateBody,
        response: { 200: documentRecordResponse },
      },
    },
    async (request) => records.setEventDate(actorOf(request), request.params.id, request.body.eventDate),
  );
};
