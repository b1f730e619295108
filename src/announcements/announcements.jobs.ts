import { z } from 'zod';
import { defineJob, type JobDefinition } from '../jobs/job-handlers.js';
import { REMIND_JOB, type AnnouncementsService } from './announcements.service.js';

/** The reminder: due some hours after publishing, again while anyone has not acknowledged. */
export function announcementJobs(deps: { announcements: Pick<AnnouncementsService, 'remind'> }): JobDefinition[] {
  return [
    defineJob({
      kind: REMIND_JOB,
      payload: z.object({ announcementId: z.string().uuid() }),
      async run({ announcementId }) {
        await deps.announcements.remind(announcementId);
      },
    }),
  ];
}
