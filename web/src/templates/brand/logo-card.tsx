import { useState } from 'react';
import { FormError, RunButton, useSubmission } from '../../ui/form.js';
import { messageOf } from '../../ui/states.js';
import { forgetBrandLogo } from '../preview/channel-previews.js';
import { brandApi, type BrandKit } from '../studio.api.js';

const MAX_BYTES = 2 * 1024 * 1024;

/** The logo on letters and emails: the current one, and a new PNG or JPEG shown before it is uploaded. */
export function LogoCard({
  brand,
  canManage,
  onUploaded,
}: {
  brand: BrandKit;
  canManage: boolean;
  onUploaded: (brand: BrandKit) => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // A new key empties the file input once its file is uploaded.
  const [inputKey, setInputKey] = useState(0);
  const upload = useSubmission(async () => {
    if (!file) return;
    onUploaded(await brandApi.uploadLogo(file));
    forgetBrandLogo();
    setFile(null);
    setPreview(null);
    setInputKey((count) => count + 1);
  });

  const choose = (chosen: File | undefined) => {
    setProblem(null);
    setFile(null);
    setPreview(null);
    if (!chosen) return;
    if (!['image/png', 'image/jpeg'].includes(chosen.type)) return setProblem('Choose a PNG or JPEG image.');
    if (chosen.size > MAX_BYTES) return setProblem('The logo must be at most 2 MB.');
    setFile(chosen);
    const reader = new FileReader();
    reader.onload = () => setPreview(typeof reader.result === 'string' ? reader.result : null);
    reader.readAsDataURL(chosen);
  };

  const current = brand.logoSha256 ? `${brandApi.logoPath}?v=${brand.logoSha256}` : null;
  return (
    <section className="card form" aria-label="Logo">
      <h2>Logo</h2>
      <div className="logo-frame">
        {preview ? (
          <img src={preview} alt="New logo, not uploaded yet" />
        ) : current ? (
          <img src={current} alt={`${brand.companyName} logo`} />
        ) : (
          <span className="muted">No logo yet</span>
        )}
      </div>
      {canManage && (
        <>
          <div className="field">
            <label htmlFor="logo-file">Choose a logo</label>
            <input
              key={inputKey}
              id="logo-file"
              type="file"
              accept="image/png,image/jpeg"
              onChange={(event) => choose(event.target.files?.[0])}
            />
            <p className="field-hint">PNG or JPEG, at most 2 MB. It appears on letters, faxes and emails.</p>
          </div>
          <FormError message={problem ?? (upload.error === undefined ? null : messageOf(upload.error))} />
          <div className="form-actions">
            <RunButton primary submission={upload} disabled={!file} label="Upload logo" busyLabel="Uploading…" />
          </div>
        </>
      )}
    </section>
  );
}
