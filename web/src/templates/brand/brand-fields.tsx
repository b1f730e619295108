import type { ReactNode } from 'react';
import { Options } from '../../ui/choices.js';
import { Field } from '../../ui/form.js';
import type { BrandFont } from '../studio.api.js';

export type BrandForm = {
  companyName: string;
  colors: { primary: string; accent: string; text: string };
  font: BrandFont;
  emailFrom: string;
  emailName: string;
  replyTo: string;
  smsSender: string;
  faxNumber: string;
  addressLines: string;
  postalCode: string;
  city: string;
  region: string;
  country: string;
  website: string;
  legalFooter: string;
  currency: string;
};

const fonts: { value: BrandFont; label: string; css: string }[] = [
  { value: 'Helvetica', label: 'Helvetica (sans-serif)', css: 'Helvetica, Arial, sans-serif' },
  { value: 'Times-Roman', label: 'Times (serif)', css: "'Times New Roman', Times, serif" },
  { value: 'Courier', label: 'Courier (monospace)', css: "'Courier New', Courier, monospace" },
];

const colorNames = [
  { key: 'primary', label: 'Primary colour' },
  { key: 'accent', label: 'Accent colour' },
  { key: 'text', label: 'Text colour' },
] as const;

type TextKey = Exclude<keyof BrandForm, 'colors' | 'font' | 'currency'>;

const currencyNames = new Intl.DisplayNames(undefined, { type: 'currency' });
/** Every ISO 4217 currency the browser knows, by code, with its name. */
const currencies = Intl.supportedValuesOf('currency').map((code) => ({
  code,
  label: `${code} · ${currencyNames.of(code) ?? code}`,
}));

/** Every brand kit field; `errors` are keyed by the API's paths (`senders.emailFrom`). */
export function BrandFields({
  form,
  onChange,
  errors,
}: {
  form: BrandForm;
  onChange: (form: BrandForm) => void;
  errors: Record<string, string>;
}) {
  const text = (
    key: TextKey,
    label: string,
    path: string,
    props: { type?: string; required?: boolean; hint?: ReactNode; placeholder?: string } = {},
  ) => (
    <Field label={label} htmlFor={`brand-${key}`} error={errors[path]} hint={props.hint}>
      <input
        id={`brand-${key}`}
        type={props.type ?? 'text'}
        required={props.required}
        placeholder={props.placeholder}
        value={form[key]}
        onChange={(event) => onChange({ ...form, [key]: event.target.value })}
      />
    </Field>
  );
  const font = fonts.find((candidate) => candidate.value === form.font) ?? fonts[0]!;
  return (
    <div className="stack">
      <section className="card form" aria-label="Company">
        <h2>Company</h2>
        {text('companyName', 'Company name', 'companyName', { required: true })}
        {text('website', 'Website', 'website', { type: 'url', placeholder: 'https://example.com' })}
        <Field
          label="Legal footer"
          htmlFor="brand-legalFooter"
          error={errors.legalFooter}
          hint="Printed at the foot of every letter and email."
        >
          <textarea
            id="brand-legalFooter"
            rows={3}
            value={form.legalFooter}
            onChange={(event) => onChange({ ...form, legalFooter: event.target.value })}
          />
        </Field>
        <Field
          label="Currency"
          htmlFor="brand-currency"
          error={errors.currency}
          hint="Channel rates and the costs of communications and runs are shown in it."
        >
          <select
            id="brand-currency"
            value={form.currency}
            onChange={(event) => onChange({ ...form, currency: event.target.value })}
          >
            {!currencies.some((candidate) => candidate.code === form.currency) && (
              <option value={form.currency}>{form.currency}</option>
            )}
            <Options choices={currencies.map((candidate) => ({ value: candidate.code, label: candidate.label }))} />
          </select>
        </Field>
      </section>

      <section className="card form" aria-label="Look">
        <h2>Look</h2>
        <div className="form-row">
          {colorNames.map(({ key, label }) => (
            <Field key={key} label={label} htmlFor={`brand-color-${key}`} error={errors[`colors.${key}`]}>
              <span className="color-input">
                <input
                  id={`brand-color-${key}`}
                  type="color"
                  value={form.colors[key]}
                  onChange={(event) => onChange({ ...form, colors: { ...form.colors, [key]: event.target.value } })}
                />
                <code>{form.colors[key]}</code>
              </span>
            </Field>
          ))}
        </div>
        <Field label="Font" htmlFor="brand-font" error={errors.font}>
          <select
            id="brand-font"
            value={form.font}
            onChange={(event) => onChange({ ...form, font: event.target.value as BrandFont })}
          >
            <Options choices={fonts} />
          </select>
        </Field>
        <div
          className="brand-sample"
          style={{ fontFamily: font.css, color: form.colors.text, borderTopColor: form.colors.primary }}
          aria-label="Sample of the look"
        >
          <strong style={{ color: form.colors.primary }}>{form.companyName || 'Your company'}</strong>
          <span>
            Dear customer, this is how your letters read.{' '}
            <span style={{ color: form.colors.accent }}>An accent stands out.</span>
          </span>
        </div>
      </section>

      <section className="card form" aria-label="Senders">
        <h2>Senders</h2>
        <div className="form-row">
          {text('emailName', 'Email sender name', 'senders.emailName', { required: true })}
          {text('emailFrom', 'Email from address', 'senders.emailFrom', { type: 'email', required: true })}
        </div>
        <div className="form-row">
          {text('replyTo', 'Reply-to address', 'senders.replyTo', {
            type: 'email',
            hint: 'Optional; replies go to the from address without it.',
          })}
          {text('smsSender', 'SMS sender', 'senders.smsSender', { required: true, hint: 'At most 11 characters.' })}
          {text('faxNumber', 'Fax number', 'senders.faxNumber')}
        </div>
      </section>

      <section className="card form" aria-label="Return address">
        <h2>Return address</h2>
        <Field
          label="Street lines"
          htmlFor="brand-addressLines"
          error={errors['returnAddress.lines']}
          hint="One line each, at most four."
        >
          <textarea
            id="brand-addressLines"
            rows={2}
            value={form.addressLines}
            onChange={(event) => onChange({ ...form, addressLines: event.target.value })}
          />
        </Field>
        <div className="form-row">
          {text('postalCode', 'Postal code', 'returnAddress.postalCode')}
          {text('city', 'City', 'returnAddress.city', { required: true })}
          {text('region', 'Region', 'returnAddress.region')}
          {text('country', 'Country', 'returnAddress.country', { required: true, hint: 'Two letters, such as DE.' })}
        </div>
      </section>
    </div>
  );
}
