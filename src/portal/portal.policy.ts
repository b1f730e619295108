import type { CustomerKind, Purpose } from '../customers/customers.tables.js';
import { AppError } from '../shared/errors.js';
import type { TicketScope } from '../tickets/portal-tickets.js';
import type { PortalAccess, PortalViewer } from './portal-viewer.js';

/** Everything a signed-in customer may ask the portal to do, one name per action. */
export const portalActions = [
  'inbox.read',
  'communication.read',
  'tickets.read',
  'tickets.open',
  'tickets.complain',
  'tickets.reply',
  'attachments.upload',
  'profile.read',
  'profile.write',
  'preferences.write',
  'consents.write',
] as const;
export type PortalAction = (typeof portalActions)[number];

type Rule = {
  access: readonly Exclude<PortalAccess, 'none'>[];
  /**
   * What a viewer without the access hears: reads of one record say it is not there (as for another
   * customer's), lists and writes say they are not theirs to use.
   */
  otherwise: 'not_found' | 'forbidden';
};

/**
 * Who may do what in the portal, by access level. `full` is the customer, or an organization
 * contact allowed everything; `service` is a contact who sees and opens only their own requests.
 */
export const portalPolicy: Record<PortalAction, Rule> = {
  'inbox.read': { access: ['full'], otherwise: 'forbidden' },
  'communication.read': { access: ['full'], otherwise: 'not_found' },
  'tickets.read': { access: ['full', 'service'], otherwise: 'forbidden' },
  'tickets.open': { access: ['full', 'service'], otherwise: 'forbidden' },
  // A complaint names a communication, which only those who see the correspondence can pick.
  'tickets.complain': { access: ['full'], otherwise: 'not_found' },
  'tickets.reply': { access: ['full', 'service'], otherwise: 'forbidden' },
  'attachments.upload': { access: ['full', 'service'], otherwise: 'forbidden' },
  'profile.read': { access: ['full', 'service'], otherwise: 'forbidden' },
  'profile.write': { access: ['full'], otherwise: 'forbidden' },
  'preferences.write': { access: ['full'], otherwise: 'forbidden' },
  'consents.write': { access: ['full'], otherwise: 'forbidden' },
};

export const mayInPortal = (viewer: Pick<PortalViewer, 'access'>, action: PortalAction) =>
  portalPolicy[action].access.includes(viewer.access);

/** The one check before each portal action. */
export function allowInPortal(viewer: Pick<PortalViewer, 'access'>, action: PortalAction): void {
  if (mayInPortal(viewer, action)) return;
  if (portalPolicy[action].otherwise === 'not_found')
    throw new AppError('not_found', 'portal.not_found', 'There is no such item in your portal.');
  throw new AppError('forbidden', 'portal.forbidden', 'Your portal access does not include this.');
}

/**
 * The contact details a customer keeps up to date themselves. Who they are to us (emails they sign
 * in with, organization name, stage, owner, tags, attributes, external id) stays with the staff.
 */
export const editableProfileFields: Record<CustomerKind, readonly string[]> = {
  person: ['givenName', 'familyName', 'phones', 'fax', 'address', 'language', 'timeZone'],
  organization: ['phones', 'fax', 'address', 'language', 'timeZone'],
};

export const editableBy = (viewer: Pick<PortalViewer, 'access'>, kind: CustomerKind): readonly string[] =>
  mayInPortal(viewer, 'profile.write') ? editableProfileFields[kind] : [];

/**
 * Purposes whose consent a customer grants or withdraws in the portal. Transactional messages (bills,
 * contract notices, the portal's own sign-in links) go while they are a customer: withdrawing them
 * here would lock them out of the portal itself.
 */
export const consentPurposesInPortal: readonly Purpose[] = ['service', 'marketing'];

/** A service contact sees only the tickets they raised; everyone else the customer's. */
export const ticketScopeOf = (viewer: PortalViewer): TicketScope => ({
  customerId: viewer.customerId,
  contactId: viewer.contactId,
  ownOnly: viewer.access !== 'full',
});
