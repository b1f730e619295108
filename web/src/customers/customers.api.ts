import type { BodyOf, QueryOf, ResponseOf } from '../api/api-types.js';
import { api, withQuery } from '../api/client.js';
import type { Purpose } from './customer-vocabulary.js';

export type CustomerSummary = ResponseOf<'/api/customers'>['customers'][number];
export type Customer = ResponseOf<'/api/customers/{id}'>;
export type PostalAddress = NonNullable<Customer['address']>;
export type QuietHours = NonNullable<Customer['quietHours']>;
export type Contact = Customer['contacts'][number];
export type ConsentState = Customer['consents'][number];

/** The fields a staff member may set; `null` clears a field, a missing key leaves it alone. */
export type CustomerChange = BodyOf<'/api/customers/{id}', 'patch'>;
export type NewCustomer = BodyOf<'/api/customers', 'post'>;
export type NewContact = BodyOf<'/api/customers/{id}/contacts', 'post'>;
export type ConsentChange = BodyOf<'/api/customers/{id}/consents', 'post'>;
export type ConsentEvent = ResponseOf<'/api/customers/{id}/consents/history'>['events'][number];

export type TimelineEntry = ResponseOf<'/api/customers/{id}/timeline'>['entries'][number];

export type Reachability = ResponseOf<'/api/customers/{id}/reachability'>;
export type ChannelVerdict = Reachability['considered'][number];

export type AttributeDefinition = ResponseOf<'/api/customer-attributes'>['attributes'][number];

export type CustomerListFilters = Omit<QueryOf<'/api/customers'>, 'cursor' | 'limit'>;
export type CustomerCount = ResponseOf<'/api/customers/count'>;

export const CUSTOMER_PAGE_SIZE = 50;
export const TIMELINE_PAGE_SIZE = 20;

const customerPath = (id: string) => `/api/customers/${encodeURIComponent(id)}`;

export const customersApi = {
  listPath: (filters: CustomerListFilters) => withQuery('/api/customers', { ...filters, limit: CUSTOMER_PAGE_SIZE }),
  countPath: ({ sort: _sort, order: _order, ...filters }: CustomerListFilters) =>
    withQuery('/api/customers/count', filters),
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
  recordConsent: (id: string, change: ConsentChange) =>
    api.post<ResponseOf<'/api/customers/{id}/consents', 'post'>>(`${customerPath(id)}/consents`, change),
};
