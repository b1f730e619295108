import type { PostalAddress } from './types.js';

type LocalityFormat = (address: PostalAddress) => string[];

const postalCodeFirst: LocalityFormat = (a) => [[a.postalCode, a.city].filter(Boolean).join(' ')];

/** How the last lines of an address read, by country; most of Europe writes "10115 Berlin". */
const localityFormats: Record<string, LocalityFormat> = {
  GB: (a) => [a.city.toUpperCase(), a.postalCode].filter(Boolean),
  IE: (a) => [a.city, a.region ?? '', a.postalCode].filter(Boolean),
  US: (a) => [`${a.city}, ${[a.region, a.postalCode].filter(Boolean).join(' ')}`],
  CA: (a) => [[a.city, a.region, a.postalCode].filter(Boolean).join(' ')],
  AU: (a) => [[a.city.toUpperCase(), a.region, a.postalCode].filter(Boolean).join(' ')],
  IT: (a) => [[a.postalCode, a.city, a.region].filter(Boolean).join(' ')],
};

const countryNames = new Intl.DisplayNames(['en'], { type: 'region' });

const isPostalAddress = (value: unknown): value is PostalAddress => {
  if (!value || typeof value !== 'object') return false;
  const a = value as Record<string, unknown>;
  return Array.isArray(a.lines) && typeof a.city === 'string' && typeof a.country === 'string';
};

/**
 * The lines of a postal address in the destination country's usual order. Abroad, the country
 * goes last in capitals and in English, which the Universal Postal Union accepts everywhere.
 */
export function postalAddressLines(address: PostalAddress, senderCountry?: string): string[] {
  const country = address.country.toUpperCase();
  const locality = (localityFormats[country] ?? postalCodeFirst)({ ...address, postalCode: address.postalCode ?? '' });
  const lines = [...address.lines.filter((line) => line.trim() !== ''), ...locality];
  if (senderCountry && senderCountry.toUpperCase() !== country)
    lines.push((countryNames.of(country) ?? country).toUpperCase());
  return lines;
}

/** Reads an address handed to the `address` filter, or says what is wrong with it. */
export function readPostalAddress(value: unknown): PostalAddress {
  if (isPostalAddress(value)) return { ...value, lines: value.lines.map(String) };
  throw new Error('address: expects an address with lines, postalCode, city and country');
}
