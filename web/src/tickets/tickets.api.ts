import type { BodyOf, QueryOf, ResponseOf } from '../api/api-types.js';
import { api, ApiError, withQuery } from '../api/client.js';
import { authApi } from '../auth/auth.api.js';

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

/**
 * Sends a file as the request body, with its own content type. The shared client sends JSON only,
 * so this asks /api/me for the CSRF token, as the brand logo upload does.
 */
async function upload(file: File): Promise<Attachment> {
  const { csrfToken } = await authApi.me();
  const response = await fetch(withQuery('/api/tickets/attachments', { filename: file.name }), {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      'content-type': file.type || 'application/octet-stream',
      ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
    },
    body: file,
  }).catch(() => {
    throw new ApiError(0, 'network', 'Cannot reach the Tidings server. Check your connection and try again.');
  });
  const answer: unknown = await response.json().catch(() => null);
  if (response.ok) return answer as Attachment;
  const problem = (answer ?? {}) as { error?: string; message?: string; details?: { path: string; message: string }[] };
  throw new ApiError(
    response.status,
    problem.error ?? 'http_error',
    problem.message ?? `The server answered ${response.status}.`,
    problem.details ?? [],
  );
}

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
  uploadAttachment: upload,
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
