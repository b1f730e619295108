import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/authenticate.js';
import type { BrandService } from './brand.service.js';
import { brandBody, brandResponse } from './templates.schemas.js';

/** The brand kit every rendering uses: company details, colours, senders and the logo. */
export const brandRoutes: FastifyPluginAsyncZod<{ brand: BrandService }> = async (app, { brand }) => {
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
    // Only an image is a logo: any other body (JSON, text) is refused as 415 before the handler.
    logoScope.removeAllContentTypeParsers();
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
        brand.setLogo(
          actorOf(request),
          // No body at all is no image either: the service refuses it like any other non-image.
          Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          String(request.headers['content-type']).split(';')[0]!,
        ),
    );
  });

  app.get('/api/brand/logo', { schema: { tags: ['Brand'], summary: 'The logo image' } }, async (_request, reply) => {
    const logo = await brand.logo();
    if (!logo)
      return reply.status(404).send({ error: 'brand.no_logo', message: 'No logo has been uploaded.', details: [] });
    return reply.type(logo.mimeType).header('cache-control', 'no-cache').send(logo.data);
  });
};
