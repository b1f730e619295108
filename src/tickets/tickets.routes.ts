import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import {
  attachmentParams,
  attachmentUploadQuery,
  createTicketBody,
  customerMessageBody,
  linkBody,
  listTicketsQuery,
  mergeBody,
  noteBody,
  replyBody,
  splitBody,
  ticketActionBody,
  ticketAttachment,
  ticketCountsResponse,
  ticketDetailResponse,
  ticketMessageResponse,
  ticketResponse,
  ticketsPageResponse,
  updateTicketBody,
} from './tickets.schemas.js';
import { refuseOversizedUpload, uploadedFile } from './attachment-upload.js';
import type { TicketsService } from './tickets.service.js';

export const ticketsRoutes: FastifyPluginAsyncZod<{ tickets: TicketsService; attachmentMaxBytes: number }> = async (
  app,
  { tickets, attachmentMaxBytes },
) => {
  const tags = ['Tickets'];

  app.get(
    '/api/tickets',
    {
      schema: {
        tags,
        summary: 'Tickets, newest first: all, mine, my teams’ or unassigned, with filters',
        querystring: listTicketsQuery,
        response: { 200: ticketsPageResponse },
      },
    },
    async (request) => tickets.list(actorOf(request), request.query),
  );

  app.get(
    '/api/tickets/counts',
    {
      schema: {
        tags,
        summary: 'How many tickets still ask for work in each inbox view',
        response: { 200: ticketCountsResponse },
      },
    },
    async (request) => tickets.counts(actorOf(request)),
  );

  app.post(
    '/api/tickets',
    { schema: { tags, summary: 'Open a ticket', body: createTicketBody, response: { 201: ticketResponse } } },
    async (request, reply) => {
      return reply.status(201).send(await tickets.create(actorOf(request), request.body));
    },
  );

  app.get(
    '/api/tickets/:id',
    {
      schema: {
        tags,
        summary: 'A ticket with its conversation, links and the communication it is about',
        params: idParam,
        response: { 200: ticketDetailResponse },
      },
    },
    async (request) => tickets.get(actorOf(request), request.params.id),
  );

  app.patch(
    '/api/tickets/:id',
    {
      schema: {
        tags,
        summary: 'Change kind, subject, queue, assignee, priority, tags or the communication it is about',
        params: idParam,
        body: updateTicketBody,
        response: { 200: ticketResponse },
      },
    },
    async (request) => tickets.update(actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/tickets/:id/actions',
    {
      schema: {
        tags,
        summary: 'Move the ticket along its lifecycle (open, wait for customer, resolve, close, reopen)',
        params: idParam,
        body: ticketActionBody,
        response: { 200: ticketResponse },
      },
    },
    async (request) => tickets.act(actorOf(request), request.params.id, request.body.action),
  );

  app.post(
    '/api/tickets/:id/notes',
    {
      schema: {
        tags,
        summary: 'Add an internal note; mentioned staff are notified',
        params: idParam,
        body: noteBody,
        response: { 201: ticketMessageResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await tickets.addNote(actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/api/tickets/:id/replies',
    {
      schema: {
        tags,
        summary:
          "Answer the customer: the text goes out as a communication by the chosen channel, or the customer's preferred",
        params: idParam,
        body: replyBody,
        response: { 201: ticketMessageResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await tickets.reply(actorOf(request), request.params.id, request.body)),
  );

  app.register(async (uploads) => {
    // Any body is read as bytes; the service refuses a type it does not take, naming the header.
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: attachmentMaxBytes }, (_request, body, done) =>
      done(null, body),
    );
    uploads.withTypeProvider<ZodTypeProvider>().post(
      '/api/tickets/attachments',
      {
        schema: {
          tags,
          summary: `Upload a file for a reply or a note (the file as the body, with its content type; at most ${attachmentMaxBytes} bytes)`,
          querystring: attachmentUploadQuery,
          response: { 201: ticketAttachment },
        },
        preParsing: refuseOversizedUpload(attachmentMaxBytes),
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await tickets.uploadAttachment(actorOf(request), uploadedFile(request, request.query.filename))),
    );
  });

  app.get(
    '/api/tickets/:id/attachments/:sha256',
    { schema: { tags, summary: 'Download a file attached to a message of the ticket', params: attachmentParams } },
    async (request, reply) => {
      const file = await tickets.attachment(actorOf(request), request.params.id, request.params.sha256);
      return reply
        .type(file.mediaType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
        .send(file.bytes);
    },
  );

  app.post(
    '/api/tickets/:id/customer-messages',
    {
      schema: {
        tags,
        summary: 'Record what the customer said (a call, a letter); reopens a ticket waiting for them',
        params: idParam,
        body: customerMessageBody,
        response: { 201: ticketMessageResponse },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const ticket = await tickets.get(actor, request.params.id);
      const message = await tickets.addCustomerMessage(actor, request.params.id, {
        body: request.body.body,
        authorLabel: ticket.customerName,
      });
      return reply.status(201).send(message);
    },
  );

  app.post(
    '/api/tickets/:id/merge',
    {
      schema: {
        tags,
        summary: 'Merge this ticket into another of the same customer; this one is closed',
        params: idParam,
        body: mergeBody,
        response: { 200: ticketResponse },
      },
    },
    async (request) => tickets.merge(actorOf(request), request.params.id, request.body.intoTicketId),
  );

  app.post(
    '/api/tickets/:id/split',
    {
      schema: {
        tags,
        summary: 'Make one customer message of this ticket a ticket of its own',
        params: idParam,
        body: splitBody,
        response: { 201: ticketResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await tickets.split(actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/api/tickets/:id/links',
    {
      schema: {
        tags,
        summary: 'Link a further communication of the customer to the ticket',
        params: idParam,
        body: linkBody,
        response: { 200: z.object({ linked: z.boolean() }) },
      },
    },
    async (request) => tickets.link(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/tickets/:id/links',
    {
      schema: { tags, summary: 'Remove a link', params: idParam, body: linkBody, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await tickets.unlink(actorOf(request), request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/template-versions/:id/complaints',
    {
      schema: {
        tags,
        summary: 'Complaints about what a template version produced, and their rate',
        params: idParam,
        response: {
          200: z.object({
            complaints: z.number().int(),
            communications: z.number().int(),
            rate: z.number().nullable().describe('complaints / communications received; null before any'),
          }),
        },
      },
    },
    async (request) => tickets.complaintRate(actorOf(request), request.params.id),
  );
};
