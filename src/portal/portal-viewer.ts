import type { FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.js';

/**
 * What a signed-in portal customer may see: `full` is the customer (or an organization contact
 * allowed everything): correspondence, requests and complaints, contact details, preferences and
 * consent; `service` is an organization contact who sees and opens only their own requests.
 */
export const portalAccessLevels = ['full', 'service', 'none'] as const;
export type PortalAccess = (typeof portalAccessLevels)[number];

/** The customer behind a portal session: a realm apart from staff actors. */
export type PortalViewer = {
  sessionId: string;
  customerId: string;
  customerName: string;
  /** The organization contact who signed in; null when the customer signed in as themselves. */
  contactId: string | null;
  email: string;
  access: Exclude<PortalAccess, 'none'>;
};

declare module 'fastify' {
  interface FastifyRequest {
    portalViewer?: PortalViewer;
  }
}

/** The signed-in portal customer; every private /api/portal route has one by the time its handler runs. */
export function viewerOf(request: FastifyRequest): PortalViewer {
  if (!request.portalViewer)
    throw new AppError('unauthenticated', 'portal.sign_in_required', 'Sign in to the portal first.');
  return request.portalViewer;
}
