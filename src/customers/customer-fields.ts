import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { ErrorDetail } from '../shared/errors.js';
import type { AttributeType } from './customers.tables.js';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
export const isEmail = (value: string) => EMAIL.test(value.trim());

/** E.164 for a number written in any common way; the customer's country decides numbers without a +. */
export function normalizePhone(input: string, defaultCountry?: string): string | undefined {
  const parsed = parsePhoneNumberFromString(input.trim(), (defaultCountry?.toUpperCase() as CountryCode) || undefined);
  return parsed?.isValid() ? parsed.number : undefined;
}

/** Whether an E.164 number can receive text messages (mobile, or a kind we cannot rule out). */
export function canReceiveSms(e164: string): boolean {
  const type = parsePhoneNumberFromString(e164)?.getType();
  return type === undefined || type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' || type === 'PERSONAL_NUMBER';
}

const knownZones = new Map<string, boolean>();

/** Cached: building a formatter to test a zone costs ~80 µs, and imports ask for every row. */
export function isTimeZone(zone: string): boolean {
  let known = knownZones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    if (knownZones.size < 1000) knownZones.set(zone, known);
  }
  return known;
}

export function displayName(fields: {
  kind: string;
  givenName?: string | null;
  familyName?: string | null;
  organizationName?: string | null;
}) {
  if (fields.kind === 'organization') return fields.organizationName?.trim() ?? '';
  return [fields.givenName, fields.familyName]
    .filter((part) => part && part.trim())
    .join(' ')
    .trim();
}

export type AttributeDefinition = { key: string; label: string; type: AttributeType; choices: string[] };

/**
 * Checks custom attribute values against their definitions and returns them typed
 * (numbers as numbers, dates as YYYY-MM-DD), with one problem per bad field.
 */
export function coerceAttributes(
  values: Record<string, unknown>,
  definitions: AttributeDefinition[],
  pathPrefix = 'attributes',
): { values: Record<string, string | number>; problems: ErrorDetail[] } {
  const byKey = new Map(definitions.map((definition) => [definition.key, definition]));
  const result: Record<string, string | number> = {};
  const problems: ErrorDetail[] = [];
  for (const [key, raw] of Object.entries(values)) {
    const path = `${pathPrefix}.${key}`;
    const definition = byKey.get(key);
    if (!definition) {
      problems.push({ path, message: `is not a defined attribute (known: ${[...byKey.keys()].join(', ') || 'none'})` });
      continue;
    }
    if (raw === null || raw === undefined || raw === '') continue;
    const text = String(raw).trim();
    switch (definition.type) {
      case 'number': {
        const number = typeof raw === 'number' ? raw : Number(text);
        if (!Number.isFinite(number)) problems.push({ path, message: `must be a number, not "${text}"` });
        else result[key] = number;
        break;
      }
      case 'date': {
        const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : undefined;
        if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) {
          problems.push({ path, message: `must be a date as YYYY-MM-DD, not "${text}"` });
        } else result[key] = text;
        break;
      }
      case 'choice':
        if (!definition.choices.includes(text))
          problems.push({ path, message: `must be one of ${definition.choices.join(', ')}` });
        else result[key] = text;
        break;
      default:
        result[key] = text;
    }
  }
  return { values: result, problems };
}
