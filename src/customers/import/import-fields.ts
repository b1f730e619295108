import type { ErrorDetail } from '../../shared/errors.js';
import type { AttributeDefinition } from '../customer-fields.js';
import { channels, purposes, type Channel, type Purpose } from '../customers.tables.js';

/** The customer fields a column can be mapped to, with the label the import wizard shows. */
export const standardFields = {
  kind: 'Kind (person or organization)',
  name: 'Full name',
  givenName: 'Given name',
  familyName: 'Family name',
  organizationName: 'Organization',
  email: 'Email (primary)',
  email2: 'Second email',
  emails: 'Emails (separated by ;)',
  phone: 'Phone',
  mobile: 'Mobile phone',
  phones: 'Phones (separated by ;)',
  fax: 'Fax',
  addressLine1: 'Street and number',
  addressLine2: 'Address line 2',
  postalCode: 'Postal code',
  city: 'City',
  region: 'Region or state',
  country: 'Country',
  language: 'Language',
  timeZone: 'Time zone',
  lifecycleStage: 'Lifecycle stage',
  tags: 'Tags (separated by ; or ,)',
  externalId: 'External id',
} as const;

export type StandardField = keyof typeof standardFields;

export type MappedField =
  | { kind: 'standard'; field: StandardField }
  | { kind: 'attribute'; key: string }
  | { kind: 'consent'; channel: Channel; purpose: Purpose };

export const upsertKeys = ['email', 'external_id'] as const;
export type UpsertKey = (typeof upsertKeys)[number];

/**
 * upsert: a row updates the customer its key matches, and adds a new customer otherwise (also when it
 * has no key). insert: every row adds a new customer; a row whose key a stored customer has is refused.
 */
export const importModes = ['upsert', 'insert'] as const;
export type ImportMode = (typeof importModes)[number];

const isStandard = (field: string): field is StandardField => Object.hasOwn(standardFields, field);

/** Every field a column may be mapped to right now: the standard ones, each defined attribute, each consent. */
export function mappableFields(definitions: AttributeDefinition[]) {
  return [
    ...Object.entries(standardFields).map(([field, label]) => ({ field, label })),
    ...definitions.map((definition) => ({ field: `attributes.${definition.key}`, label: definition.label })),
    ...channels.flatMap((channel) =>
      purposes.map((purpose) => ({
        field: `consent.${channel}.${purpose}`,
        label: `Consent: ${purpose} by ${channel} (yes/no)`,
      })),
    ),
  ];
}

export function parseField(field: string, definitions: AttributeDefinition[]): MappedField | undefined {
  if (isStandard(field)) return { kind: 'standard', field };
  const [head, ...rest] = field.split('.');
  if (head === 'attributes' && rest.length === 1 && definitions.some((definition) => definition.key === rest[0]))
    return { kind: 'attribute', key: rest[0]! };
  if (head === 'consent' && rest.length === 2) {
    const [channel, purpose] = rest as [Channel, Purpose];
    if (channels.includes(channel) && purposes.includes(purpose)) return { kind: 'consent', channel, purpose };
  }
  return undefined;
}

const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Header spellings people commonly use for a field, besides its own name and label. */
const synonyms: Partial<Record<StandardField, string[]>> = {
  name: ['fullname', 'contactname'],
  givenName: ['firstname', 'forename', 'given'],
  familyName: ['lastname', 'surname', 'family'],
  organizationName: ['company', 'companyname', 'organisation', 'org'],
  email: ['mail', 'emailaddress'],
  phone: ['telephone', 'tel', 'phonenumber'],
  mobile: ['cell', 'cellphone', 'mobilephone', 'mobilenumber'],
  addressLine1: ['street', 'address', 'streetaddress', 'address1'],
  addressLine2: ['address2'],
  postalCode: ['zip', 'zipcode', 'postcode'],
  region: ['state', 'province'],
  lifecycleStage: ['stage', 'lifecycle'],
  externalId: ['customerid', 'customernumber', 'externalid'],
  timeZone: ['timezone', 'tz'],
};

/** A first guess at the mapping from the header row, so a file exported by Tidings maps itself. */
export function suggestMapping(columns: string[], definitions: AttributeDefinition[]): Record<string, string> {
  const byName = new Map<string, string>();
  for (const { field, label } of mappableFields(definitions)) {
    for (const name of [field, label]) if (!byName.has(squash(name))) byName.set(squash(name), field);
  }
  for (const [field, names] of Object.entries(synonyms))
    for (const name of names) if (!byName.has(name)) byName.set(name, field);
  const mapping: Record<string, string> = {};
  const taken = new Set<string>();
  for (const column of columns) {
    const field = byName.get(squash(column));
    if (field && !taken.has(field)) {
      mapping[column] = field;
      taken.add(field);
    }
  }
  return mapping;
}

/**
 * Checks a mapping against the file's header and today's fields. Returns the parsed mapping as
 * column index → field, and one problem per bad entry.
 */
export function resolveMapping(
  mapping: Record<string, string>,
  columns: string[],
  definitions: AttributeDefinition[],
  upsertBy: UpsertKey,
  mode: ImportMode,
) {
  const problems: ErrorDetail[] = [];
  const resolved: { index: number; column: string; field: string; parsed: MappedField }[] = [];
  const columnOfField = new Map<string, string>();
  for (const [column, field] of Object.entries(mapping)) {
    const path = `mapping.${column}`;
    const index = columns.indexOf(column);
    const parsed = parseField(field, definitions);
    if (index < 0) problems.push({ path, message: `is not a column of the file (its columns: ${columns.join(', ')})` });
    else if (!parsed)
      problems.push({ path, message: `"${field}" is not a field customers have (for attributes, define them first)` });
    else if (columnOfField.has(field))
      problems.push({ path, message: `maps to ${field}, which column "${columnOfField.get(field)}" already fills` });
    else {
      columnOfField.set(field, column);
      resolved.push({ index, column, field, parsed });
    }
  }
  const keyFields = upsertBy === 'email' ? ['email', 'emails'] : ['externalId'];
  if (mode === 'upsert' && !keyFields.some((field) => columnOfField.has(field))) {
    problems.push({
      path: 'upsertBy',
      message: `matching by ${upsertBy} needs a column mapped to ${keyFields.join(' or ')} (or import every row as a new customer)`,
    });
  }
  return { resolved, problems };
}
