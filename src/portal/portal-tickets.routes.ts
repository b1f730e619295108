import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { sendFile } from '../http/download.js';
import { idParam } from '../http/schemas.js';
import { refuseOversizedUpload, uploadedFile } from '../tickets/attachment-upload.js';
import { attachmentMediaTypes, attachmentParams, attachmentUploadQuery } from '../tickets/tickets.schemas.js';
import {
  openPortalTicketBody,
  portalMessageBody,
  portalPageQuery,
  portalTicketDetailResponse,
  portalTicketMessageResponse,
  portalTicketsPage,
  portalUploadResponse,
} from './portal.schemas.js';
import type { PortalService } from './portal.service.js';
import { viewerOf } from './portal-viewer.js';

/** A customer's requests and complaints in the portal: the list, the public conversation, opening, writing, files. */
export const portalTicketsRoutes: FastifyPluginAsyncZod<{ portal: PortalService; attachmentMaxBytes: number }> = async (
  app,
  { portal, attachmentMaxBytes },
) => {
  const tags = ['Portal'];

  app.get(
    '/api/portal/tickets',
    {
      schema: {
        tags,
        summary: 'My requests and complaints, newest first',
        querystring: portalPageQuery,
        response: { 200: portalTicketsPage },
      },
    },
    async (request) => portal.tickets(viewerOf(request), request.query),
  );

  app.post(
    '/api/portal/tickets',
    {
      schema: {
        tags,
        summary: 'Open a request, or a complaint about a letter or message sent to me',
        body: openPortalTicketBody,
        response: { 201: portalTicketDetailResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await portal.openTicket(viewerOf(request), request.body)),
  );

  app.get(
    '/api/portal/tickets/:id',
    {
      schema: {
        tags,
        summary: 'One of my requests or complaints with its conversation',
        params: idParam,
        response: { 200: portalTicketDetailResponse },
      },
    },
    async (request) => portal.ticket(viewerOf(request), request.params.id),
  );

  app.post(
    '/api/portal/tickets/:id/messages',
    {
      schema: {
        tags,
        summary: 'Write on my request or complaint; one resolved or waiting for me opens again',
        params: idParam,
        body: portalMessageBody,
        response: { 201: portalTicketMessageResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await portal.write(viewerOf(request), request.params.id, request.body)),
  );

  app.get(
    '/api/portal/tickets/:id/attachments/:sha256',
    { schema: { tags, summary: 'Download a file attached to my ticket’s conversation', params: attachmentParams } },
    async (request, reply) => {
      const file = await portal.attachment(viewerOf(request), request.params.id, request.params.sha256);
      return sendFile(reply, { body: file.bytes, mediaType: file.mediaType, fileName: file.filename });
    },
  );

  app.register(async (uploads) => {
    // Any body is read as bytes; the tickets service refuses a type it does not take, naming the header.
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: attachmentMaxBytes }, (_request, body, done) =>
      done(null, body),
    );
    uploads.withTypeProvider<ZodTypeProvider>().post(
      '/api/portal/attachments',
      {
        schema: {
          tags,
          summary: `Upload a file for a request or a reply (the file as the body, with its content type: ${attachmentMediaTypes.join(', ')}; at most ${attachmentMaxBytes} bytes)`,
          querystring: attachmentUploadQuery,
          response: { 201: portalUploadResponse },
        },
        preParsing: refuseOversizedUpload(attachmentMaxBytes),
      },
      async (request, reply) =>
        reply.status(201).send(await portal.upload(viewerOf(request), uploadedFile(request, request.query.filename))),
    );
  });
};
