import { useState } from 'react';
import { Field } from '../../ui/form.js';
import { parseJsonObject } from './draft.js';

const schemaHint = 'JSON Schema of the data each send brings, e.g. {"type": "object", "required": ["tariff"]}.';
const sampleHint = 'Example data for previews and the compliance check; templates read it as data.tariff.';

/** The send's data: its JSON Schema and a sample, typed as JSON and checked as you type. */
export function DataFields({
  schemaText,
  sampleText,
  onSchema,
  onSample,
  errors,
}: {
  schemaText: string;
  sampleText: string;
  onSchema: (text: string) => void;
  onSample: (text: string) => void;
  errors: Record<string, string>;
}) {
  const schemaProblem = parseJsonObject(schemaText).error ?? errors.dataSchema;
  const sampleProblem = parseJsonObject(sampleText).error ?? errors.sampleData;
  const [open, setOpen] = useState(Boolean(schemaText || sampleText));
  return (
    <details
      className="card data-fields"
      open={open || Boolean(schemaProblem || sampleProblem)}
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary>
        <h2>Data</h2>
        <span className="muted small">What each send brings besides the customer</span>
      </summary>
      <div className="form-row">
        <Field label="Data schema" htmlFor="data-schema" error={schemaProblem} hint={schemaHint}>
          <textarea
            id="data-schema"
            className="code-input"
            rows={8}
            spellCheck={false}
            value={schemaText}
            onChange={(event) => onSchema(event.target.value)}
          />
        </Field>
        <Field label="Sample data" htmlFor="sample-data" error={sampleProblem} hint={sampleHint}>
          <textarea
            id="sample-data"
            className="code-input"
            rows={8}
            spellCheck={false}
            value={sampleText}
            onChange={(event) => onSample(event.target.value)}
          />
        </Field>
      </div>
    </details>
  );
}
