import { z } from 'zod';
import { defineJob, type JobDefinition } from '../jobs/job-handlers.js';
import { SIGN_IN_LINK_JOB, type PortalAuthService } from './portal-auth.service.js';

/** The sign-in link is looked up and sent by a job, so that the request's answer says nothing about the address. */
export function portalAuthJobs(deps: { portalAuth: Pick<PortalAuthService, 'sendLink'> }): JobDefinition[] {
  return [
    defineJob({
      kind: SIGN_IN_LINK_JOB,
      payload: z.object({ email: z.string() }),
      async run({ email }) {
        await deps.portalAuth.sendLink(email);
      },
    }),
  ];
}
