import type { AuditTrail } from '../audit/audit.service.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { CommunicationsService } from '../communications/communications.service.js';
import type { Config } from '../config.js';
import type { CustomersService } from '../customers/customers.service.js';
import type { Database } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { createKnowledgeArticlesService } from '../knowledge/articles.service.js';
import { createKnowledgeCategoriesService } from '../knowledge/categories.service.js';
import { createHelpCentreService } from '../knowledge/help-centre.service.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { Clock } from '../shared/clock.js';
import type { BrandService } from '../templates/brand.service.js';
import type { TemplatesService } from '../templates/templates.service.js';
import { createCannedResponsesService } from '../tickets/canned-responses.service.js';
import { createQueuesService } from '../tickets/queues.service.js';
import { serviceReplyTemplate } from '../tickets/service-reply.template.js';
import { createSlaSettingsService } from '../tickets/sla/sla-settings.service.js';
import { slaJobs } from '../tickets/sla/sla.jobs.js';
import { createSlaService } from '../tickets/sla/sla.service.js';
import { createTicketRecords } from '../tickets/ticket-records.js';
import { createTicketsService } from '../tickets/tickets.service.js';
import type { Timeline } from '../timeline/timeline.service.js';

/** The service desk, wired for the composition root: queues and SLAs, tickets and canned replies, the knowledge base. */
export function wireServiceDesk({
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
}: {
  db: Database;
  audit: AuditTrail;
  clock: Clock;
  blobs: BlobStore;
  queue: JobQueue;
  timeline: Timeline;
  notifications: NotificationsService;
  communications: CommunicationsService;
  customers: CustomersService;
  templates: TemplatesService;
  brand: BrandService;
  config: Pick<Config, 'attachmentMaxBytes'>;
}) {
  const queues = createQueuesService({ db, audit, clock });
  const slaSettings = createSlaSettingsService({ db, audit, clock });
  const sla = createSlaService({ db, audit, clock, queue, notifications, settings: slaSettings });
  const services = {
    queues,
    slaSettings,
    sla,
    tickets: createTicketsService({
      db,
      audit,
      timeline,
      notifications,
      queues,
      sla,
      communications,
      blobs,
      attachmentMaxBytes: config.attachmentMaxBytes,
      clock,
    }),
    cannedResponses: createCannedResponsesService({
      db,
      audit,
      records: createTicketRecords({ audit, timeline, notifications, clock }),
      customers,
      brand: brand.forRendering,
      clock,
    }),
    knowledgeCategories: createKnowledgeCategoriesService({ db, audit }),
    knowledgeArticles: createKnowledgeArticlesService({ db, audit, clock }),
    helpCentre: createHelpCentreService({ db, clock }),
  };
  return {
    services,
    jobs: slaJobs({ sla }),
    /** The system template replies go out with, and the SLA timer. */
    async prepare() {
      await templates.ensureSystemTemplate(serviceReplyTemplate);
      await sla.startTimer();
    },
  };
}
