import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import type { BrandService } from './brand.service.js';
import type { CommentsService } from './comments.service.js';
import type { ComplianceService } from './compliance.service.js';
import type { FragmentsService } from './fragments.service.js';
import { brandBody, commentBody, fragmentBody, ruleBody, rulePatchBody } from './templates.schemas.js';
import type { TemplatesService } from './templates.service.js';
import { complianceRuleKinds, fragmentKinds, templatePurposes, versionStatuses } from './templates.tables.js';
import { workflowActions } from './workflow.js';

const fragmentParam = z.strictObject({ fragment: z.string().min(1).max(64).describe('Fragment id or key') });
const fragmentVersionParam = fragmentParam.extend({ number: z.coerce.number().int().positive() });
const templateVersionParam = z.strictObject({
  template: z.string().min(1).max(64),
  number: z.coerce.number().int().positive(),
});

const fragmentVersion = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    status: z.enum(versionStatuses),
    body: z.string(),
    changeNote: z.string(),
    createdBy: z.string(),
    createdAt: z.date(),
    decidedBy: z.string().nullable(),
    publishedAt: z.date().nullable(),
  })
  .describe('FragmentVersion');
const fragmentResponse = z
  .object({ id: z.uuid(), key: z.string(), name: z.string(), kind: z.enum(fragmentKinds), createdAt: z.date() })
  .describe('Fragment');
const commentResponse = z
  .object({
    id: z.uuid(),
    parentId: z.uuid().nullable(),
    anchor: z.string().nullable(),
    body: z.string(),
    author: z.string(),
    createdAt: z.date(),
    resolvedAt: z.date().nullable(),
    resolvedBy: z.string().nullable(),
  })
  .describe('Comment');
const ruleResponse = z
  .object({
    id: z.uuid(),
    purpose: z.enum(templatePurposes).nullable(),
    kind: z.enum(complianceRuleKinds),
    params: z.record(z.string(), z.unknown()),
    description: z.string(),
    enabled: z.boolean(),
  })
  .describe('ComplianceRule');
const brandResponse = z
  .object(brandBody.shape)
  .extend({ logoSha256: z.string().nullable(), updatedAt: z.date() })
  .describe('BrandKit');

type Services = {
  templates: TemplatesService;
  fragments: FragmentsService;
  comments: CommentsService;
  brand: BrandService;
  compliance: ComplianceService;
};

export const studioRoutes: FastifyPluginAsyncZod<Services> = async (
  app,
  { templates, fragments, comments, brand, compliance },
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

  app.get(
    '/api/fragments',
    {
      schema: {
        tags: ['Fragments'],
        summary: 'The fragment library',
        response: {
          200: z.object({
            fragments: z.array(
              fragmentResponse.extend({ latest: fragmentVersion.nullable(), published: fragmentVersion.nullable() }),
            ),
          }),
        },
      },
    },
    async (request) => ({ fragments: await fragments.list(actorOf(request)) }),
  );

  app.post(
    '/api/fragments',
    {
      schema: {
        tags: ['Fragments'],
        summary: 'Create a fragment with its first draft',
        body: fragmentBody,
        response: { 201: fragmentResponse.extend({ versions: z.array(fragmentVersion) }) },
      },
    },
    async (request, reply) => reply.status(201).send(await fragments.create(actorOf(request), request.body)),
  );

  app.get(
    '/api/fragments/:fragment',
    {
      schema: {
        tags: ['Fragments'],
        summary: 'A fragment with its versions',
        params: fragmentParam,
        response: { 200: fragmentResponse.extend({ versions: z.array(fragmentVersion) }) },
      },
    },
    async (request) => fragments.get(actorOf(request), request.params.fragment),
  );

  app.post(
    '/api/fragments/:fragment/versions',
    {
      schema: {
        tags: ['Fragments'],
        summary: 'Save a new draft of a fragment',
        params: fragmentParam,
        body: z.strictObject({ body: z.string().max(100_000), changeNote: z.string().max(1000).optional() }),
        response: { 201: fragmentVersion },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await fragments.saveVersion(actorOf(request), request.params.fragment, request.body)),
  );

  app.post(
    '/api/fragments/:fragment/versions/:number/workflow',
    {
      schema: {
        tags: ['Fragments'],
        summary: 'Move a fragment version through review',
        params: fragmentVersionParam,
        body: z.strictObject({ action: z.enum(workflowActions) }),
        response: { 200: fragmentVersion },
      },
    },
    async (request) =>
      fragments.act(actorOf(request), request.params.fragment, request.params.number, request.body.action),
  );

  app.get(
    '/api/brand',
    { schema: { tags: ['Brand'], summary: 'The brand kit', response: { 200: brandResponse } } },
    async () => brand.get(),
  );

  app.put(
    '/api/brand',
    { schema: { tags: ['Brand'], summary: 'Change the brand kit', body: brandBody, response: { 200: brandResponse } } },
    async (request) => brand.update(actorOf(request), request.body),
  );

  app.register(async (logoScope) => {
    logoScope.addContentTypeParser(
      ['image/png', 'image/jpeg'],
      { parseAs: 'buffer', bodyLimit: 2_097_152 },
      (_request, body, done) => done(null, body),
    );
    logoScope.put(
      '/api/brand/logo',
      {
        schema: {
          tags: ['Brand'],
          summary: 'Upload the logo (PNG or JPEG body, at most 2 MB)',
          response: { 200: brandResponse },
        },
      },
      async (request) =>
        brand.setLogo(actorOf(request), request.body as Buffer, String(request.headers['content-type']).split(';')[0]!),
    );
  });

  app.get('/api/brand/logo', { schema: { tags: ['Brand'], summary: 'The logo image' } }, async (_request, reply) => {
    const logo = await brand.logo();
    if (!logo)
      return reply.status(404).send({ error: 'brand.no_logo', message: 'No logo has been uploaded.', details: [] });
    return reply.type(logo.mimeType).header('cache-control', 'no-cache').send(logo.data);
  });

  app.get(
    '/api/compliance-rules',
    {
      schema: {
        tags: ['Compliance'],
        summary: 'Compliance rules per purpose',
        response: { 200: z.object({ rules: z.array(ruleResponse) }) },
      },
    },
    async (request) => ({
      rules: await compliance.list(actorOf(request)),
    }),
  );

  app.post(
    '/api/compliance-rules',
    {
      schema: { tags: ['Compliance'], summary: 'Add a rule (admin)', body: ruleBody, response: { 201: ruleResponse } },
    },
    async (request, reply) => reply.status(201).send(await compliance.create(actorOf(request), request.body)),
  );

  app.patch(
    '/api/compliance-rules/:id',
    {
      schema: {
        tags: ['Compliance'],
        summary: 'Change or disable a rule (admin)',
        params: idParam,
        body: rulePatchBody,
        response: { 200: ruleResponse },
      },
    },
    async (request) => compliance.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/compliance-rules/:id',
    { schema: { tags: ['Compliance'], summary: 'Delete a rule (admin)', params: idParam } },
    async (request, reply) => {
      await compliance.remove(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
};
