import type { AuditTrail } from '../audit/audit.service.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Config } from '../config.js';
import type { Database, Storage } from '../db/database.js';
import { createGrantPresence } from '../documents/access/grant-presence.js';
import { createDocumentAccessService } from '../documents/access/access.service.js';
import { createDocumentTypesService } from '../documents/document-types.service.js';
import { createDocumentVersionsService } from '../documents/document-versions.service.js';
import { createDocumentsService } from '../documents/documents.service.js';
import { createDocumentFoldersService } from '../documents/folders.service.js';
import { createDocumentReviewsService } from '../documents/review/review.service.js';
import { textExtractionJobs } from '../documents/text/text-extraction.jobs.js';
import { createTextExtraction } from '../documents/text/text-extraction.service.js';
import { createVersionCompare } from '../documents/version-compare.service.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { createDispositionService } from '../records/disposition.service.js';
import { createEdiscoveryService } from '../records/ediscovery.service.js';
import { createLegalHoldsService } from '../records/legal-holds.service.js';
import { EDISCOVERY_EXPORT_JOB, recordsJobs, scheduleDailyDisposition } from '../records/records.jobs.js';
import { createRecordsService } from '../records/records.service.js';
import { createCommunicationIndex } from '../search/communication-index.service.js';
import { searchJobs } from '../search/search.jobs.js';
import { createSearchService } from '../search/search.service.js';
import type { Clock } from '../shared/clock.js';
import type { Timeline } from '../timeline/timeline.service.js';
import { createWebdavService } from '../webdav/webdav.service.js';

/**
 * Documents and records, wired for the composition root: the repository with its access, types,
 * versions and reviews, and its WebDAV share; text extraction and search; records, retention, legal
 * holds and e-discovery.
 */
export function wireDocumentsAndRecords({
  db,
  audit,
  clock,
  blobs,
  queue,
  timeline,
  notifications,
  config,
  listen,
}: {
  db: Database;
  /** Hears other processes' grant changes, for the grant presence below. */
  listen: Storage['listen'];
  audit: AuditTrail;
  clock: Clock;
  blobs: BlobStore;
  queue: JobQueue;
  timeline: Timeline;
  notifications: NotificationsService;
  config: Pick<Config, 'documentMaxBytes'>;
}) {
  // Whether any folder or document grant exists: while none does, lists and search add no access condition.
  const grants = createGrantPresence({ db, listen });
  // Document versions' text and archived communications' words, read by jobs for search.
  const textExtraction = createTextExtraction({ db, queue, blobs, clock });
  const communicationIndex = createCommunicationIndex({ db, blobs, queue, clock });
  const services = {
    documentFolders: createDocumentFoldersService({ db, audit, clock, grants }),
    documentAccess: createDocumentAccessService({ db, audit, clock, grants }),
    documents: createDocumentsService({
      db,
      audit,
      clock,
      blobs,
      timeline,
      maxBytes: config.documentMaxBytes,
      textExtraction,
      grants,
    }),
    documentVersions: createDocumentVersionsService({
      db,
      audit,
      clock,
      blobs,
      maxBytes: config.documentMaxBytes,
      textExtraction,
    }),
    textExtraction,
    versionCompare: createVersionCompare({ db }),
    communicationIndex,
    search: createSearchService({ db, grants }),
    documentTypes: createDocumentTypesService({ db, audit, clock }),
    documentReviews: createDocumentReviewsService({ db, audit, clock, notifications }),
    legalHolds: createLegalHoldsService({ db, audit, clock }),
    records: createRecordsService({
      db,
      audit,
      clock,
      scheduleListing: () => scheduleDailyDisposition(db, queue, clock),
      grants,
    }),
    disposition: createDispositionService({ db, audit, clock, blobs }),
    ediscovery: createEdiscoveryService({
      db,
      audit,
      clock,
      blobs,
      queue,
      exportJob: EDISCOVERY_EXPORT_JOB,
      grants,
    }),
  };
  // The repository as a WebDAV share, through the documents services above.
  const webdav = createWebdavService({
    db,
    audit,
    clock,
    folders: services.documentFolders,
    documents: services.documents,
    versions: services.documentVersions,
  });
  return {
    services,
    webdav,
    /** Whether any grant exists, for engagement: comments and the activity feed hide documents the reader may not open. */
    grants,
    jobs: [
      ...textExtractionJobs({ extraction: textExtraction }),
      ...searchJobs({ index: communicationIndex }),
      ...recordsJobs({ db, clock, queue, disposition: services.disposition, ediscovery: services.ediscovery }),
    ],
    /** The built-in record category, text for versions stored before extraction existed, the periodic jobs. */
    async prepare() {
      await services.records.ensureBuiltIn();
      await textExtraction.backfillIfMissing();
      await communicationIndex.ensureScheduled();
      if (await services.records.retentionCanEnd()) await scheduleDailyDisposition(db, queue, clock);
    },
    /** Stops listening for grant changes. */
    close: () => grants.close(),
  };
}
