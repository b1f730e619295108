import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import type { CommentsService } from './comments.service.js';
import { placePath } from './compliance.js';
import {
  createTemplateBody,
  draftPreviewBody,
  previewBody,
  previewResponse,
  templateResponse,
  versionBody,
  versionResponse,
  versionSummary,
  workflowBody,
} from './templates.schemas.js';
import type { TemplatePreviewService } from './template-preview.service.js';
import type { TemplatesService } from './templates.service.js';
import { templatePurposes, versionStatuses } from './templates.tables.js';

const tags = ['Templates'];
const templateParam = z.strictObject({ template: z.string().min(1).max(64).describe('Template id or key') });
const versionParam = templateParam.extend({ number: z.coerce.number().int().positive() });

const failureDetail = z.object({ path: z.string(), message: z.string() });

type Services = { templates: TemplatesService; previews: TemplatePreviewService; comments: CommentsService };

export const templatesRoutes: FastifyPluginAsyncZod<Services> = async (app, { templates, previews, comments }) => {
  app.get(
    '/api/templates',
    {
      schema: {
        tags,
        summary: 'The template library with the status of each template’s latest and published version',
        querystring: z.strictObject({
          purpose: z.enum(templatePurposes).optional(),
          status: z.enum(versionStatuses).optional(),
          q: z.string().max(100).optional(),
        }),
        response: {
          200: z.object({
            templates: z.array(
              templateResponse.extend({ latest: versionSummary.nullable(), published: versionSummary.nullable() }),
            ),
          }),
        },
      },
    },
    async (request) => ({ templates: await templates.list(actorOf(request), request.query) }),
  );

  app.post(
    '/api/templates',
    {
      schema: {
        tags,
        summary: 'Create a template with its first draft version',
        body: createTemplateBody,
        response: { 201: z.object({ template: templateResponse, version: versionResponse }) },
      },
    },
    async (request, reply) => reply.status(201).send(await templates.create(actorOf(request), request.body)),
  );

  app.get(
    '/api/templates/:template',
    {
      schema: {
        tags,
        summary: 'A template with all its versions',
        params: templateParam,
        response: { 200: templateResponse.extend({ versions: z.array(versionSummary) }) },
      },
    },
    async (request) => templates.get(actorOf(request), request.params.template),
  );

  app.patch(
    '/api/templates/:template',
    {
      schema: {
        tags,
        summary: 'Rename or describe a template',
        params: templateParam,
        body: z.strictObject({
          name: z.string().trim().min(1).max(200).optional(),
          description: z.string().max(2000).optional(),
        }),
        response: { 200: templateResponse },
      },
    },
    async (request) => templates.update(actorOf(request), request.params.template, request.body),
  );

  app.post(
    '/api/templates/:template/versions',
    {
      schema: {
        tags,
        summary: 'Save a new draft version',
        params: templateParam,
        body: versionBody,
        response: { 201: versionResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await templates.saveVersion(actorOf(request), request.params.template, request.body)),
  );

  app.get(
    '/api/templates/:template/versions/:number',
    {
      schema: {
        tags,
        summary: 'One version with its bodies',
        params: versionParam,
        response: { 200: versionResponse },
      },
    },
    async (request) => templates.getVersion(actorOf(request), request.params.template, request.params.number),
  );

  app.post(
    '/api/templates/:template/versions/:number/workflow',
    {
      schema: {
        tags,
        summary: 'Submit, request changes, approve, publish or retire a version',
        description:
          'Submitting runs the compliance rules; a failure is a 422 listing each broken rule with its place. The author of a version cannot approve it.',
        params: versionParam,
        body: workflowBody,
        response: { 200: versionResponse },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const version = await templates.act(actor, request.params.template, request.params.number, request.body.action);
      if (request.body.comment)
        await comments.add(actor, { type: 'template_version', versionId: version.id }, { body: request.body.comment });
      return version;
    },
  );

  app.get(
    '/api/templates/:template/versions/:number/compliance',
    {
      schema: {
        tags,
        summary: 'Check a version against the compliance rules of its purpose',
        params: versionParam,
        response: { 200: z.object({ failures: z.array(failureDetail.extend({ rule: z.string() })) }) },
      },
    },
    async (request) => {
      const failures = await templates.checkVersion(actorOf(request), request.params.template, request.params.number);
      return { failures: failures.map((f) => ({ rule: f.rule, message: f.message, path: placePath(f.place) })) };
    },
  );

  app.get(
    '/api/templates/:template/diff',
    {
      schema: {
        tags,
        summary: 'Line differences between two versions, per language, channel and field',
        params: templateParam,
        querystring: z.strictObject({
          from: z.coerce.number().int().positive(),
          to: z.coerce.number().int().positive(),
        }),
        response: {
          200: z.object({
            fields: z.array(
              z.object({
                field: z.string(),
                changes: z.array(z.object({ value: z.string(), added: z.boolean(), removed: z.boolean() })),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      fields: await templates.diff(actorOf(request), request.params.template, request.query.from, request.query.to),
    }),
  );

  app.post(
    '/api/templates/:template/versions/:number/preview',
    {
      schema: {
        tags,
        summary: 'Render a version on every channel for a customer or the sample set',
        params: versionParam,
        body: previewBody,
        response: { 200: previewResponse },
      },
    },
    async (request) => ({
      previews: await previews.version(actorOf(request), request.params.template, request.params.number, request.body),
    }),
  );

  app.post(
    '/api/template-previews',
    {
      schema: {
        tags,
        summary: 'Render unsaved editor content on every channel (live preview)',
        body: draftPreviewBody,
        response: { 200: previewResponse },
      },
    },
    async (request) => ({ previews: await previews.draft(actorOf(request), request.body) }),
  );
};
