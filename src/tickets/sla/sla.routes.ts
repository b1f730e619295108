import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/authenticate.js';
import { idParam } from '../../http/schemas.js';
import type { SlaSettingsService } from './sla-settings.service.js';
import {
  calendarBody,
  calendarResponse,
  policyBody,
  policyResponse,
  updateCalendarBody,
  updatePolicyBody,
} from './sla.schemas.js';

/** Business calendars and SLA policies: everyone who reads tickets sees them, managers change them. */
export const slaRoutes: FastifyPluginAsyncZod<{ settings: SlaSettingsService }> = async (app, { settings }) => {
  const tags = ['SLAs'];

  app.get(
    '/api/sla/calendars',
    {
      schema: {
        tags,
        summary: 'Business calendars: working hours, time zone, holidays',
        response: { 200: z.object({ calendars: z.array(calendarResponse) }) },
      },
    },
    async (request) => ({ calendars: await settings.listCalendars(actorOf(request)) }),
  );

  app.post(
    '/api/sla/calendars',
    {
      schema: { tags, summary: 'Create a business calendar', body: calendarBody, response: { 201: calendarResponse } },
    },
    async (request, reply) => reply.status(201).send(await settings.createCalendar(actorOf(request), request.body)),
  );

  app.patch(
    '/api/sla/calendars/:id',
    {
      schema: {
        tags,
        summary: 'Change a business calendar (weekly hours and holidays are replaced whole)',
        params: idParam,
        body: updateCalendarBody,
        response: { 200: calendarResponse },
      },
    },
    async (request) => settings.updateCalendar(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/sla/calendars/:id',
    {
      schema: {
        tags,
        summary: 'Delete a calendar no policy uses and that is not the default',
        params: idParam,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await settings.deleteCalendar(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/sla/policies',
    {
      schema: {
        tags,
        summary: 'SLA policies: targets by ticket kind and priority',
        response: { 200: z.object({ policies: z.array(policyResponse) }) },
      },
    },
    async (request) => ({ policies: await settings.listPolicies(actorOf(request)) }),
  );

  app.post(
    '/api/sla/policies',
    {
      schema: {
        tags,
        summary: 'Create an SLA policy; the most specific policy applies to a ticket',
        body: policyBody,
        response: { 201: policyResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await settings.createPolicy(actorOf(request), request.body)),
  );

  app.patch(
    '/api/sla/policies/:id',
    {
      schema: {
        tags,
        summary: 'Change an SLA policy; tickets opened later, or whose kind or priority changes, follow it',
        params: idParam,
        body: updatePolicyBody,
        response: { 200: policyResponse },
      },
    },
    async (request) => settings.updatePolicy(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/sla/policies/:id',
    {
      schema: {
        tags,
        summary: 'Delete an SLA policy; tickets keep the due times it gave them',
        params: idParam,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await settings.deletePolicy(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
