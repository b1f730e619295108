import { useState, type ReactNode } from 'react';
import { ApiError } from '../api/client.js';
import { messageOf } from './states.js';

export type FormErrors = {
  /** The first problem per field, keyed by the form's field names. */
  fields: Record<string, string>;
  /** What to show above the form: anything the fields do not explain. */
  general: string | null;
};

const noErrors: FormErrors = { fields: {}, general: null };

/** The field a server path names: `body.roles.0` and `roles` both mean the form's `roles`. */
const fieldOf = (path: string) => path.replace(/^(body|query|params)\./, '').split('.')[0] ?? path;

/** Splits a failed submission into messages next to the named fields and one for the rest. */
export function formErrors(error: unknown, fieldNames: readonly string[]): FormErrors {
  if (error === undefined) return noErrors;
  if (!(error instanceof ApiError)) return { fields: {}, general: messageOf(error) };
  const fields: Record<string, string> = {};
  let unexplained = error.details.length === 0;
  for (const detail of error.details) {
    const field = fieldOf(detail.path);
    if (fieldNames.includes(field)) fields[field] ??= detail.message;
    else unexplained = true;
  }
  return { fields, general: unexplained ? error.message : null };
}

/** Runs a form's action and keeps its progress and failure for the form to show. */
export function useSubmission<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (...args: A) => {
    setSaving(true);
    setError(undefined);
    try {
      await action(...args);
    } catch (failure) {
      setError(failure);
    } finally {
      setSaving(false);
    }
  };
  return { run, saving, error };
}

// Server messages are either sentences ("Invalid email address") or predicates ("is already taken").
const sentence = (label: string, message: string) => (/^[a-z]/.test(message) ? `${label} ${message}` : message);

export function Field({
  label,
  htmlFor,
  error,
  hint,
  children,
}: {
  label: string;
  htmlFor: string;
  error?: string;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint && !error && <p className="field-hint">{hint}</p>}
      {error && (
        <p className="field-error" id={`${htmlFor}-error`}>
          {sentence(label, error)}
        </p>
      )}
    </div>
  );
}

/** A group of checkboxes or radios under one label. */
export function FieldGroup({ label, error, children }: { label: string; error?: string; children: ReactNode }) {
  return (
    <fieldset className={error ? 'field field-invalid' : 'field'}>
      <legend>{label}</legend>
      {children}
      {error && <p className="field-error">{sentence(label, error)}</p>}
    </fieldset>
  );
}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div className="notice notice-error" role="alert">
      {message}
    </div>
  );
}
