import type { BodyOf, ResponseOf } from '../api/api-types.js';
import { clientFor, withQuery } from '../api/client.js';
import type { Channel, Purpose } from '../customers/customer-vocabulary.js';

// The customer portal's side of the API (/api/portal/*, /api/help/*, /api/unsubscribe/*), typed
// from the server's OpenAPI document.

/** Who is signed in to the portal, and the CSRF token the portal's writes echo. */
export type PortalMe = ResponseOf<'/api/portal/me'>;
export type PortalAccess = PortalMe['access'];
export type PortalBrand = ResponseOf<'/api/portal/brand'>;

/** One entry of the inbox; `kind` leaves room for shared documents. */
export type PortalInboxItem = ResponseOf<'/api/portal/inbox'>['items'][number];
export type PortalCommunication = ResponseOf<'/api/portal/communications/{id}'>;

export type PortalTicketSummary = ResponseOf<'/api/portal/tickets'>['items'][number];
export type PortalTicket = ResponseOf<'/api/portal/tickets/{id}'>;
export type PortalTicketMessage = PortalTicket['messages'][number];
/** A file as uploaded, before it is sent with a request or reply. */
export type PortalUpload = ResponseOf<'/api/portal/attachments', 'post'>;
export type NewPortalTicket = BodyOf<'/api/portal/tickets', 'post'>;
export type TicketKind = PortalTicketSummary['kind'];
export type TicketStatus = PortalTicketSummary['status'];

export type PortalProfile = ResponseOf<'/api/portal/profile'>;
export type PortalConsent = PortalProfile['consents'][number];
export type ProfileChange = BodyOf<'/api/portal/profile', 'patch'>;
export type Preferences = BodyOf<'/api/portal/preferences', 'put'>;

// Titles and category names are collated text columns, which the OpenAPI document leaves untyped.
type Named<T, K extends keyof T> = Omit<T, K> & { [key in K]: string };
export type HelpCategory = Named<ResponseOf<'/api/help/categories'>['categories'][number], 'name'>;
export type HelpArticleSummary = Named<ResponseOf<'/api/help/articles'>['articles'][number], 'title'>;
export type HelpSearchHit = Named<ResponseOf<'/api/help/search'>['articles'][number], 'title'>;
export type HelpArticle = Named<ResponseOf<'/api/help/articles/{slug}'>, 'title'>;

/** What a one-click unsubscribe link withdraws. */
export type Unsubscription = ResponseOf<'/api/unsubscribe/{token}'>;

let csrfToken: string | null = null;

/** The portal session's CSRF token, from sign-in or GET /api/portal/me. */
export function rememberPortalCsrfToken(token: string | null) {
  csrfToken = token;
}

/** The portal's own client: its writes echo the portal session's token, never the staff one. */
const portal = clientFor({ csrfToken: () => csrfToken });

/** The code of a 401 that says the portal session is gone. */
export const PORTAL_SIGNED_OUT = 'portal.sign_in_required';
export const INBOX_PAGE_SIZE = 20;

const communicationPath = (id: string) => `/api/portal/communications/${encodeURIComponent(id)}`;
const ticketPath = (id: string) => `/api/portal/tickets/${encodeURIComponent(id)}`;
const articlePath = (slug: string) => `/api/help/articles/${encodeURIComponent(slug)}`;
const unsubscribePath = (token: string) => `/api/unsubscribe/${encodeURIComponent(token)}`;

export const portalApi = {
  brandPath: '/api/portal/brand',
  inboxPath: withQuery('/api/portal/inbox', { limit: INBOX_PAGE_SIZE }),
  communicationPath,
  ticketsPath: '/api/portal/tickets',
  ticketPath,
  profilePath: '/api/portal/profile',

  me: () => portal.get<PortalMe>('/api/portal/me'),
  requestLink: (email: string) => portal.post<{ message: string }>('/api/portal/sign-in', { email }),
  signIn: (token: string) => portal.post<PortalMe>('/api/portal/session', { token }),
  signOut: () => portal.delete('/api/portal/session'),

  openTicket: (ticket: NewPortalTicket) => portal.post<PortalTicketSummary>('/api/portal/tickets', ticket),
  reply: (ticketId: string, message: { body: string; attachments?: string[] }) =>
    portal.post<PortalTicketMessage>(`${ticketPath(ticketId)}/messages`, message),
  attach: (file: File) =>
    portal.upload<PortalUpload>('POST', withQuery('/api/portal/attachments', { filename: file.name }), file),

  changeProfile: (change: ProfileChange) => portal.patch<PortalProfile>('/api/portal/profile', change),
  setPreferences: (preferences: Preferences) => portal.put<PortalProfile>('/api/portal/preferences', preferences),
  setConsent: (channel: Channel, purpose: Purpose, granted: boolean) =>
    portal.put<PortalProfile>(`/api/portal/consents/${channel}/${purpose}`, { granted }),
};

export const helpApi = {
  categoriesPath: '/api/help/categories',
  articlesPath: (categoryId: string | null) =>
    withQuery('/api/help/articles', { categoryId: categoryId ?? undefined, limit: 50 }),
  searchPath: (q: string) => withQuery('/api/help/search', { q }),
  articlePath,
  feedback: (slug: string, helpful: boolean) => portal.post<void>(`${articlePath(slug)}/feedback`, { helpful }),
};

export const unsubscribeApi = {
  path: unsubscribePath,
  unsubscribe: (token: string) => portal.post<Unsubscription>(unsubscribePath(token), {}),
};
