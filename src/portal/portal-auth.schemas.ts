import { z } from 'zod';
import { customerKinds } from '../customers/customers.tables.js';

export const signInBody = z.strictObject({
  email: z.email().max(254).describe('The address to send a sign-in link to'),
});

export const signInRequestedResponse = z
  .object({ message: z.string().describe('The same for every address, known or not') })
  .describe('PortalSignInRequested');

export const startSessionBody = z.strictObject({
  token: z.string().min(1).max(200).describe('The token after # in the sign-in link'),
});

export const portalMeResponse = z
  .object({
    customer: z.object({ id: z.uuid(), name: z.string(), kind: z.enum(customerKinds) }),
    contact: z
      .object({ id: z.uuid(), name: z.string() })
      .nullable()
      .describe("The organization's contact who signed in; null for the customer themselves"),
    email: z.string().describe('The address the session signed in with'),
    access: z.enum(['full', 'service']).describe('full: everything; service: only their own requests'),
    csrfToken: z.string().describe('Send as the x-csrf-token header on every portal write'),
  })
  .describe('PortalMe');
