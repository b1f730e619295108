import type { AuditTrail } from '../audit/audit.service.js';
import { announcementJobs } from '../announcements/announcements.jobs.js';
import { createAnnouncementsService } from '../announcements/announcements.service.js';
import type { EmailChannel } from '../channels/email.channel.js';
import { createActivity } from '../comments/activity.service.js';
import { createCommentSubjects } from '../comments/comment-subjects.js';
import { createRecordCommentsService } from '../comments/comments.service.js';
import { mentionEmailJobs } from '../comments/mention-email.js';
import type { BatchRunsService } from '../communications/batch-runs.service.js';
import type { RatesService } from '../communications/rates.service.js';
import type { SegmentsService } from '../customers/segments.service.js';
import type { GrantPresence } from '../documents/access/grant-presence.js';
import type { Database } from '../db/database.js';
import { channelChangeTemplate } from '../insights/channel-shift/channel-change.template.js';
import { createChannelShiftService } from '../insights/channel-shift/channel-shift.service.js';
import { createGoalsService } from '../insights/goals.service.js';
import { ensureKpiRollupScheduled, insightsJobs } from '../insights/insights.jobs.js';
import { createInsightsService } from '../insights/insights.service.js';
import { createKpiRollup } from '../insights/kpis/kpi-rollup.js';
import { createRoiService } from '../insights/roi/roi.service.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { createNotificationSettingsService } from '../notifications/notification-settings.service.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { Clock } from '../shared/clock.js';
import { createSuggestionsService } from '../suggestions/suggestions.service.js';
import type { BrandService } from '../templates/brand.service.js';
import type { TemplatesService } from '../templates/templates.service.js';

/**
 * Engagement, wired for the composition root: KPIs, goals and ROI; channel shifts and the
 * announcements that carry them; comments, follows and the feed; suggestions.
 */
export function wireEngagement({
  db,
  audit,
  clock,
  queue,
  notifications,
  templates,
  runs,
  rates,
  segments,
  brand,
  email,
  publicUrl,
  grants,
}: {
  db: Database;
  grants: GrantPresence;
  audit: AuditTrail;
  clock: Clock;
  queue: JobQueue;
  notifications: NotificationsService;
  templates: TemplatesService;
  runs: BatchRunsService;
  rates: RatesService;
  segments: SegmentsService;
  brand: BrandService;
  email: EmailChannel;
  publicUrl: string;
}) {
  const notificationSettings = createNotificationSettingsService({ db, audit, clock });
  // Comments on any record, who follows which, and the feed of what happened on them.
  const commentSubjects = createCommentSubjects({ grants });
  const activity = createActivity({ db, clock, grants, subjects: commentSubjects });
  const recordComments = createRecordCommentsService({
    db,
    audit,
    clock,
    subjects: commentSubjects,
    activity,
    notifications,
    settings: notificationSettings,
    queue,
  });
  const insights = createInsightsService({ db, clock });
  const kpiRollup = createKpiRollup({ db, clock });
  // Told to staff until acknowledged; the customer half goes out as a batch run.
  const announcements = createAnnouncementsService({ db, audit, clock, queue, notifications, templates, runs });
  const services = {
    announcements,
    channelShifts: createChannelShiftService({ db, audit, clock, rates, segments, announcements, publicUrl }),
    insights,
    kpiRollup,
    goals: createGoalsService({ db, audit, clock, insights }),
    roi: createRoiService({ db, rates }),
    notificationSettings,
    activity,
    recordComments,
    suggestions: createSuggestionsService({ db, audit, clock, activity, notifications }),
  };
  return {
    services,
    jobs: [
      ...announcementJobs({ announcements }),
      ...insightsJobs({ db, clock, queue, rollup: kpiRollup }),
      ...mentionEmailJobs({ comments: recordComments, channel: email, brand: brand.forRendering, publicUrl }),
    ],
    /** What must exist before the first request: the channel-change request's system template; the KPI rollup's schedule. */
    async prepare() {
      await templates.ensureSystemTemplate(channelChangeTemplate);
      await ensureKpiRollupScheduled(db, queue, clock);
    },
  };
}
