import { DataTable } from '../../ui/data-table.js';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Field, FormError, formErrors, submitWith, useSubmission } from '../../ui/form.js';
import { formatNumber } from '../../ui/format.js';
import { useApiData } from '../../ui/use-api-data.js';
import {
  importStatusLabels,
  importsApi,
  isVCardFile,
  type CustomerImport,
  type UploadedImport,
  type VCardImport,
} from './imports.api.js';

function RecentImports() {
  const recent = useApiData<{ imports: CustomerImport[] }>(importsApi.listPath);
  const imports = recent.data?.imports ?? [];
  if (imports.length === 0) return null;
  return (
    <section className="card" aria-labelledby="recent-imports-heading">
      <h2 id="recent-imports-heading">Recent imports</h2>
      <DataTable
        compact
        rows={imports}
        rowKey={(item) => item.id}
        columns={(column) => [
          {
            header: 'File',
            cell: (item) => (
              <>
                <Link to={`/customers/import?import=${item.id}`}>{item.fileName}</Link>
                {item.dryRun && <span className="tag">dry run</span>}
              </>
            ),
          },
          { header: 'Status', cell: (item) => importStatusLabels[item.status] },
          { header: 'Inserted', numeric: true, cell: (item) => formatNumber(item.inserted) },
          { header: 'Updated', numeric: true, cell: (item) => formatNumber(item.updated) },
          { header: 'Rejected', numeric: true, cell: (item) => formatNumber(item.rejected) },
          column.date('Started', (item) => item.createdAt),
        ]}
      />
    </section>
  );
}

type Props = { onUploaded: (upload: UploadedImport) => void; onVCardsImported: (result: VCardImport) => void };

/** Step 1: a CSV file goes up for mapping; a vCard file is imported at once. */
export function ChooseFileStep({ onUploaded, onVCardsImported }: Props) {
  const [file, setFile] = useState<File | null>(null);
  const submission = useSubmission(async () => {
    if (!file) return;
    if (isVCardFile(file)) onVCardsImported(await importsApi.importVCards(file));
    else onUploaded(await importsApi.upload(file));
  });
  const errors = formErrors(submission.error, []);
  const submit = submitWith(submission.run);
  return (
    <div className="stack">
      <form className="card form narrow-form" onSubmit={submit}>
        <FormError message={errors.general} />
        <Field
          label="File to import"
          htmlFor="import-file"
          hint="A CSV file in UTF-8 with a header row, such as an export from Tidings or a spreadsheet; or a vCard file (.vcf), imported at once."
        >
          <input
            id="import-file"
            type="file"
            accept=".csv,.vcf,text/csv,text/vcard"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={!file || submission.saving}>
            {submission.saving ? 'Uploading…' : file && isVCardFile(file) ? 'Import vCards' : 'Upload and map columns'}
          </button>
        </div>
      </form>
      <RecentImports />
    </div>
  );
}
