import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/authenticate.js';
import { idParam } from '../../http/schemas.js';
import {
  channelShiftDetailResponse,
  channelShiftPlanQuery,
  channelShiftPlanResponse,
  channelShiftsQuery,
  channelShiftsResponse,
  startChannelShiftBody,
} from './channel-shift.schemas.js';
import type { ChannelShiftService } from './channel-shift.service.js';

export const channelShiftRoutes: FastifyPluginAsyncZod<{ channelShifts: ChannelShiftService }> = async (
  app,
  { channelShifts },
) => {
  const tags = ['Insights'];

  app.get(
    '/api/channel-shifts/plan',
    {
      schema: {
        tags,
        summary:
          "What moving a segment's letter and fax customers to email or the portal saves a year at today's rates",
        querystring: channelShiftPlanQuery,
        response: { 200: channelShiftPlanResponse },
      },
    },
    async (request) => channelShifts.plan(actorOf(request), request.query.segmentId, request.query.target),
  );

  app.get(
    '/api/channel-shifts',
    {
      schema: {
        tags,
        summary: 'Channel shifts started, newest first',
        querystring: channelShiftsQuery,
        response: { 200: channelShiftsResponse },
      },
    },
    async (request) => channelShifts.list(actorOf(request), request.query),
  );

  app.post(
    '/api/channel-shifts',
    {
      schema: {
        tags,
        summary: 'Start a channel shift: the plan, and a draft announcement with the consent request to its customers',
        body: startChannelShiftBody,
        response: { 201: channelShiftDetailResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await channelShifts.start(actorOf(request), request.body)),
  );

  app.get(
    '/api/channel-shifts/:id',
    {
      schema: {
        tags,
        summary: 'A channel shift: its plan, customers moved since and the realised saving against the plan',
        params: idParam,
        response: { 200: channelShiftDetailResponse },
      },
    },
    async (request) => channelShifts.get(actorOf(request), request.params.id),
  );
};
