import path from 'node:path';
import { pino, type Logger } from 'pino';
import { Gauge } from 'prom-client';
import { auditKey } from './audit/audit-anchor.js';
import { openAuditTrail } from './audit/audit.service.js';
import { createAuthService } from './auth/auth.service.js';
import { defaultPasswordCost, type PasswordCost } from './auth/password.js';
import { createPrincipals } from './auth/principals.service.js';
import { createAttributesService } from './customers/attributes.service.js';
import { createConsentService } from './customers/consent.service.js';
import { createCustomersService } from './customers/customers.service.js';
import { createCustomerExport } from './customers/export.js';
import { createImportRunner } from './customers/import/import-runner.js';
import { customerImportJob } from './customers/import/imports.jobs.js';
import { createCustomerImportsService } from './customers/import/imports.service.js';
import { createDuplicatesService } from './customers/duplicates.service.js';
import { createMergeService } from './customers/merge.service.js';
import { createSegmentsService } from './customers/segments.service.js';
import { createTokensService } from './auth/tokens.service.js';
import { createFileBlobStore } from './blobs/blob-store.js';
import { createEmailChannel } from './channels/email.channel.js';
import { createGatewayChannel } from './channels/gateway.channel.js';
import { createBatchRunsService } from './communications/batch-runs.service.js';
import { communicationJobs, scheduleDailyPrint } from './communications/communications.jobs.js';
import { createCommunicationsService } from './communications/communications.service.js';
import { communicationsFollowMerge } from './communications/communications-merge.js';
import { createCorrectiveMailingService } from './communications/corrective-mailing.service.js';
import { createDeliveryPipeline } from './communications/delivery.pipeline.js';
import { createPermanentFailures } from './communications/permanent-failures.js';
import { createPrintBatchesService } from './communications/print-batches.service.js';
import { createRatesService } from './communications/rates.service.js';
import { createReceiptsService } from './communications/receipts.service.js';
import { wireDocumentsAndRecords } from './composition/documents-and-records.js';
import { wireEngagement } from './composition/engagement.js';
import { wireServiceDesk } from './composition/service-desk.js';
import type { Config } from './config.js';
import { stopOcr } from './documents/text/ocr.js';
import { openStorage, type Storage } from './db/database.js';
import type { JobDefinition } from './jobs/job-handlers.js';
import { createJobQueue, defaultRetryPolicy, type RetryPolicy } from './jobs/job-queue.js';
import { createJobsService } from './jobs/jobs.service.js';
import { createWorker } from './jobs/worker.js';
import { createNotificationsService } from './notifications/notifications.service.js';
import { createMetrics } from './observability/metrics.js';
import { createRenderPool } from './rendering/render-pool.js';
import { createPortalService } from './portal/portal.service.js';
import { portalAuthJobs } from './portal/portal-auth.jobs.js';
import { createPortalAuthService } from './portal/portal-auth.service.js';
import { portalSignInTemplate } from './portal/portal-sign-in.template.js';
import { createUnsubscribeLinks } from './portal/unsubscribe.links.js';
import { createUnsubscribeService } from './portal/unsubscribe.service.js';
import { systemClock, type Clock } from './shared/clock.js';
import { createBrandService } from './templates/brand.service.js';
import { createCommentsService } from './templates/comments.service.js';
import { createComplianceService } from './templates/compliance.service.js';
import { createFragmentsService } from './templates/fragments.service.js';
import { createTemplatePreviewService } from './templates/template-preview.service.js';
import { createTemplatesService } from './templates/templates.service.js';
import { inboundJobs } from './inbound/inbound.jobs.js';
import { createInboundService } from './inbound/inbound.service.js';
import { createSmtpListener } from './inbound/smtp-listener.js';
import { createTimeline } from './timeline/timeline.service.js';
import { createTeamsService } from './users/teams.service.js';
import { createUsersService } from './users/users.service.js';
import { scansJobs } from './scans/scans.jobs.js';
import { createScansService } from './scans/scans.service.js';

export type AppOverrides = {
  storage?: Storage;
  clock?: Clock;
  logger?: Logger;
  retryPolicy?: RetryPolicy;
  /** The cost of the password hashes this app makes; tests lower it (each sign-up is a hash). */
  passwordCost?: PasswordCost;
  /** Extra job kinds this process runs (tests and tools); the domains' own are always included. */
  jobDefinitions?: JobDefinition[];
  workerPollMs?: number;
};

export type App = Awaited<ReturnType<typeof buildApp>>;

/**
 * The composition root: storage, shared infrastructure and every domain service, wired once.
 * The HTTP server, the CLI and the job workers all start from here.
 */
export async function buildApp(config: Config, overrides: AppOverrides = {}) {
  const logger = overrides.logger ?? pino({ level: config.logLevel });
  const clock = overrides.clock ?? systemClock;
  const passwordCost = overrides.passwordCost ?? defaultPasswordCost;
  // Before the database opens: a data folder that cannot hold the audit key stops start-up with what to set.
  const auditChainKey = auditKey(config.auditKey, config.dataDir);
  const storage =
    overrides.storage ??
    (await openStorage(
      config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: path.join(config.dataDir, 'pglite') },
      logger.child({ component: 'database' }),
    ));
  await storage.migrate();
  const { db } = storage;

  const metrics = createMetrics();
  const blobs = createFileBlobStore(path.join(config.dataDir, 'blobs'));
  const audit = await openAuditTrail({ db, clock, key: auditChainKey, dataDir: config.dataDir });
  const queue = createJobQueue({
    db,
    clock,
    retryPolicy: overrides.retryPolicy ?? defaultRetryPolicy,
    listen: storage.listen,
    engine: storage.engine,
  });

  const timeline = createTimeline({ db, clock });
  const consent = createConsentService({ db, audit, timeline, clock });
  const attributes = createAttributesService({ db, audit });
  const segments = createSegmentsService({ db, audit, clock });

  const customers = createCustomersService({
    db,
    audit,
    timeline,
    consent,
    attributes,
    segmentFilter: segments.filterOf,
    clock,
    defaultCountry: config.defaultCountry,
  });

  const brand = createBrandService({ db, audit, blobs, clock });
  const fragments = createFragmentsService({ db, audit, clock });
  // Templates render on threads of their own, each preview request and delivered item within one budget.
  const renderer = createRenderPool({ threads: config.renderThreads, budgetMs: config.renderBudgetMs });
  new Gauge({
    name: 'tidings_render_threads_busy',
    help: `Render threads working now, of ${renderer.threads}; all busy means previews and deliveries wait.`,
    registers: [metrics.registry],
    collect() {
      this.set(renderer.busy);
    },
  });
  const compliance = createComplianceService({ db, audit, clock, brand: brand.forRendering, renderer });
  const templates = createTemplatesService({ db, audit, clock, fragments, compliance });

  const channels = {
    email: createEmailChannel(config.smtpUrl),
    sms: createGatewayChannel('sms', config.smsGatewayUrl, config.gatewaySecret),
    fax: createGatewayChannel('fax', config.faxGatewayUrl, config.gatewaySecret),
  };
  const rates = createRatesService({ db, audit, clock });
  // The one place where a channel's refusal for good is recorded, for the pipeline and for receipts.
  const permanentFailures = createPermanentFailures({ clock, audit, timeline, customers, queue });
  // Every marketing message carries a signed one-click unsubscribe link.
  const unsubscribeLinks = createUnsubscribeLinks({ publicUrl: config.publicUrl, secret: auditChainKey });
  const pipeline = createDeliveryPipeline({
    db,
    clock,
    blobs,
    queue,
    timeline,
    customers,
    failures: permanentFailures,
    fragments,
    brand: brand.forRendering,
    rates,
    channels,
    renderer,
    unsubscribeLinks,
  });
  const runs = createBatchRunsService({ db, audit, clock, queue, templates, segments });
  const correctiveMailings = createCorrectiveMailingService({ db, templates, runs });
  const notifications = createNotificationsService({ db, clock });
  const printBatches = createPrintBatchesService({ db, audit, clock, blobs, printDir: config.printDir });
  const communications = createCommunicationsService({ db, audit, clock, blobs, queue, templates, customers });
  const serviceDesk = wireServiceDesk({
    db,
    audit,
    clock,
    blobs,
    queue,
    timeline,
    notifications,
    communications,
    customers,
    templates,
    brand,
    config,
  });
  const documentsAndRecords = wireDocumentsAndRecords({
    db,
    listen: storage.listen,
    audit,
    clock,
    blobs,
    queue,
    timeline,
    notifications,
    config,
  });
  const engagement = wireEngagement({
    db,
    grants: documentsAndRecords.grants,
    audit,
    clock,
    queue,
    notifications,
    templates,
    runs,
    rates,
    segments,
    brand,
    email: channels.email,
    publicUrl: config.publicUrl,
  });

  // Who is calling, kept in this process until any process announces a change to them.
  const principals = createPrincipals({ db, clock, listen: storage.listen });
  const services = {
    auth: createAuthService({ db, audit, clock, principals, sessionTtlMs: config.sessionTtlMs, passwordCost }),
    tokens: createTokensService({ db, audit, clock, principals, maxLifeDays: config.tokenMaxDays }),
    users: createUsersService({ db, audit, clock, principals, passwordCost }),
    teams: createTeamsService({ db, audit, principals }),
    jobs: createJobsService({ db, queue, audit, definitions: () => jobDefinitions }),
    consent,
    attributes,
    segments,
    customers,
    duplicates: createDuplicatesService({ db, audit }),
    merge: createMergeService({ db, audit, timeline, customers, clock }),
    customerImports: createCustomerImportsService({
      db,
      blobs,
      audit,
      queue,
      attributes,
      timeline,
      clock,
      defaultCountry: config.defaultCountry,
    }),
    customerExport: createCustomerExport({ db, audit, customers, attributes }),
    brand,
    fragments,
    compliance,
    templates,
    templatePreviews: createTemplatePreviewService({
      db,
      clock,
      brand: brand.forRendering,
      customers,
      fragments,
      compliance,
      templates,
      renderer,
    }),
    comments: createCommentsService({ db, audit, clock }),
    communications,
    receipts: createReceiptsService({
      db,
      clock,
      audit,
      failures: permanentFailures,
      gatewaySecret: config.gatewaySecret,
    }),
    rates,
    runs,
    correctiveMailings,
    printBatches,
    notifications,
    ...serviceDesk.services,
    ...documentsAndRecords.services,
    portalAuth: createPortalAuthService({ db, audit, clock, queue, communications, publicUrl: config.publicUrl }),
    unsubscribe: createUnsubscribeService({ db, consent, links: unsubscribeLinks }),
    ...engagement.services,
  };
  services.merge.register(services.tickets.linkedRecords);
  services.merge.register(communicationsFollowMerge);
  // Paper answers: read for the reference code their letter printed, filed on its customer with a ticket.
  const scans = createScansService({
    db,
    audit,
    clock,
    blobs,
    queue,
    timeline,
    documents: services.documents,
    folders: services.documentFolders,
    tickets: services.tickets,
    // The reader's image, QR and OCR libraries load with the first scan: a process that reads none never pays for them.
    read: async (...scan) => (await import('./scans/scan-reading.js')).readScan(...scan),
    maxBytes: config.documentMaxBytes,
  });
  services.merge.register(scans.linkedRecords);
  // What a signed-in portal customer sees and does, through the services above.
  const portal = createPortalService({
    db,
    clock,
    blobs,
    brand,
    customers,
    consent,
    communications,
    tickets: services.tickets,
    help: services.helpCentre,
  });
  const inbound = createInboundService({
    db,
    blobs,
    queue,
    clock,
    tickets: services.tickets,
    customers,
    receipts: services.receipts,
    maxBytes: config.inbound.maxBytes,
    scans,
    scanAddresses: config.inbound.scanAddresses,
  });
  // Listens only when `tidings start` starts it (TIDINGS_INBOUND_SMTP_PORT set).
  const inboundListener = createSmtpListener({
    inbound,
    accepted: config.inbound.accepted,
    maxBytes: config.inbound.maxBytes,
    closeTimeoutMs: config.shutdownGraceMs,
    logger: logger.child({ component: 'inbound' }),
  });
  await compliance.ensureDefaults();
  await templates.ensureSystemTemplate(portalSignInTemplate);

  const importRunner = createImportRunner({
    db,
    blobs,
    audit,
    attributes,
    timeline,
    clock,
    defaultCountry: config.defaultCountry,
    engine: storage.engine,
  });
  const jobDefinitions: JobDefinition[] = [
    customerImportJob(importRunner),
    ...communicationJobs({ db, clock, queue, pipeline, runs, printBatches }),
    ...serviceDesk.jobs,
    ...inboundJobs({ inbound }),
    ...scansJobs({ scans }),
    ...portalAuthJobs({ portalAuth: services.portalAuth }),
    ...documentsAndRecords.jobs,
    ...engagement.jobs,
    ...(overrides.jobDefinitions ?? []),
  ];
  await scheduleDailyPrint(db, queue, clock);
  await serviceDesk.prepare();
  await documentsAndRecords.prepare();
  await engagement.prepare();
  const worker = createWorker({
    queue,
    definitions: jobDefinitions,
    concurrency: config.workers,
    leaseMs: config.jobLeaseMs,
    retentionMs: config.jobRetentionMs,
    pollMs: overrides.workerPollMs,
    logger: logger.child({ component: 'jobs' }),
    onFinished: (kind, outcome) => metrics.jobsFinished.inc({ kind, outcome }),
  });

  return {
    config,
    logger,
    clock,
    storage,
    db,
    metrics,
    blobs,
    audit,
    timeline,
    queue,
    worker,
    jobDefinitions,
    services,
    pipeline,
    channels,
    renderer,
    principals,
    inbound,
    inboundListener,
    portal,
    webdav: documentsAndRecords.webdav,
    scans,
    async close() {
      await inboundListener.close();
      await worker.stop(config.shutdownGraceMs);
      channels.email.close();
      await renderer.close();
      await stopOcr();
      await principals.close();
      await documentsAndRecords.close();
      await storage.close();
    },
  };
}
