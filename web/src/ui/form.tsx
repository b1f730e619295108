import {
  useId,
  useState,
  type FormEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { ApiError } from '../api/client.js';
import { Options, type Choice } from './choices.js';
import { messageOf, Notice } from './states.js';

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

/** A form's `onSubmit` that runs the action in the page instead of sending the page anywhere. */
export const submitWith = (action: () => unknown) => (event: FormEvent) => {
  event.preventDefault();
  void action();
};

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

type Submission<A extends unknown[]> = { saving: boolean; run: (...args: A) => Promise<void> };

/**
 * A button that runs a submission of `useSubmission` (with `args`, when its action takes some) and
 * is disabled while it runs, saying so with `busyLabel`.
 */
export function RunButton<A extends unknown[]>({
  submission,
  args,
  label,
  busyLabel = label,
  primary = false,
  disabled = false,
  title,
}: {
  submission: Submission<A>;
  label: string;
  busyLabel?: string;
  primary?: boolean;
  disabled?: boolean;
  /** Why the button is disabled, when it is. */
  title?: string;
} & ([] extends A ? { args?: A } : { args: A })) {
  return (
    <button
      type="button"
      className={primary ? 'button button-primary' : 'button'}
      disabled={submission.saving || disabled}
      title={title}
      onClick={() => void submission.run(...((args ?? []) as A))}
    >
      {submission.saving ? busyLabel : label}
    </button>
  );
}

// Server messages are either sentences ("Invalid email address") or predicates ("is already taken").
const sentence = (label: string, message: string) => (/^[a-z]/.test(message) ? `${label} ${message}` : message);

/** The names of a form's text values. */
type TextKey<V> = { [K in keyof V]: V[K] extends string ? K : never }[keyof V] & string;

/**
 * A form's values, its submission and the server's answer to it: `submit` runs `action` with the
 * values, and a refusal's `details` land next to the fields they name (`body.emails.0` → `emails`),
 * the rest above the form. `fields` names the server's fields when they are not the values' names.
 */
export function useForm<V extends Record<string, unknown>>(
  initial: V,
  /** Sends the values; `reset` empties the form again after a submission that should. */
  action: (values: V, form: { reset: () => void }) => Promise<void>,
  { fields = Object.keys(initial) }: { fields?: readonly string[] } = {},
) {
  const [values, setValues] = useState(initial);
  const reset = () => setValues(initial);
  const submission = useSubmission(() => action(values, { reset }));
  const prefix = useId();
  return {
    values,
    set: <K extends keyof V>(name: K, value: V[K]) => setValues((current) => ({ ...current, [name]: value })),
    errors: formErrors(submission.error, fields),
    /** The refusal itself, for problems deeper than one field (`address.city`). */
    error: submission.error,
    saving: submission.saving,
    submit: submitWith(submission.run),
    /** The id of a field's control, for its label. */
    idOf: (name: string) => `${prefix}${name}`,
  };
}

export type FormState<V extends Record<string, unknown>> = ReturnType<typeof useForm<V>>;

type Bound<V extends Record<string, unknown>> = {
  form: FormState<V>;
  name: TextKey<V>;
  label: string;
  hint?: ReactNode;
  /** The server's name for the field when it is not the value's (`emails` for the `email` box). */
  errorOf?: string;
  /** A problem the form finds itself, shown in place of the server's. */
  error?: string;
};

/** The props of a control element, less those the form decides. */
type Own<E> = Omit<E, 'form' | 'name' | 'value'>;

/** Parts a field's own props from those passed on to its control. */
function split<V extends Record<string, unknown>, R>(props: Bound<V> & R) {
  const { form, name, label, hint, errorOf, error, ...control } = props;
  return [{ form, name, label, hint, errorOf, error }, control] as const;
}

/** A labelled control bound to one of the form's text values, with its error next to it. */
function BoundField<V extends Record<string, unknown>>({
  form,
  name,
  label,
  hint,
  errorOf = name,
  error: own,
  children,
}: Bound<V> & {
  children: (control: {
    id: string;
    value: string;
    onChange: (event: { target: { value: string } }) => void;
    'aria-invalid'?: true;
    'aria-describedby'?: string;
  }) => ReactNode;
}) {
  const id = form.idOf(name);
  const error = own ?? form.errors.fields[errorOf];
  return (
    <Field label={label} hint={hint} htmlFor={id} error={error}>
      {children({
        id,
        value: form.values[name] as string,
        onChange: (event) => form.set(name, event.target.value as V[TextKey<V>]),
        'aria-invalid': error ? true : undefined,
        'aria-describedby': error ? `${id}-error` : undefined,
      })}
    </Field>
  );
}

/** A labelled text box bound to one of the form's values. */
export function TextField<V extends Record<string, unknown>>(
  props: Bound<V> & Own<InputHTMLAttributes<HTMLInputElement>>,
) {
  const [bound, input] = split(props);
  return <BoundField {...bound}>{(control) => <input {...input} {...control} />}</BoundField>;
}

/** A labelled text area bound to one of the form's values. */
export function TextAreaField<V extends Record<string, unknown>>(
  props: Bound<V> & Own<TextareaHTMLAttributes<HTMLTextAreaElement>>,
) {
  const [bound, textarea] = split(props);
  return <BoundField {...bound}>{(control) => <textarea {...textarea} {...control} />}</BoundField>;
}

/** A labelled choice bound to one of the form's values; `empty` adds a first choice of no value. */
export function SelectField<V extends Record<string, unknown>>(
  props: Bound<V> & { choices: readonly Choice[]; empty?: string } & Own<SelectHTMLAttributes<HTMLSelectElement>>,
) {
  const [bound, { choices, empty, ...select }] = split(props);
  return (
    <BoundField {...bound}>
      {(control) => (
        <select {...select} {...control}>
          {empty !== undefined && <option value="">{empty}</option>}
          <Options choices={choices} />
        </select>
      )}
    </BoundField>
  );
}

/** Cancel and the submit button, which says what it is doing while the form is sent. */
export function FormActions({
  label,
  busyLabel = 'Saving…',
  saving,
  disabled = false,
  title,
  onConfirm,
  onCancel,
}: {
  label: string;
  busyLabel?: string;
  saving: boolean;
  disabled?: boolean;
  /** Why the button is disabled, when it is. */
  title?: string;
  /** The action of a dialog that is no form: the button runs it instead of submitting. */
  onConfirm?: () => void;
  onCancel?: () => void;
}) {
  return (
    <div className="form-actions">
      {onCancel && (
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      )}
      <button
        type={onConfirm ? 'button' : 'submit'}
        className="button button-primary"
        disabled={saving || disabled}
        title={title}
        onClick={onConfirm}
      >
        {saving ? busyLabel : label}
      </button>
    </div>
  );
}

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
  return <Notice tone="error">{message}</Notice>;
}
