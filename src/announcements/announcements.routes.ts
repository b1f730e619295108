import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import {
  announcementDetailResponse,
  announcementReachResponse,
  announcementsQuery,
  announcementsResponse,
  createAnnouncementBody,
  pendingAnnouncementsResponse,
  updateAnnouncementBody,
} from './announcements.schemas.js';
import type { AnnouncementsService } from './announcements.service.js';

export const announcementsRoutes: FastifyPluginAsyncZod<{ announcements: AnnouncementsService }> = async (
  app,
  { announcements },
) => {
  const tags = ['Announcements'];

  app.get(
    '/api/announcements',
    {
      schema: {
        tags,
        summary: 'Announcements, newest first, with how many were told and how many acknowledged',
        querystring: announcementsQuery,
        response: { 200: announcementsResponse },
      },
    },
    async (request) => announcements.list(actorOf(request), request.query),
  );

  app.get(
    '/api/announcements/pending',
    {
      schema: {
        tags,
        summary: 'Published announcements the signed-in person has not acknowledged yet',
        response: { 200: pendingAnnouncementsResponse },
      },
    },
    async (request) => announcements.pending(actorOf(request)),
  );

  app.post(
    '/api/announcements',
    {
      schema: {
        tags,
        summary: 'Draft an announcement to staff teams, optionally with a customer mailing',
        body: createAnnouncementBody,
        response: { 201: announcementDetailResponse },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const created = await announcements.create(actor, request.body);
      return reply.status(201).send(await announcements.get(actor, created.id));
    },
  );

  app.get(
    '/api/announcements/:id',
    {
      schema: {
        tags,
        summary: 'An announcement, and whether the signed-in person acknowledged it',
        params: idParam,
        response: { 200: announcementDetailResponse },
      },
    },
    async (request) => announcements.get(actorOf(request), request.params.id),
  );

  app.get(
    '/api/announcements/:id/reach',
    {
      schema: {
        tags,
        summary: 'Reach of both halves: staff told and acknowledged, customers sent, delivered and failed',
        params: idParam,
        response: { 200: announcementReachResponse },
      },
    },
    async (request) => announcements.reach(actorOf(request), request.params.id),
  );

  app.patch(
    '/api/announcements/:id',
    {
      schema: {
        tags,
        summary: 'Edit a draft: the fields given change, the rest stay; a published or closed one is refused',
        params: idParam,
        body: updateAnnouncementBody,
        response: { 200: announcementDetailResponse },
      },
    },
    async (request) => announcements.update(actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/announcements/:id/publish',
    {
      schema: {
        tags,
        summary: 'Publish: its staff are told (and reminded until they acknowledge) and its customer mailing starts',
        params: idParam,
        response: { 200: announcementDetailResponse },
      },
    },
    async (request) => announcements.publish(actorOf(request), request.params.id),
  );

  app.post(
    '/api/announcements/:id/close',
    {
      schema: {
        tags,
        summary: 'Close: no longer shown to staff, no more reminders',
        params: idParam,
        response: { 200: announcementDetailResponse },
      },
    },
    async (request) => announcements.close(actorOf(request), request.params.id),
  );

  app.post(
    '/api/announcements/:id/acknowledge',
    {
      schema: {
        tags,
        summary: 'The signed-in person acknowledges the announcement (the first time counts)',
        params: idParam,
        response: { 200: announcementDetailResponse },
      },
    },
    async (request) => announcements.acknowledge(actorOf(request), request.params.id),
  );
};
