import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import type { App } from '../app.js';
import { auditRoutes } from '../audit/audit.routes.js';
import { authRoutes } from '../auth/auth.routes.js';
import { communicationsRoutes } from '../communications/communications.routes.js';
import { runsRoutes } from '../communications/runs.routes.js';
import { customersRoutes } from '../customers/customers.routes.js';
import { duplicatesRoutes } from '../customers/duplicates.routes.js';
import { documentFoldersRoutes } from '../documents/document-folders.routes.js';
import { documentAccessRoutes } from '../documents/access/access.routes.js';
import { documentsRoutes } from '../documents/documents.routes.js';
import { versionCompareRoutes } from '../documents/version-compare.routes.js';
import { searchRoutes } from '../search/search.routes.js';
import { documentTypesRoutes } from '../documents/document-types.routes.js';
import { documentReviewRoutes } from '../documents/review/review.routes.js';
import { legalHoldsRoutes } from '../records/legal-holds.routes.js';
import { dispositionRoutes } from '../records/disposition.routes.js';
import { ediscoveryRoutes } from '../records/ediscovery.routes.js';
import { recordsRoutes } from '../records/records.routes.js';
import { segmentsRoutes } from '../customers/segments.routes.js';
import { customerImportsRoutes } from '../customers/import/imports.routes.js';
import { jobsRoutes } from '../jobs/jobs.routes.js';
import { inboundRoutes } from '../inbound/inbound.routes.js';
import { scansRoutes } from '../scans/scans.routes.js';
import { helpCentreRoutes } from '../knowledge/help-centre.routes.js';
import { portalRoutes } from '../portal/portal.routes.js';
import { portalTicketsRoutes } from '../portal/portal-tickets.routes.js';
import { knowledgeRoutes } from '../knowledge/knowledge.routes.js';
import { brandRoutes } from '../templates/brand.routes.js';
import { commentsRoutes } from '../templates/comments.routes.js';
import { complianceRoutes } from '../templates/compliance.routes.js';
import { fragmentsRoutes } from '../templates/fragments.routes.js';
import { templatesRoutes } from '../templates/templates.routes.js';
import { notificationsRoutes } from '../notifications/notifications.routes.js';
import { insightsRoutes } from '../insights/insights.routes.js';
import { roiRoutes } from '../insights/roi/roi.routes.js';
import { recordCommentsRoutes } from '../comments/comments.routes.js';
import { notificationSettingsRoutes } from '../notifications/notification-settings.routes.js';
import { suggestionsRoutes } from '../suggestions/suggestions.routes.js';
import { announcementsRoutes } from '../announcements/announcements.routes.js';
import { channelShiftRoutes } from '../insights/channel-shift/channel-shift.routes.js';
import { portalAuthRoutes } from '../portal/portal-auth.routes.js';
import { unsubscribeRoutes } from '../portal/unsubscribe.routes.js';
import { slaRoutes } from '../tickets/sla/sla.routes.js';
import { cannedResponsesRoutes } from '../tickets/canned-responses.routes.js';
import { queuesRoutes } from '../tickets/queues.routes.js';
import { ticketsRoutes } from '../tickets/tickets.routes.js';
import { usersRoutes } from '../users/users.routes.js';
import { webdavRoutes } from '../webdav/webdav.routes.js';
import { apiReferenceRoutes, docsPrefix } from './api-reference.js';
import { installAuthentication } from './authenticate.js';
import { installErrorHandler } from './error-handler.js';
import { installSecurityHeaders } from './security-headers.js';
import { installInputChecks } from './input-text.js';
import { responseSerializerCompiler } from './response-serializer.js';
import { systemRoutes } from './system.routes.js';

/**
 * One flat line per request, written when the response has gone. Fastify's own are two lines, one on
 * arrival and one at the end, each serializing the whole request or reply object.
 */
class RequestLog extends LogController {
  override incomingRequest() {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    const line = {
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request');
  }
}

const serverCode = path.dirname(fileURLToPath(import.meta.url));
/** The web app's build: beside dist/ for the bundled server (scripts/server-bundle.ts), two up from src/http/. */
export const webDist = path.resolve(serverCode, path.basename(serverCode) === 'dist' ? '..' : '../..', 'web/dist');

/** The HTTP surface over a built app: routes translate HTTP to service calls and nothing more. */
export async function createHttpServer(app: App): Promise<FastifyInstance> {
  const server = Fastify({
    loggerInstance: app.logger as FastifyBaseLogger,
    logController: new RequestLog(),
    bodyLimit: app.config.bodyLimitBytes,
    trustProxy: app.config.trustProxy,
  });
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(responseSerializerCompiler);
  installErrorHandler(server);
  installSecurityHeaders(server, { docsPrefix });

  await server.register(fastifyCookie);
  await server.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Tidings API',
        version: '0.1.0',
        description:
          'Customer communications and content hub. Authenticate with `Authorization: Bearer <API token>`, or with the session cookie from `POST /api/auth/login` plus its CSRF token in the `x-csrf-token` header on writes.',
      },
      components: {
        securitySchemes: {
          apiToken: { type: 'http', scheme: 'bearer', description: 'An API token created under Admin → API tokens' },
          session: { type: 'apiKey', in: 'cookie', name: 'tidings_session' },
        },
      },
      security: [{ apiToken: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });

  server.addHook('onResponse', (request, reply, done) => {
    app.metrics.httpRequestDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });

  installInputChecks(server);
  installAuthentication(server, app.services.auth, app.services.portalAuth);
  const { services } = app;
  await server.register(systemRoutes, { storage: app.storage, metrics: app.metrics, queue: app.queue });
  await server.register(authRoutes, {
    auth: services.auth,
    tokens: services.tokens,
    secureCookies: app.config.secureCookies,
  });
  await server.register(usersRoutes, { users: services.users, teams: services.teams });
  await server.register(auditRoutes, { audit: app.audit });
  await server.register(jobsRoutes, { jobs: services.jobs });
  await server.register(inboundRoutes, { inbound: app.inbound });
  await server.register(duplicatesRoutes, { duplicates: services.duplicates, merge: services.merge });
  await server.register(customersRoutes, { customers: services.customers, consent: services.consent });
  await server.register(segmentsRoutes, { segments: services.segments, attributes: services.attributes });
  await server.register(customerImportsRoutes, { imports: services.customerImports, exports: services.customerExport });
  await server.register(templatesRoutes, {
    templates: services.templates,
    previews: services.templatePreviews,
    comments: services.comments,
  });
  await server.register(communicationsRoutes, {
    communications: services.communications,
    receipts: services.receipts,
    rates: services.rates,
  });
  await server.register(runsRoutes, {
    runs: services.runs,
    correctiveMailings: services.correctiveMailings,
    printBatches: services.printBatches,
  });
  await server.register(commentsRoutes, { templates: services.templates, comments: services.comments });
  await server.register(fragmentsRoutes, { fragments: services.fragments });
  await server.register(brandRoutes, { brand: services.brand });
  await server.register(complianceRoutes, { compliance: services.compliance });
  await server.register(ticketsRoutes, {
    tickets: services.tickets,
    attachmentMaxBytes: app.config.attachmentMaxBytes,
  });
  await server.register(queuesRoutes, { queues: services.queues });
  await server.register(cannedResponsesRoutes, { canned: services.cannedResponses });
  await server.register(slaRoutes, { settings: services.slaSettings });
  await server.register(notificationsRoutes, { notifications: services.notifications });
  await server.register(knowledgeRoutes, {
    articles: services.knowledgeArticles,
    categories: services.knowledgeCategories,
  });
  await server.register(helpCentreRoutes, { help: services.helpCentre });
  await server.register(documentFoldersRoutes, { folders: services.documentFolders });
  await server.register(documentAccessRoutes, { access: services.documentAccess });
  await server.register(documentTypesRoutes, { types: services.documentTypes });
  await server.register(documentReviewRoutes, { reviews: services.documentReviews });
  await server.register(documentsRoutes, {
    documents: services.documents,
    versions: services.documentVersions,
    maxBytes: app.config.documentMaxBytes,
  });
  await server.register(versionCompareRoutes, { compare: services.versionCompare });
  await server.register(searchRoutes, { search: services.search });
  await server.register(legalHoldsRoutes, { holds: services.legalHolds });
  await server.register(recordsRoutes, { records: services.records });
  await server.register(dispositionRoutes, { disposition: services.disposition });
  await server.register(ediscoveryRoutes, { ediscovery: services.ediscovery });
  await server.register(scansRoutes, { scans: app.scans, maxBytes: app.config.documentMaxBytes });
  await server.register(portalRoutes, { portal: app.portal });
  await server.register(portalTicketsRoutes, { portal: app.portal, attachmentMaxBytes: app.config.attachmentMaxBytes });
  await server.register(portalAuthRoutes, {
    portalAuth: services.portalAuth,
    secureCookie: app.config.secureCookies || app.config.publicUrl.startsWith('https:'),
  });
  await server.register(unsubscribeRoutes, { unsubscribe: services.unsubscribe });
  await server.register(insightsRoutes, { insights: services.insights, goals: services.goals });
  await server.register(roiRoutes, { roi: services.roi });
  await server.register(recordCommentsRoutes, { comments: services.recordComments, activity: services.activity });
  await server.register(notificationSettingsRoutes, { settings: services.notificationSettings });
  await server.register(suggestionsRoutes, { suggestions: services.suggestions });
  await server.register(announcementsRoutes, { announcements: services.announcements });
  await server.register(channelShiftRoutes, { channelShifts: services.channelShifts });
  await server.register(webdavRoutes, {
    webdav: app.webdav,
    auth: services.auth,
    bodyLimitBytes: app.config.bodyLimitBytes,
  });

  server.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => server.swagger());
  await server.register(apiReferenceRoutes);

  await serveWebApp(server);
  server.setNotFoundHandler((request, reply) => {
    // A missing file (an asset of an older build) is a 404; only page paths get the app.
    const isFile = path.extname(request.url.split('?')[0]!) !== '';
    if (
      // Decoded as the router decodes it, so /%61pi/… is an unknown API path too.
      decodedPath(request.url).startsWith('/api/') ||
      request.method !== 'GET' ||
      isFile ||
      !fs.existsSync(path.join(webDist, 'index.html'))
    ) {
      return reply
        .status(404)
        .send({ error: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}.`, details: [] });
    }
    return reply.sendFile('index.html');
  });
  return server;
}

function decodedPath(url: string): string {
  try {
    return decodeURIComponent(url.split('?')[0]!);
  } catch {
    return url;
  }
}

/** The single-page app, when it has been built; every unknown GET outside /api gets its index page. */
async function serveWebApp(server: FastifyInstance) {
  // Wildcard serving reads the folder per request, so a rebuilt app is served without a restart.
  await server.register(fastifyStatic, {
    root: webDist,
    prefix: '/',
    wildcard: true,
    index: 'index.html',
    serve: fs.existsSync(webDist),
  });
}
