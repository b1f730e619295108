import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import { sendContent } from './document-download.js';
import { formValidatorCompiler, readForm } from './document-form.js';
import type { DocumentVersionsService } from './document-versions.service.js';
import {
  checkinForm,
  checkoutBody,
  contentQuery,
  documentResponse,
  documentsPageResponse,
  linksBody,
  listDocumentsQuery,
  updateDocumentBody,
  uploadedResponse,
  uploadFields,
  uploadForm,
  versionFields,
  versionForm,
  versionParams,
} from './documents.schemas.js';
import type { DocumentsService } from './documents.service.js';

export const documentsRoutes: FastifyPluginAsyncZod<{
  documents: DocumentsService;
  versions: DocumentVersionsService;
  maxBytes: number;
}> = async (app, { documents, versions, maxBytes }) => {
  const tags = ['Documents'];
  // Forms are read part by part in the handlers, the file streamed into the blob store.
  await app.register(fastifyMultipart);
  const form = { consumes: ['multipart/form-data'] };
  const limit = `at most ${maxBytes} bytes`;

  app.post(
    '/api/documents',
    {
      schema: {
        tags,
        summary: `Upload a document (multipart form: the fields, then the file, ${limit}); version 1.0`,
        ...form,
        body: uploadForm,
        response: { 201: uploadedResponse },
      },
      validatorCompiler: formValidatorCompiler,
    },
    async (request, reply) => {
      const { fields, file } = await readForm(request, uploadFields, { maxBytes, fileRequired: true });
      return reply.status(201).send(await documents.upload(actorOf(request), fields, file!));
    },
  );

  app.get(
    '/api/documents',
    {
      schema: {
        tags,
        summary: 'Active documents, most recently changed first',
        querystring: listDocumentsQuery,
        response: { 200: documentsPageResponse },
      },
    },
    async (request) => documents.list(actorOf(request), request.query),
  );

  app.get(
    '/api/documents/:id',
    {
      schema: {
        tags,
        summary: 'A document with its lock, links and versions',
        params: idParam,
        response: { 200: documentResponse },
      },
    },
    async (request) => documents.get(actorOf(request), request.params.id),
  );

  app.patch(
    '/api/documents/:id',
    {
      schema: {
        tags,
        summary: "Change a document's title, description, tags or folder",
        params: idParam,
        body: updateDocumentBody,
        response: { 200: documentResponse },
      },
    },
    async (request) => documents.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/documents/:id',
    { schema: { tags, summary: 'Delete a document (kept, out of every list)', params: idParam } },
    async (request, reply) => {
      await documents.remove(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/documents/:id/content',
    {
      schema: {
        tags,
        summary: 'The bytes of a version (the current one by default), with HTTP range requests',
        params: idParam,
        querystring: contentQuery,
      },
    },
    async (request, reply) => {
      const content = await versions.content(actorOf(request), request.params.id, request.query.version);
      return sendContent(request, reply, content, request.query.download === '1');
    },
  );

  app.post(
    '/api/documents/:id/versions',
    {
      schema: {
        tags,
        summary: `New content as the next version (multipart form: major, comment, then the file, ${limit})`,
        ...form,
        params: idParam,
        body: versionForm,
        response: { 201: documentResponse },
      },
      validatorCompiler: formValidatorCompiler,
    },
    async (request, reply) => {
      const { fields, file } = await readForm(request, versionFields, { maxBytes, fileRequired: true });
      return reply.status(201).send(await versions.add(actorOf(request), request.params.id, fields, file!));
    },
  );

  app.post(
    '/api/documents/:id/versions/:label/restore',
    {
      schema: {
        tags,
        summary: 'Restore a version: its content saved again as the next version',
        params: versionParams,
        response: { 201: documentResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await versions.restore(actorOf(request), request.params.id, request.params.label)),
  );

  app.post(
    '/api/documents/:id/checkout',
    {
      schema: {
        tags,
        summary: 'Check a document out: an exclusive lock, for a while or until check-in',
        params: idParam,
        body: checkoutBody.optional(),
        response: { 200: documentResponse },
      },
    },
    async (request) => versions.checkout(actorOf(request), request.params.id, request.body ?? {}),
  );

  app.post(
    '/api/documents/:id/checkin',
    {
      schema: {
        tags,
        summary: `Check a document in, with new content as the next version if a file comes along (${limit})`,
        ...form,
        params: idParam,
        body: checkinForm,
        response: { 200: documentResponse },
      },
      validatorCompiler: formValidatorCompiler,
    },
    async (request) => {
      const { fields, file } = await readForm(request, versionFields, { maxBytes, fileRequired: false });
      return versions.checkin(actorOf(request), request.params.id, fields, file);
    },
  );

  app.post(
    '/api/documents/:id/cancel-checkout',
    {
      schema: {
        tags,
        summary: 'Give the lock back without new content (its holder only)',
        params: idParam,
        response: { 200: documentResponse },
      },
    },
    async (request) => versions.cancelCheckout(actorOf(request), request.params.id),
  );

  app.delete(
    '/api/documents/:id/lock',
    {
      schema: {
        tags,
        summary: "Break someone's lock (records managers and admins; audited)",
        params: idParam,
        response: { 200: documentResponse },
      },
    },
    async (request) => versions.breakLock(actorOf(request), request.params.id),
  );

  app.put(
    '/api/documents/:id/links',
    {
      schema: {
        tags,
        summary: 'Set the customers, tickets and communications a document concerns',
        params: idParam,
        body: linksBody,
        response: { 200: documentResponse },
      },
    },
    async (request) => documents.setLinks(actorOf(request), request.params.id, request.body.links),
  );
};
