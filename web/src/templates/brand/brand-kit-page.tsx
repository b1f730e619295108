import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.js';
import { useSignedInUser } from '../../auth/session.js';
import { FormError } from '../../ui/form.js';
import { formatDateTime } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { Loaded, messageOf, Notice } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { currencyChanged } from '../../ui/use-currency.js';
import {} from '../template-vocabulary.js';
import { may } from '../../ui/permissions.js';
import { brandApi, type BrandKit, type BrandKitInput } from '../studio.api.js';
import { BrandFields, type BrandForm } from './brand-fields.js';
import { LogoCard } from './logo-card.js';

const formOf = (brand: BrandKit): BrandForm => ({
  companyName: brand.companyName,
  colors: { ...brand.colors },
  font: brand.font,
  emailFrom: brand.senders.emailFrom,
  emailName: brand.senders.emailName,
  replyTo: brand.senders.replyTo ?? '',
  smsSender: brand.senders.smsSender,
  faxNumber: brand.senders.faxNumber ?? '',
  addressLines: brand.returnAddress.lines.join('\n'),
  postalCode: brand.returnAddress.postalCode,
  city: brand.returnAddress.city,
  region: brand.returnAddress.region ?? '',
  country: brand.returnAddress.country,
  website: brand.website ?? '',
  legalFooter: brand.legalFooter ?? '',
  currency: brand.currency,
});

const optional = (text: string) => (text.trim() === '' ? undefined : text.trim());

const inputOf = (form: BrandForm): BrandKitInput => ({
  companyName: form.companyName,
  colors: form.colors,
  font: form.font,
  senders: {
    emailFrom: form.emailFrom.trim(),
    emailName: form.emailName,
    replyTo: optional(form.replyTo),
    smsSender: form.smsSender,
    faxNumber: optional(form.faxNumber),
  },
  returnAddress: {
    lines: form.addressLines
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
    postalCode: form.postalCode.trim(),
    city: form.city.trim(),
    region: optional(form.region),
    country: form.country.trim().toUpperCase(),
  },
  website: optional(form.website) ?? null,
  legalFooter: optional(form.legalFooter) ?? null,
  currency: form.currency,
});

/** Server paths name nested fields (`senders.emailFrom`); the form's fields use the same names. */
function problemsOf(error: unknown): { fields: Record<string, string>; general: string | null } {
  if (error === undefined) return { fields: {}, general: null };
  if (!(error instanceof ApiError) || error.details.length === 0) return { fields: {}, general: messageOf(error) };
  const fields: Record<string, string> = {};
  for (const detail of error.details)
    fields[detail.path.replace(/^body\./, '').replace(/^returnAddress\.lines.*/, 'returnAddress.lines')] ??=
      detail.message;
  return { fields, general: 'Some fields need a change; see below.' };
}

function BrandKitForm({
  brand,
  canManage,
  onSaved,
}: {
  brand: BrandKit;
  canManage: boolean;
  onSaved: (brand: BrandKit) => void;
}) {
  const [form, setForm] = useState(() => formOf(brand));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    setNotice(null);
    try {
      const saved = await brandApi.update(inputOf(form));
      onSaved(saved);
      currencyChanged(saved.currency);
      setNotice('Brand kit saved. Previews and new sends use it from now on.');
    } catch (failure) {
      setError(failure);
    } finally {
      setSaving(false);
    }
  };
  const problems = problemsOf(error);
  return (
    <form onSubmit={submit} className="brand-form">
      {notice && <Notice tone="success">{notice}</Notice>}
      <FormError message={problems.general} />
      <fieldset disabled={!canManage} className="plain-fieldset">
        <BrandFields form={form} onChange={setForm} errors={problems.fields} />
      </fieldset>
      {canManage && (
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save brand kit'}
          </button>
        </div>
      )}
    </form>
  );
}

/** The company's look and senders, used by every rendered letter, email, SMS, fax and portal message. */
export function BrandKitPage() {
  const user = useSignedInUser();
  const brand = useApiData<BrandKit>(brandApi.path);
  const canManage = may(user, 'brand.manage');
  return (
    <>
      <PageHeader
        title="Brand kit"
        description={
          <>
            Company name, colours, font, senders and return address that every channel renders with.
            {brand.data && new Date(brand.data.updatedAt).getTime() > 0 && (
              <> Last changed {formatDateTime(brand.data.updatedAt)}.</>
            )}
            {!canManage && ' Managers and admins change it.'}
          </>
        }
      />
      <Loaded what="the brand kit" data={brand.data} error={brand.error} onRetry={brand.reload}>
        {(data) => (
          <div className="review">
            <div className="review-main">
              <BrandKitForm brand={data} canManage={canManage} onSaved={brand.replace} />
            </div>
            <aside className="review-side">
              <LogoCard brand={data} canManage={canManage} onUploaded={brand.replace} />
            </aside>
          </div>
        )}
      </Loaded>
    </>
  );
}
