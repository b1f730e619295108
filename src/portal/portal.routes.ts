import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendFile } from '../http/download.js';
import { idParam } from '../http/schemas.js';
import { AppError } from '../shared/errors.js';
import {
  portalBrandResponse,
  portalCommunicationResponse,
  portalConsentBody,
  portalConsentParams,
  portalCopyQuery,
  portalInboxPage,
  portalPageQuery,
  portalPreferencesBody,
  portalProfileBody,
  portalProfileResponse,
} from './portal.schemas.js';
import type { PortalService } from './portal.service.js';
import { viewerOf } from './portal-viewer.js';

/**
 * The portal's brand, correspondence and settings over HTTP. Every route under /api/portal needs a
 * portal session (not a staff one) unless it says `public`; the viewer comes from that session.
 */
export const portalRoutes: FastifyPluginAsyncZod<{ portal: PortalService }> = async (app, { portal }) => {
  const tags = ['Portal'];

  app.get(
    '/api/portal/brand',
    {
      config: { public: true },
      schema: {
        tags,
        summary: "The brand's name, colours and logo, for the portal layout",
        response: { 200: portalBrandResponse },
      },
    },
    async () => portal.brand(),
  );

  app.get(
    '/api/portal/brand/logo',
    { config: { public: true }, schema: { tags, summary: "The brand's logo image" } },
    async (_request, reply) => {
      const logo = await portal.logo();
      if (!logo) throw new AppError('not_found', 'brand.no_logo', 'No logo has been uploaded.');
      return reply.type(logo.mimeType).header('cache-control', 'no-cache').send(logo.data);
    },
  );

  app.get(
    '/api/portal/inbox',
    {
      schema: {
        tags,
        summary: 'Everything sent to me on any channel, newest first',
        querystring: portalPageQuery,
        response: { 200: portalInboxPage },
      },
    },
    async (request) => portal.inbox(viewerOf(request), request.query),
  );

  app.get(
    '/api/portal/communications/:id',
    {
      schema: {
        tags,
        summary: 'One communication sent to me, read from its archived copy',
        params: idParam,
        response: { 200: portalCommunicationResponse },
      },
    },
    async (request) => portal.communication(viewerOf(request), request.params.id),
  );

  app.get(
    '/api/portal/communications/:id/copy',
    {
      schema: {
        tags,
        summary: 'The archived copy as sent: shown in the page, or with download=1 as a file to save',
        params: idParam,
        querystring: portalCopyQuery,
      },
    },
    async (request, reply) => {
      const copy = await portal.copy(viewerOf(request), request.params.id);
      return sendFile(reply, {
        body: copy.bytes,
        mediaType: copy.mediaType,
        fileName: copy.fileName,
        disposition: request.query.download === '1' ? 'attachment' : 'inline',
      });
    },
  );

  app.get(
    '/api/portal/profile',
    {
      schema: {
        tags,
        summary: 'My contact details, channel preferences, quiet hours and consents',
        response: { 200: portalProfileResponse },
      },
    },
    async (request) => portal.profile(viewerOf(request)),
  );

  app.patch(
    '/api/portal/profile',
    {
      schema: {
        tags,
        summary: 'Change the contact details I may (the profile lists them as editable)',
        body: portalProfileBody,
        response: { 200: portalProfileResponse },
      },
    },
    async (request) => portal.updateProfile(viewerOf(request), request.body),
  );

  app.put(
    '/api/portal/preferences',
    {
      schema: {
        tags,
        summary: 'Set the channels I prefer, in order, and my quiet hours',
        body: portalPreferencesBody,
        response: { 200: portalProfileResponse },
      },
    },
    async (request) => portal.setPreferences(viewerOf(request), request.body),
  );

  app.put(
    '/api/portal/consents/:channel/:purpose',
    {
      schema: {
        tags,
        summary: 'Grant or withdraw my consent for a channel and purpose',
        params: portalConsentParams,
        body: portalConsentBody,
        response: { 200: portalProfileResponse },
      },
    },
    async (request) =>
      portal.setConsent(viewerOf(request), request.params.channel, request.params.purpose, request.body.granted),
  );
};
