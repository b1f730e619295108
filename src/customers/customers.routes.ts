import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { cursorParam, idParam, nextCursor } from '../http/schemas.js';
import type { ConsentService } from './consent.service.js';
import {
  consentInput,
  contactInput,
  contactPortalAccessBody,
  contactResponse,
  countCustomersQuery,
  createCustomerBody,
  customerCountResponse,
  customerResponse,
  customerSummaryResponse,
  listCustomersQuery,
  purposeSchema,
  updateCustomerBody,
  channelSchema,
} from './customers.schemas.js';
import type { CustomersService } from './customers.service.js';

const tags = ['Customers'];

const timelineEntryResponse = z
  .object({
    id: z.uuid(),
    at: z.date(),
    kind: z.string(),
    title: z.string(),
    body: z.string().nullable(),
    subjectType: z.string().nullable(),
    subjectId: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
    actorLabel: z.string().nullable(),
  })
  .describe('TimelineEntry');

const reachabilityResponse = z
  .object({
    reachable: z.boolean(),
    channel: channelSchema.optional(),
    address: z.string().optional(),
    deferUntil: z.date().nullable().optional(),
    reason: z.string(),
    considered: z.array(
      z.object({ channel: channelSchema, usable: z.boolean(), reason: z.string(), address: z.string().optional() }),
    ),
  })
  .describe('Reachability');

type Services = { customers: CustomersService; consent: ConsentService };

export const customersRoutes: FastifyPluginAsyncZod<Services> = async (app, { customers, consent }) => {
  app.get(
    '/api/customers',
    {
      schema: {
        tags,
        summary: 'List and search customers (keyset pages)',
        querystring: listCustomersQuery,
        response: { 200: z.object({ customers: z.array(customerSummaryResponse), nextCursor }) },
      },
    },
    async (request) => customers.list(actorOf(request), request.query),
  );

  app.get(
    '/api/customers/count',
    {
      schema: {
        tags,
        summary:
          'How many customers the list filters match (estimated above 10,000; a fuzzy name counts its ranked matches)',
        querystring: countCustomersQuery,
        response: { 200: customerCountResponse },
      },
    },
    async (request) => customers.count(actorOf(request), request.query),
  );

  app.post(
    '/api/customers',
    {
      schema: {
        tags,
        summary: 'Create a customer (person or organization)',
        body: createCustomerBody,
        response: { 201: customerResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await customers.create(actorOf(request), request.body)),
  );

  app.get(
    '/api/customers/:id',
    {
      schema: {
        tags,
        summary: 'A customer with contacts and current consents',
        params: idParam,
        response: { 200: customerResponse },
      },
    },
    async (request) => customers.get(actorOf(request), request.params.id),
  );

  app.patch(
    '/api/customers/:id',
    {
      schema: {
        tags,
        summary: 'Change a customer',
        params: idParam,
        body: updateCustomerBody,
        response: { 200: customerResponse },
      },
    },
    async (request) => customers.update(actorOf(request), request.params.id, request.body),
  );

  for (const [path, archived] of [
    ['archive', true],
    ['restore', false],
  ] as const) {
    app.post(
      `/api/customers/:id/${path}`,
      {
        schema: {
          tags,
          summary: archived ? 'Archive a customer' : 'Restore an archived customer',
          params: idParam,
          response: { 200: customerResponse },
        },
      },
      async (request) => customers.setArchived(actorOf(request), request.params.id, archived),
    );
  }

  app.post(
    '/api/customers/:id/contacts',
    {
      schema: {
        tags,
        summary: 'Add a contact person to an organization',
        params: idParam,
        body: contactInput,
        response: { 201: contactResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await customers.addContact(actorOf(request), request.params.id, request.body)),
  );

  app.put(
    '/api/customers/:id/contacts/:contactId/portal-access',
    {
      schema: {
        tags,
        summary: 'Set what a contact person may do in the customer portal',
        params: z.strictObject({ id: z.uuid(), contactId: z.uuid() }),
        body: contactPortalAccessBody,
        response: { 200: contactResponse },
      },
    },
    async (request) =>
      customers.setContactPortalAccess(
        actorOf(request),
        request.params.id,
        request.params.contactId,
        request.body.portalAccess,
      ),
  );

  app.delete(
    '/api/customers/:id/contacts/:contactId',
    {
      schema: {
        tags,
        summary: 'Remove a contact person',
        params: z.strictObject({ id: z.uuid(), contactId: z.uuid() }),
      },
    },
    async (request, reply) => {
      await customers.removeContact(actorOf(request), request.params.id, request.params.contactId);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/customers/:id/notes',
    {
      schema: {
        tags,
        summary: 'Add a note to the timeline',
        params: idParam,
        body: z.strictObject({ body: z.string().trim().min(1).max(10_000) }),
        response: { 201: timelineEntryResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await customers.addNote(actorOf(request), request.params.id, request.body.body)),
  );

  app.get(
    '/api/customers/:id/timeline',
    {
      schema: {
        tags,
        summary: 'Every touchpoint with the customer, newest first',
        params: idParam,
        querystring: z.strictObject({
          cursor: cursorParam,
          kind: z.string().max(50).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(25),
        }),
        response: { 200: z.object({ entries: z.array(timelineEntryResponse), nextCursor }) },
      },
    },
    async (request) => customers.timeline(actorOf(request), request.params.id, request.query),
  );

  app.post(
    '/api/customers/:id/consents',
    {
      schema: {
        tags,
        summary: 'Record a consent granted or withdrawn (appended to the ledger)',
        params: idParam,
        body: consentInput,
        response: {
          201: z.object({
            id: z.number().int(),
            channel: channelSchema,
            purpose: purposeSchema,
            granted: z.boolean(),
            source: z.string(),
            at: z.date(),
          }),
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await consent.record(actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/api/customers/:id/consents/history',
    {
      schema: {
        tags,
        summary: 'The whole consent ledger of a customer, newest first',
        params: idParam,
        response: {
          200: z.object({
            events: z.array(
              z.object({
                id: z.number().int(),
                channel: channelSchema,
                purpose: purposeSchema,
                granted: z.boolean(),
                source: z.string(),
                note: z.string().nullable(),
                recordedBy: z.string(),
                at: z.date(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ events: await consent.history(actorOf(request), request.params.id) }),
  );

  app.get(
    '/api/customers/:id/reachability',
    {
      schema: {
        tags,
        summary: 'Which channel may reach the customer for a purpose now, and why (or why not)',
        params: idParam,
        querystring: z.strictObject({ purpose: purposeSchema }),
        response: { 200: reachabilityResponse },
      },
    },
    async (request) => {
      await customers.get(actorOf(request), request.params.id);
      return consent.reachability(request.params.id, request.query.purpose);
    },
  );
};
