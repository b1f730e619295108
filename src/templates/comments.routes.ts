import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import type { CommentsService } from './comments.service.js';
import { commentBody, commentResponse } from './templates.schemas.js';
import type { TemplatesService } from './templates.service.js';

const templateVersionParam = z.strictObject({
  template: z.string().min(1).max(64),
  number: z.coerce.number().int().positive(),
});

/** Review comments on template versions, threaded, and resolving them. */
export const commentsRoutes: FastifyPluginAsyncZod<{ templates: TemplatesService; comments: CommentsService }> = async (
  app,
  { templates, comments },
) => {
  app.get(
    '/api/templates/:template/versions/:number/comments',
    {
      schema: {
        tags: ['Templates'],
        summary: 'Review comments on a version, threaded',
        params: templateVersionParam,
        response: {
          200: z.object({ comments: z.array(commentResponse.extend({ replies: z.array(commentResponse) })) }),
        },
      },
    },
    async (request) => {
      const version = await templates.getVersion(actorOf(request), request.params.template, request.params.number);
      return { comments: await comments.list(actorOf(request), { type: 'template_version', versionId: version.id }) };
    },
  );

  app.post(
    '/api/templates/:template/versions/:number/comments',
    {
      schema: {
        tags: ['Templates'],
        summary: 'Comment on a version, or reply to a comment',
        params: templateVersionParam,
        body: commentBody,
        response: { 201: commentResponse },
      },
    },
    async (request, reply) => {
      const version = await templates.getVersion(actorOf(request), request.params.template, request.params.number);
      return reply
        .status(201)
        .send(await comments.add(actorOf(request), { type: 'template_version', versionId: version.id }, request.body));
    },
  );

  app.patch(
    '/api/comments/:id',
    {
      schema: {
        tags: ['Templates'],
        summary: 'Resolve or reopen a comment',
        params: idParam,
        body: z.strictObject({ resolved: z.boolean() }),
        response: { 200: commentResponse },
      },
    },
    async (request) => comments.setResolved(actorOf(request), request.params.id, request.body.resolved),
  );
};
