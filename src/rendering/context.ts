import type { RenderLocale } from './filters.js';
import type { Brand, PostalAddress, RenderContext } from './types.js';

const hexColor = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const defaultColors = { primary: '#1d4ed8', accent: '#1d4ed8', text: '#1f2937' };

/** Brand colours end up in style attributes and PDF operators: anything but a hex colour falls back. */
export function brandColors(brand: Brand): { primary: string; accent: string; text: string } {
  const pick = (value: string, fallback: string) => (hexColor.test(value) ? value : fallback);
  return {
    primary: pick(brand.colors.primary, defaultColors.primary),
    accent: pick(brand.colors.accent, defaultColors.accent),
    text: pick(brand.colors.text, defaultColors.text),
  };
}

/** The inline image name the email layout (and an author's MJML, as {{ brand.logo }}) uses for the logo. */
export const logoCid = 'brand-logo@tidings';

/** What templates see of the brand: no logo bytes, colours already checked. */
const brandViews = new WeakMap<Brand, Record<string, unknown>>();

export function brandView(brand: Brand): Record<string, unknown> {
  let view = brandViews.get(brand);
  if (!view) {
    const { logo, colors: _colors, ...rest } = brand;
    view = { ...rest, colors: brandColors(brand), ...(logo ? { logo: `cid:${logoCid}` } : {}) };
    brandViews.set(brand, view);
  }
  return view;
}

/** The variables a template reads; `contact` exists only when the communication has one. */
export function templateScope(ctx: RenderContext): Record<string, unknown> {
  const scope: Record<string, unknown> = {
    customer: ctx.customer,
    brand: brandView(ctx.brand),
    data: ctx.data,
    language: ctx.language,
    timeZone: ctx.timeZone,
    now: ctx.now,
  };
  if (ctx.contact) scope.contact = ctx.contact;
  return scope;
}

export const renderLocaleOf = (ctx: RenderContext): RenderLocale => ({
  language: ctx.language,
  timeZone: ctx.timeZone,
  now: ctx.now,
  senderCountry: ctx.brand.returnAddress.country,
});

/** An address on one line: "Hauptstr. 1 · 10115 Berlin". */
export function addressLine(address: PostalAddress, separator = ' · '): string {
  return [...address.lines, [address.postalCode, address.city].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(separator);
}

/** The return address above a letter's window: "Tidings GmbH · Hauptstr. 1 · 10115 Berlin". */
export const returnAddressLine = (brand: Brand): string => `${brand.companyName} · ${addressLine(brand.returnAddress)}`;
