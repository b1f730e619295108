import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { NoAccess, PageHeader } from '../../ui/page.js';
import { Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { may } from '../../ui/permissions.js';
import { ChooseFileStep } from './choose-file-step.js';
import {
  finishedStatuses,
  importsApi,
  type CustomerImport,
  type MappableField,
  type UploadedImport,
  type VCardImport,
} from './imports.api.js';
import { MappingStep } from './mapping-step.js';
import { ProgressStep } from './progress-step.js';
import { VCardResult } from './vcard-result.js';

const POLL_EVERY_MS = 1000;
const steps = ['Choose a file', 'Map the columns', 'Import'];

function Steps({ current }: { current: number }) {
  return (
    <ol className="wizard-steps" aria-label="Import steps">
      {steps.map((step, index) => (
        <li
          key={step}
          className={index === current ? 'wizard-step-current' : index < current ? 'wizard-step-done' : undefined}
          aria-current={index === current ? 'step' : undefined}
        >
          <span className="wizard-step-number">{index + 1}</span>
          {step}
        </li>
      ))}
    </ol>
  );
}

/** Steps 2 and 3 for one uploaded import: mapping until it starts, then its progress, polled. */
function UploadedImportSteps({ importId, onDone }: { importId: string; onDone: () => void }) {
  const [remapping, setRemapping] = useState(false);
  const [polling, setPolling] = useState(true);
  const customerImport = useApiData<CustomerImport>(importsApi.importPath(importId), {
    refreshEveryMs: polling ? POLL_EVERY_MS : undefined,
  });
  const current = customerImport.data;
  const mapping = current !== undefined && (current.status === 'uploaded' || remapping);
  const preview = useApiData<UploadedImport>(mapping ? importsApi.previewPath(importId) : null);
  const fields = useApiData<{ fields: MappableField[] }>(mapping ? importsApi.fieldsPath : null);
  const retryMappingData = () => {
    preview.reload();
    fields.reload();
  };
  // Polling stops once the import rests, and starts again when it is started.
  if (current && polling === finishedStatuses.includes(current.status)) setPolling(!polling);

  const started = (next: CustomerImport) => {
    setRemapping(false);
    customerImport.replace(next);
  };

  return (
    <>
      <Steps current={mapping ? 1 : 2} />
      <Loaded what="the import" data={current} error={customerImport.error} onRetry={customerImport.reload}>
        {(loaded) =>
          mapping ? (
            <Loaded
              what="the file's columns"
              data={preview.data && fields.data ? { preview: preview.data, fields: fields.data.fields } : undefined}
              error={preview.error ?? fields.error}
              onRetry={retryMappingData}
            >
              {({ preview: uploaded, fields: mappable }) => (
                <MappingStep
                  customerImport={loaded}
                  sample={uploaded.sample}
                  initialMapping={loaded.mapping ?? uploaded.suggestedMapping}
                  fields={mappable}
                  onStarted={started}
                  onCancel={onDone}
                />
              )}
            </Loaded>
          ) : (
            <ProgressStep
              customerImport={loaded}
              onRestarted={started}
              onRemap={() => setRemapping(true)}
              onDone={onDone}
            />
          )
        }
      </Loaded>
    </>
  );
}

export function ImportPage() {
  const user = useSignedInUser();
  const [params, setParams] = useSearchParams();
  const [vcards, setVCards] = useState<VCardImport | null>(null);
  const importId = params.get('import');
  const startOver = () => {
    setVCards(null);
    setParams({});
  };
  if (!may(user, 'customers.import')) {
    return (
      <NoAccess title="Importing customers is for admins and managers">
        <p>Ask an administrator to import the file, or to give you the manager role.</p>
      </NoAccess>
    );
  }
  return (
    <>
      <PageHeader
        title="Import customers"
        description="Bring customers in from a CSV file, mapping its columns to customer fields, or from vCards. Existing customers are updated, matched by email or external ID, or left alone if you only add new ones."
      />
      {importId ? (
        <UploadedImportSteps key={importId} importId={importId} onDone={startOver} />
      ) : vcards ? (
        <VCardResult result={vcards} onDone={startOver} />
      ) : (
        <>
          <Steps current={0} />
          <ChooseFileStep
            onUploaded={(upload) => setParams({ import: upload.import.id })}
            onVCardsImported={setVCards}
          />
        </>
      )}
    </>
  );
}
