import { api, withQuery } from '../api/client.js';
import type { Channel, ConsentSource, CustomerKind, LifecycleStage, Purpose } from './customer-vocabulary.js';

export type CustomerSummary = {
  id: string;
  kind: CustomerKind;
  name: string;
  emails: string[];
  phones: string[];
  lifecycleStage: LifecycleStage;
  tags: string[];
  externalId: string | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export type PostalAddress = { lines: string[]; postalCode: string; city: string; region?: string; country: string };
export type QuietHours = { start: string; end: string };
export type Contact = {
  id: string;
  name: string;
  role: string | null;
  email: string | null;
  phone: string | null;
  primary: boolean;
};
export type ConsentState = { channel: Channel; purpose: Purpose; granted: boolean; source: ConsentSource; at: string };

export type Customer = CustomerSummary & {
  givenName: string | null;
  familyName: string | null;
  organizationName: string | null;
  fax: string | null;
  address: PostalAddress | null;
  language: string;
  timeZone: string;
  owner: { id: string; name: string } | null;
  attributes: Record<string, string | number>;
  channelPreferences: Channel[];
  quietHours: QuietHours | null;
  undeliverable: string[];
  mergedInto: string | null;
  lastContactedAt: string | null;
  contacts: Contact[];
  consents: ConsentState[];
};

/** The fields a staff member may set; `null` clears a field, a missing key leaves it alone. */
export type CustomerChange = {
  givenName?: string | null;
  familyName?: string | null;
  organizationName?: string | null;
  emails?: string[];
  phones?: string[];
  fax?: string | null;
  address?: PostalAddress | null;
  language?: string;
  timeZone?: string;
  lifecycleStage?: LifecycleStage;
  ownerId?: string | null;
  tags?: string[];
  attributes?: Record<string, string | number | null>;
  externalId?: string | null;
  channelPreferences?: Channel[];
  quietHours?: QuietHours | null;
};

export type NewCustomer = CustomerChange & { kind: CustomerKind };
export type NewContact = { name: string; role?: string; email?: string; phone?: string; primary?: boolean };
export type ConsentChange = {
  channel: Channel;
  purpose: Purpose;
  granted: boolean;
  source: ConsentSource;
  note?: string;
};
export type ConsentEvent = ConsentChange & { id: number; note: string | null; recordedBy: string; at: string };

export type TimelineEntry = {
  id: string;
  at: string;
  kind: string;
  title: string;
  body: string | null;
  subjectType: string | null;
  subjectId: string | null;
  data: Record<string, unknown>;
  actorLabel: string | null;
};

export type ChannelVerdict = { channel: Channel; usable: boolean; reason: string; address?: string };
export type Reachability = {
  reachable: boolean;
  channel?: Channel;
  address?: string;
  deferUntil?: string | null;
  reason: string;
  considered: ChannelVerdict[];
};

export type AttributeDefinition = {
  key: string;
  label: string;
  type: 'text' | 'number' | 'date' | 'choice';
  choices: string[];
};

export type CustomerListFilters = {
  q?: string;
  lifecycle?: LifecycleStage;
  tag?: string;
  kind?: CustomerKind;
  segment?: string;
  archived?: 'false' | 'true' | 'all';
  sort?: 'name' | 'created' | 'updated';
  order?: 'asc' | 'desc';
};

export const CUSTOMER_PAGE_SIZE = 50;
export const TIMELINE_PAGE_SIZE = 20;

const customerPath = (id: string) => `/api/customers/${encodeURIComponent(id)}`;

export const customersApi = {
  listPath: (filters: CustomerListFilters) => withQuery('/api/customers', { ...filters, limit: CUSTOMER_PAGE_SIZE }),
  exportPath: (filters: CustomerListFilters, format: 'csv' | 'vcf') =>
    withQuery(`/api/customers/export.${format}`, filters),
  vcardPath: (id: string) => `${customerPath(id)}/vcard`,
  attributesPath: '/api/customer-attributes',
  customerPath,
  timelinePath: (id: string, kind?: string) =>
    withQuery(`${customerPath(id)}/timeline`, { kind, limit: TIMELINE_PAGE_SIZE }),
  consentHistoryPath: (id: string) => `${customerPath(id)}/consents/history`,
  reachabilityPath: (id: string, purpose: Purpose) => withQuery(`${customerPath(id)}/reachability`, { purpose }),

  create: (customer: NewCustomer) => api.post<Customer>('/api/customers', customer),
  update: (id: string, change: CustomerChange) => api.patch<Customer>(customerPath(id), change),
  archive: (id: string) => api.post<Customer>(`${customerPath(id)}/archive`),
  restore: (id: string) => api.post<Customer>(`${customerPath(id)}/restore`),
  addContact: (id: string, contact: NewContact) => api.post<Contact>(`${customerPath(id)}/contacts`, contact),
  removeContact: (id: string, contactId: string) =>
    api.delete(`${customerPath(id)}/contacts/${encodeURIComponent(contactId)}`),
  addNote: (id: string, body: string) => api.post<TimelineEntry>(`${customerPath(id)}/notes`, { body }),
  recordConsent: (id: string, change: ConsentChange) => api.post<ConsentEvent>(`${customerPath(id)}/consents`, change),
};
