import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import type { QueuesService } from './queues.service.js';
import {
  availabilityBody,
  createTicketBody,
  customerMessageBody,
  linkBody,
  listTicketsQuery,
  mergeBody,
  noteBody,
  queueBody,
  queueResponse,
  splitBody,
  ticketActionBody,
  ticketCountsResponse,
  ticketDetailResponse,
  ticketMessageResponse,
  ticketResponse,
  ticketsPageResponse,
  updateQueueBody,
  updateTicketBody,
} from './tickets.schemas.js';
import type { TicketsService } from './tickets.service.js';

export const ticketsRoutes: FastifyPluginAsyncZod<{ tickets: TicketsService; queues: QueuesService }> = async (
  app,
  { tickets, queues },
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

  const queueTags = ['Ticket queues'];

  app.get(
    '/api/ticket-queues',
    { schema: { tags: queueTags, summary: 'Queues', response: { 200: z.object({ queues: z.array(queueResponse) }) } } },
    async (request) => ({ queues: await queues.list(actorOf(request)) }),
  );

  app.post(
    '/api/ticket-queues',
    { schema: { tags: queueTags, summary: 'Create a queue', body: queueBody, response: { 201: queueResponse } } },
    async (request, reply) => reply.status(201).send(await queues.create(actorOf(request), request.body)),
  );

  app.patch(
    '/api/ticket-queues/:id',
    {
      schema: {
        tags: queueTags,
        summary: 'Change a queue',
        params: idParam,
        body: updateQueueBody,
        response: { 200: queueResponse },
      },
    },
    async (request) => queues.update(actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/api/me/availability',
    {
      schema: {
        tags: queueTags,
        summary: 'Whether I take round-robin tickets now',
        response: { 200: availabilityBody },
      },
    },
    async (request) => queues.availability(actorOf(request)),
  );

  app.put(
    '/api/me/availability',
    {
      schema: {
        tags: queueTags,
        summary: 'Say I am available or away for round-robin tickets',
        body: availabilityBody,
        response: { 200: availabilityBody },
      },
    },
    async (request) => queues.setAvailability(actorOf(request), request.body.available),
  );
};
