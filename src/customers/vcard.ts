import ICAL from 'ical.js';
import { canReceiveSms } from './customer-fields.js';
import type { Customer } from './customers.service.js';

/** What a vCard carries of a customer. */
export type VCardCustomer = Pick<
  Customer,
  | 'id'
  | 'kind'
  | 'name'
  | 'givenName'
  | 'familyName'
  | 'organizationName'
  | 'emails'
  | 'phones'
  | 'fax'
  | 'address'
  | 'language'
  | 'timeZone'
  | 'tags'
  | 'updatedAt'
>;

/** A value as ical.js escapes vCard text; parts of a structured value (N, ADR, ORG) escape ";" too. */
const escapeText = (value: string) => value.replace(/[\\,\n]/g, (found) => (found === '\n' ? '\\n' : `\\${found}`));
const escapePart = (value: string) => value.replace(/[\\,;\n]/g, (found) => (found === '\n' ? '\\n' : `\\${found}`));

/** A content line, folded at 75 octets as ical.js folds it (only lines that long need the walk). */
const line = (text: string) =>
  text.length * 3 <= ICAL.foldLength || Buffer.byteLength(text) <= ICAL.foldLength ? text : ICAL.helpers.foldline(text);

/**
 * A vCard 4.0 (RFC 6350) of the customer, with CRLF line ends: what ical.js writes for these
 * properties (the vCard tests compare the two), written directly because exports make one per
 * customer and ical.js's property objects cost more than the card.
 */
export function customerToVCard(customer: VCardCustomer): string {
  const lines = [
    'BEGIN:VCARD',
    'VERSION:4.0',
    line(`UID:urn:uuid:${escapeText(customer.id)}`),
    `KIND:${customer.kind === 'organization' ? 'org' : 'individual'}`,
    line(`FN:${escapeText(customer.name)}`),
  ];
  if (customer.kind === 'person')
    lines.push(line(`N:${escapePart(customer.familyName ?? '')};${escapePart(customer.givenName ?? '')};;;`));
  if (customer.organizationName) lines.push(line(`ORG:${escapePart(customer.organizationName)}`));
  customer.emails.forEach((email, index) => lines.push(line(`EMAIL;PREF=${index + 1}:${escapeText(email)}`)));
  customer.phones.forEach((phone, index) =>
    lines.push(line(`TEL;TYPE=${canReceiveSms(phone) ? 'cell' : 'voice'};PREF=${index + 1}:tel:${escapeText(phone)}`)),
  );
  if (customer.fax) lines.push(line(`TEL;TYPE=fax:tel:${escapeText(customer.fax)}`));
  const address = customer.address;
  if (address)
    lines.push(
      line(
        `ADR:;;${[address.lines.join('\n'), address.city, address.region ?? '', address.postalCode, address.country]
          .map(escapePart)
          .join(';')}`,
      ),
    );
  lines.push(line(`LANG:${customer.language}`), line(`TZ:${escapeText(customer.timeZone)}`));
  if (customer.tags.length) lines.push(line(`CATEGORIES:${customer.tags.map(escapeText).join(',')}`));
  lines.push(`REV:${customer.updatedAt.toISOString().replace(/[-:]|\.\d{3}/g, '')}`, 'END:VCARD', '');
  return lines.join('\r\n');
}

/**
 * Cuts a file into its cards, so that one broken card does not take the others down. Folded
 * lines begin with a space, so BEGIN and END lines are always whole lines.
 */
export function splitVCards(text: string) {
  const cards: { line: number; text: string }[] = [];
  const strays: number[] = [];
  let current: { line: number; lines: string[] } | undefined;
  text.split(/\r\n|\n|\r/).forEach((line, index) => {
    const marker = line.trim().toUpperCase();
    if (marker === 'BEGIN:VCARD') {
      if (current) strays.push(current.line);
      current = { line: index + 1, lines: [line] };
    } else if (current) {
      current.lines.push(line);
      if (marker === 'END:VCARD') {
        cards.push({ line: current.line, text: `${current.lines.join('\r\n')}\r\n` });
        current = undefined;
      }
    } else if (marker) strays.push(index + 1);
  });
  if (current) strays.push(current.line);
  return { cards, strays };
}

const text = (value: unknown) =>
  (Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : '').trim();
const preference = (property: ICAL.Property) => Number(property.getParameter('pref')) || 100;
const types = (property: ICAL.Property) =>
  [property.getParameter('type') ?? []].flat().map((type) => String(type).toLowerCase());
const byPreference = (properties: ICAL.Property[]) => [...properties].sort((a, b) => preference(a) - preference(b));

/**
 * The customer fields a card carries, named as an import maps them (givenName, emails, city…).
 * vCard 3.0 cards read the same way. Throws when ical.js cannot parse the card.
 */
export function vCardFields(cardText: string): Map<string, string | string[]> {
  const card = new ICAL.Component(ICAL.parse(cardText) as unknown[]);
  const values = new Map<string, string | string[]>();
  const set = (field: string, value: string | string[] | undefined) => {
    if (value && value.length) values.set(field, value);
  };
  const first = (name: string) => byPreference(card.getAllProperties(name))[0];
  const kind = text(card.getFirstPropertyValue('kind'));
  set('kind', kind === 'org' ? 'organization' : kind || undefined);
  const name = first('n')?.getFirstValue() as unknown[] | string | undefined;
  const parts = Array.isArray(name) ? name : [name];
  set('familyName', text(parts[0]));
  set('givenName', [text(parts[1]), text(parts[2])].filter(Boolean).join(' '));
  set('name', text(card.getFirstPropertyValue('fn')));
  const organization = first('org')?.getFirstValue() as unknown[] | string | undefined;
  set('organizationName', text(Array.isArray(organization) ? organization[0] : organization));
  set(
    'emails',
    byPreference(card.getAllProperties('email'))
      .map((property) => text(property.getFirstValue()).replace(/^mailto:/i, ''))
      .filter(Boolean),
  );
  const phones = card.getAllProperties('tel').map((property) => ({
    property,
    number: text(property.getFirstValue()).replace(/^tel:/i, '').split(';')[0]!.trim(),
  }));
  set(
    'phones',
    phones
      .filter(({ property }) => !types(property).includes('fax'))
      .sort((a, b) => preference(a.property) - preference(b.property))
      .map(({ number }) => number)
      .filter(Boolean),
  );
  set('fax', phones.find(({ property }) => types(property).includes('fax'))?.number);
  const address = first('adr')?.getFirstValue() as unknown[] | undefined;
  if (Array.isArray(address)) {
    const [, extended, street, city, region, postalCode, country] = address.map((part) =>
      (Array.isArray(part) ? part.join('\n') : String(part ?? '')).trim(),
    );
    const lines = [...(street ?? '').split('\n'), extended ?? ''].map((line) => line.trim()).filter(Boolean);
    set('addressLine1', lines[0]);
    set('addressLine2', lines.slice(1).join(', '));
    set('postalCode', postalCode);
    set('city', city);
    set('region', region);
    set('country', country);
  }
  set('language', text(first('lang')?.getFirstValue()));
  const zone = text(card.getFirstPropertyValue('tz'));
  if (/^[A-Za-z_]+\/[A-Za-z_/+-]+$|^UTC$/.test(zone)) set('timeZone', zone);
  set(
    'tags',
    card
      .getAllProperties('categories')
      .flatMap((property) => property.getValues().map(text))
      .filter(Boolean),
  );
  return values;
}

const properties: Record<string, string> = {
  kind: 'KIND',
  name: 'FN',
  givenName: 'N',
  familyName: 'N',
  organizationName: 'ORG',
  emails: 'EMAIL',
  phones: 'TEL',
  fax: 'TEL;TYPE=fax',
  language: 'LANG',
  timeZone: 'TZ',
  tags: 'CATEGORIES',
};

/** The vCard property a customer field was read from, for telling the user which one is wrong. */
export const vCardPropertyOf = (field: string) =>
  properties[field] ?? (/^(addressLine|postalCode|city|region|country)/.test(field) ? 'ADR' : field);
