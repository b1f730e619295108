import type { Brand, RenderContext } from '../rendering/index.js';

type CustomerLike = {
  id?: string;
  name: string;
  givenName: string | null;
  familyName: string | null;
  organizationName: string | null;
  emails: string[];
  phones: string[];
  fax: string | null;
  address: { lines: string[]; postalCode: string; city: string; region?: string; country: string } | null;
  language: string;
  timeZone: string;
  attributes: Record<string, string | number>;
  externalId?: string | null;
};

/** What templates may read of a customer: the record's fields in plain values, never internal columns. */
export function renderContextFor(
  customer: CustomerLike,
  brand: Brand,
  data: Record<string, unknown>,
  now: Date,
  language?: string,
): RenderContext {
  return {
    customer: {
      id: customer.id ?? null,
      name: customer.name,
      givenName: customer.givenName ?? '',
      familyName: customer.familyName ?? '',
      organizationName: customer.organizationName ?? '',
      email: customer.emails[0] ?? '',
      emails: customer.emails,
      phone: customer.phones[0] ?? '',
      phones: customer.phones,
      fax: customer.fax ?? '',
      address: customer.address,
      language: customer.language,
      timeZone: customer.timeZone,
      attributes: customer.attributes,
      externalId: customer.externalId ?? '',
    },
    brand,
    data,
    language: language ?? customer.language,
    timeZone: customer.timeZone,
    now,
  };
}

/** Stands in when no customer is tagged as a sample, so a template can always be previewed and checked. */
export const syntheticSampleCustomer: CustomerLike = {
  name: 'Erika Mustermann',
  givenName: 'Erika',
  familyName: 'Mustermann',
  organizationName: null,
  emails: ['erika.mustermann@example.com'],
  phones: ['+4915123456789'],
  fax: '+49301234567',
  address: { lines: ['Heidestraße 17'], postalCode: '51147', city: 'Köln', country: 'DE' },
  language: 'de',
  timeZone: 'Europe/Berlin',
  attributes: {},
};
