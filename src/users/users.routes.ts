import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { keptAnswers } from '../http/kept-answers.js';
import { idParam } from '../http/schemas.js';
import type { TeamsService } from './teams.service.js';
import type { UsersService } from './users.service.js';
import {
  createUserBody,
  listUsersQuery,
  teamBody,
  teamResponse,
  updateUserBody,
  userResponse,
  usersPage,
} from './users.schemas.js';

export const usersRoutes: FastifyPluginAsyncZod<{ users: UsersService; teams: TeamsService }> = async (
  app,
  { users, teams },
) => {
  /** A page of the staff list stays the same object until a change to any user or team is heard. */
  const sendUsersPage = keptAnswers((page: Awaited<ReturnType<UsersService['page']>>) => page);

  app.get(
    '/api/users',
    {
      schema: {
        tags: ['Users'],
        summary: 'List staff users by name, a page at a time',
        querystring: listUsersQuery,
        response: { 200: usersPage },
      },
    },
    async (request, reply) => sendUsersPage(reply, await users.page(actorOf(request), request.query)),
  );

  app.post(
    '/api/users',
    {
      schema: {
        tags: ['Users'],
        summary: 'Create a staff user',
        body: createUserBody,
        response: { 201: userResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await users.create(actorOf(request), request.body)),
  );

  app.get(
    '/api/users/:id',
    { schema: { tags: ['Users'], summary: 'Get a user', params: idParam, response: { 200: userResponse } } },
    async (request) => users.get(actorOf(request), request.params.id),
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags: ['Users'],
        summary: 'Change a user: name, roles, active, password',
        params: idParam,
        body: updateUserBody,
        response: { 200: userResponse },
      },
    },
    async (request) => users.update(actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/api/teams',
    {
      schema: {
        tags: ['Teams'],
        summary: 'List teams with their members',
        response: { 200: z.object({ teams: z.array(teamResponse) }) },
      },
    },
    async () => ({ teams: await teams.list() }),
  );

  app.post(
    '/api/teams',
    { schema: { tags: ['Teams'], summary: 'Create a team', body: teamBody, response: { 201: teamResponse } } },
    async (request, reply) => reply.status(201).send(await teams.create(actorOf(request), request.body)),
  );

  app.patch(
    '/api/teams/:id',
    {
      schema: {
        tags: ['Teams'],
        summary: 'Rename a team or set its members',
        params: idParam,
        body: teamBody.partial(),
        response: { 200: teamResponse },
      },
    },
    async (request) => teams.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/teams/:id',
    { schema: { tags: ['Teams'], summary: 'Delete a team', params: idParam } },
    async (request, reply) => {
      await teams.remove(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
};
