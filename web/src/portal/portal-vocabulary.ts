import type { Channel, Purpose } from '../customers/customer-vocabulary.js';
import type { TicketKind, TicketStatus } from './portal.api.js';

export { channelLabels, channels, purposeLabels, purposes } from '../customers/customer-vocabulary.js';

/** How each channel reached the customer, in their words. */
export const channelNouns: Record<Channel, string> = {
  email: 'Email',
  sms: 'Text message',
  letter: 'Letter',
  fax: 'Fax',
  portal: 'Message',
};

export const purposeHints: Record<Purpose, string> = {
  transactional: 'Bills, contract changes and legal notices',
  service: 'Answers to your requests and complaints',
  marketing: 'Offers and newsletters',
};

export const ticketKindLabels: Record<TicketKind, string> = {
  request: 'Request',
  inquiry: 'Question',
  complaint: 'Complaint',
};

/** A ticket's status as the customer sees it: whose turn it is. */
export const ticketStatusLabels: Record<TicketStatus, string> = {
  new: 'Received',
  open: 'In progress',
  pending_customer: 'Waiting for you',
  resolved: 'Resolved',
  closed: 'Closed',
};
