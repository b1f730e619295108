import type { BodyOf, QueryOf, ResponseOf } from '../api/api-types.js';
import { api, withQuery } from '../api/client.js';

/** A ticket as lists and writes answer it: its fields, who and where, the actions it allows, its SLA states. */
export type Ticket = ResponseOf<'/api/tickets'>['tickets'][number];
export type TicketDetail = ResponseOf<'/api/tickets/{id}'>;
export type TicketMessage = TicketDetail['messages'][number];
export type ConcernedCommunication = NonNullable<TicketDetail['communication']>;
export type TicketCounts = ResponseOf<'/api/tickets/counts'>;
export type TicketQueue = ResponseOf<'/api/ticket-queues'>['queues'][number];
export type ComplaintRate = ResponseOf<'/api/template-versions/{id}/complaints'>;
export type StaffMember = ResponseOf<'/api/users'>['users'][number];

export type Attachment = ResponseOf<'/api/tickets/attachments', 'post'>;
export type NewReply = BodyOf<'/api/tickets/{id}/replies', 'post'>;
export type ReplyChannel = NonNullable<NewReply['channel']>;
export type CannedResponse = ResponseOf<'/api/canned-responses'>['cannedResponses'][number];

export type NewTicket = BodyOf<'/api/tickets', 'post'>;
export type TicketChange = BodyOf<'/api/tickets/{id}', 'patch'>;
export type TicketListFilters = Omit<QueryOf<'/api/tickets'>, 'cursor' | 'limit'>;

export const TICKET_PAGE_SIZE = 50;

const ticketPath = (id: string) => `/api/tickets/${encodeURIComponent(id)}`;

export const ticketsApi = {
  listPath: (filters: TicketListFilters, limit = TICKET_PAGE_SIZE) => withQuery('/api/tickets', { ...filters, limit }),
  countsPath: '/api/tickets/counts',
  queuesPath: '/api/ticket-queues',
  staffPath: '/api/users',
  complaintRatePath: (versionId: string) => `/api/template-versions/${encodeURIComponent(versionId)}/complaints`,
  ticketPath,

  create: (ticket: NewTicket) => api.post<Ticket>('/api/tickets', ticket),
  update: (id: string, change: TicketChange) => api.patch<Ticket>(ticketPath(id), change),
  act: (id: string, action: Ticket['actions'][number]) => api.post<Ticket>(`${ticketPath(id)}/actions`, { action }),
  addNote: (id: string, body: string, mentions: string[], attachments: Attachment[] = []) =>
    api.post<TicketMessage>(`${ticketPath(id)}/notes`, { body, mentions, attachments }),
  reply: (id: string, reply: NewReply) => api.post<TicketMessage>(`${ticketPath(id)}/replies`, reply),
  uploadAttachment: (file: File) =>
    api.upload<Attachment>('POST', withQuery('/api/tickets/attachments', { filename: file.name }), file),
  attachmentPath: (id: string, sha256: string) => `${ticketPath(id)}/attachments/${encodeURIComponent(sha256)}`,
  cannedResponsesPath: '/api/canned-responses',
  renderCanned: (cannedId: string, ticketId: string) =>
    api.post<{ body: string }>(`/api/canned-responses/${encodeURIComponent(cannedId)}/render`, { ticketId }),
  addCustomerMessage: (id: string, body: string) =>
    api.post<TicketMessage>(`${ticketPath(id)}/customer-messages`, { body }),
  merge: (id: string, intoTicketId: string) => api.post<Ticket>(`${ticketPath(id)}/merge`, { intoTicketId }),
  split: (id: string, messageId: string, subject?: string) =>
    api.post<Ticket>(`${ticketPath(id)}/split`, { messageId, subject }),
};
