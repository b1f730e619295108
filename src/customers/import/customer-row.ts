import { customerColumns } from '../customer-input.js';
import type { AttributeDefinition } from '../customer-fields.js';
import { createCustomerBody } from '../customers.schemas.js';
import type { Channel, CustomerKind, LifecycleStage, PostalAddress, Purpose } from '../customers.tables.js';

/** One row's values by field name ("email", "attributes.tariff", "consent.email.marketing"); blanks left out. */
export type FieldValues = Map<string, string | string[]>;

/** A customer as an import sees and changes it; the three with database defaults stay unset on new ones. */
export type CustomerState = {
  kind: CustomerKind;
  name: string;
  givenName: string | null;
  familyName: string | null;
  organizationName: string | null;
  emails: string[];
  phones: string[];
  fax: string | null;
  address: PostalAddress | null;
  language?: string;
  timeZone?: string;
  lifecycleStage?: LifecycleStage;
  tags: string[];
  attributes: Record<string, string | number>;
  externalId: string | null;
};

const stateKeys = [
  'name',
  'givenName',
  'familyName',
  'organizationName',
  'emails',
  'phones',
  'fax',
  'address',
  'language',
  'timeZone',
  'lifecycleStage',
  'tags',
  'externalId',
] as const satisfies (keyof CustomerState)[];

export type RowProblem = { field: string; reason: string };
export type ConsentValue = { channel: Channel; purpose: Purpose; granted: boolean };

export const newCustomerState = (kind: CustomerKind): CustomerState => ({
  kind,
  name: '',
  givenName: null,
  familyName: null,
  organizationName: null,
  emails: [],
  phones: [],
  fax: null,
  address: null,
  tags: [],
  attributes: {},
  externalId: null,
});

/**
 * Stands in, while a file is validated, for a customer an earlier batch of the same file adds: that
 * customer is not stored yet, so a later row for it is checked on its own values, as a change of a
 * named customer of that kind, with an address in that country if it has one (an address is stored
 * only whole: a street and a city); how the rows combine is checked again when they are written.
 */
export function addedEarlierInFile(kind: CustomerKind, country: string | undefined): CustomerState {
  const name = 'a customer added earlier in the file';
  const state = {
    ...newCustomerState(kind),
    name,
    address: country ? { lines: [name], postalCode: '', city: name, country } : null,
  };
  return kind === 'person' ? { ...state, familyName: name } : { ...state, organizationName: name };
}

const kinds: Record<string, CustomerKind> = {
  person: 'person',
  individual: 'person',
  organization: 'organization',
  organisation: 'organization',
  org: 'organization',
  company: 'organization',
};
const yes = new Set(['yes', 'y', 'true', '1', 'granted', 'ja', 'x']);
const no = new Set(['no', 'n', 'false', '0', 'withdrawn', 'nein']);

const countryNames = (() => {
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  const byName = new Map<string, string>();
  for (let first = 65; first <= 90; first++) {
    for (let second = 65; second <= 90; second++) {
      const code = String.fromCharCode(first, second);
      const name = names.of(code);
      if (name && name !== code) byName.set(name.toLowerCase(), code);
    }
  }
  for (const [alias, code] of Object.entries({
    usa: 'US',
    'u.s.a.': 'US',
    uk: 'GB',
    'great britain': 'GB',
    england: 'GB',
    deutschland: 'DE',
    österreich: 'AT',
    schweiz: 'CH',
    holland: 'NL',
  }))
    byName.set(alias, code);
  return byName;
})();

/** ISO code for "de", "DE", "Germany"; anything else is left for validation to refuse. */
export const countryCode = (value: string) =>
  /^[a-z]{2}$/i.test(value) ? value.toUpperCase() : (countryNames.get(value.toLowerCase()) ?? value);

const list = (value: string | string[] | undefined, separator: RegExp) =>
  (Array.isArray(value) ? value : (value?.split(separator) ?? [])).map((item) => item.trim()).filter(Boolean);
const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
/** The addresses an `emails` cell lists, between semicolons, commas or spaces. */
export const emailsIn = (value: string | string[] | undefined) => list(value, /[;,\s]+/);

/** "Anna Maria Schmidt" and "Schmidt, Anna Maria" both give Anna Maria / Schmidt. */
function splitName(name: string) {
  const comma = name.indexOf(',');
  if (comma > 0)
    return { familyName: name.slice(0, comma).trim(), givenName: name.slice(comma + 1).trim() || undefined };
  const space = name.lastIndexOf(' ');
  return space > 0
    ? { givenName: name.slice(0, space).trim(), familyName: name.slice(space + 1) }
    : { familyName: name, givenName: undefined };
}

/** A cell quoted in a reason, cut short: a cell may hold up to a megabyte. */
export const quoted = (value: string) => `"${value.length > 80 ? `${value.slice(0, 80)}…` : value}"`;

const union = (first: string[], second: string[]) => [...new Set([...first, ...second])];

/**
 * Applies one row to a customer's current state (or to a new customer) with the API's rules:
 * the create schema, then `customerColumns` (normalized emails and phones, typed attributes, the
 * name). Blank cells change nothing; emails, phones and tags are added to those already stored.
 */
export function applyRow(
  values: FieldValues,
  current: CustomerState | undefined,
  context: { definitions: AttributeDefinition[]; defaultCountry: string },
) {
  const problems: RowProblem[] = [];
  const get = (field: string) => single(values.get(field));
  const rawKind = get('kind');
  const fileKind = rawKind === undefined ? undefined : kinds[rawKind.toLowerCase()];
  if (rawKind !== undefined && !fileKind)
    problems.push({ field: 'kind', reason: `must be person or organization, not ${quoted(rawKind)}` });
  if (current && fileKind && fileKind !== current.kind)
    problems.push({ field: 'kind', reason: `the customer is already stored as ${current.kind}` });
  const kind = current?.kind ?? fileKind ?? 'person';
  const state = current ?? newCustomerState(kind);

  const nameFields: Record<string, string> = {};
  const fullName = get('name');
  let { givenName, familyName, organizationName } = {
    givenName: get('givenName'),
    familyName: get('familyName'),
    organizationName: get('organizationName'),
  };
  if (fullName && kind === 'person' && !givenName && !familyName) {
    ({ givenName, familyName } = splitName(fullName));
    Object.assign(nameFields, { givenName: 'name', familyName: 'name' });
  }
  if (fullName && kind === 'organization' && !organizationName) {
    organizationName = fullName;
    nameFields.organizationName = 'name';
  }

  const emailFields = ['email', 'email2']
    .filter((field) => get(field))
    .concat(emailsIn(values.get('emails')).map(() => 'emails'));
  const fileEmails = [get('email'), get('email2'), ...emailsIn(values.get('emails'))].filter((email): email is string =>
    Boolean(email),
  );
  const phoneFields = ['phone', 'mobile']
    .filter((field) => get(field))
    .concat(list(values.get('phones'), /[;,]/).map(() => 'phones'));
  const filePhones = [get('phone'), get('mobile'), ...list(values.get('phones'), /[;,]/)].filter(
    (phone): phone is string => Boolean(phone),
  );

  const addressParts = ['addressLine1', 'addressLine2', 'postalCode', 'city', 'region', 'country'];
  let address: PostalAddress | undefined;
  if (addressParts.some((field) => get(field))) {
    const before = state.address;
    const line1 = get('addressLine1') ?? before?.lines[0];
    const rest = get('addressLine2') !== undefined ? [get('addressLine2')!] : (before?.lines.slice(1) ?? []);
    const country = get('country');
    address = {
      lines: [line1, ...rest].filter((line): line is string => Boolean(line)),
      postalCode: get('postalCode') ?? before?.postalCode ?? '',
      city: get('city') ?? before?.city ?? '',
      ...((get('region') ?? before?.region) ? { region: get('region') ?? before?.region } : {}),
      country: country ? countryCode(country) : (before?.country ?? context.defaultCountry),
    };
  }

  const attributes: Record<string, string> = {};
  const consents: ConsentValue[] = [];
  for (const [field, value] of values) {
    const [head, key, purpose] = field.split('.');
    if (head === 'attributes') attributes[key!] = single(value)!;
    if (head !== 'consent') continue;
    const answer = single(value)!.toLowerCase();
    if (yes.has(answer) || no.has(answer))
      consents.push({ channel: key as Channel, purpose: purpose as Purpose, granted: yes.has(answer) });
    else problems.push({ field, reason: `must be yes or no (or true/false, 1/0), not ${quoted(single(value)!)}` });
  }

  const language = get('language');
  const input = {
    kind,
    givenName,
    familyName,
    organizationName,
    emails: fileEmails.length ? union(fileEmails, state.emails) : undefined,
    phones: filePhones.length ? union(filePhones, state.phones) : undefined,
    fax: get('fax'),
    address,
    language: language?.replace(/^[^-]+/, (primary) => primary.toLowerCase()),
    timeZone: get('timeZone'),
    lifecycleStage: get('lifecycleStage')
      ?.toLowerCase()
      .replace(/[\s-]+/g, '_'),
    tags: values.has('tags') ? union(state.tags, list(values.get('tags'), /[;,]/)) : undefined,
    attributes: Object.keys(attributes).length ? attributes : undefined,
    externalId: get('externalId'),
  };
  const fieldOf = (path: string) => {
    const [head, second, third] = path.split('.');
    if (head === 'emails') return emailFields[Number(second)] ?? 'email';
    if (head === 'phones') return phoneFields[Number(second)] ?? 'phone';
    if (head === 'address')
      return second === 'lines' ? (third === '0' || third === undefined ? 'addressLine1' : 'addressLine2') : second!;
    if (head === 'attributes') return path;
    return nameFields[head!] ?? head!;
  };
  const parsed = createCustomerBody.safeParse(input);
  const issues = parsed.success ? [] : parsed.error.issues;
  for (const issue of issues) {
    const path = issue.path.join('.');
    const value = issue.path.reduce<unknown>(
      (node, key) => (node as Record<PropertyKey, unknown>)?.[key as PropertyKey],
      input,
    );
    const missing = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
    problems.push({
      field: fieldOf(path),
      reason: missing
        ? 'is required'
        : typeof value === 'string'
          ? `${issue.message}: ${quoted(value)}`
          : issue.message,
    });
  }
  // The rules check the fields the schema let through, so a row's every problem is named at once.
  const failed = new Set(issues.map((issue) => String(issue.path[0])));
  const checked = parsed.success
    ? parsed
    : createCustomerBody.safeParse(Object.fromEntries(Object.entries(input).filter(([key]) => !failed.has(key))));
  if (!checked.success) return { problems };
  const { columns, problems: ruleProblems } = customerColumns(
    checked.data,
    state,
    context.definitions,
    context.defaultCountry,
  );
  const nameFailed = ['givenName', 'familyName', 'organizationName'].some((key) => failed.has(key));
  for (const problem of ruleProblems) {
    const isNameProblem = problem.path === 'familyName' || problem.path === 'organizationName';
    if (!(isNameProblem && nameFailed)) problems.push({ field: fieldOf(problem.path), reason: problem.message });
  }
  if (problems.length) return { problems };

  // Spelled out: a spread followed by many properties costs V8 some 20 µs an object, per row.
  const next: CustomerState = {
    kind: state.kind,
    name: columns.name,
    givenName: columns.givenName ?? null,
    familyName: columns.familyName ?? null,
    organizationName: columns.organizationName ?? null,
    emails: columns.emails ?? state.emails,
    phones: columns.phones ?? state.phones,
    fax: columns.fax === undefined ? state.fax : columns.fax,
    address: columns.address === undefined ? state.address : columns.address,
    language: columns.language ?? state.language,
    timeZone: columns.timeZone ?? state.timeZone,
    lifecycleStage: columns.lifecycleStage ?? state.lifecycleStage,
    tags: columns.tags ?? state.tags,
    attributes: columns.attributes ? Object.assign({}, state.attributes, columns.attributes) : state.attributes,
    externalId: columns.externalId === undefined ? state.externalId : columns.externalId,
  };
  const changed = current ? stateKeys.filter((key) => JSON.stringify(next[key]) !== JSON.stringify(current[key])) : [];
  return { state: next, changed, consents };
}
