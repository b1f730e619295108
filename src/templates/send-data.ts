import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { default as addFormats } from 'ajv-formats';
import { AppError, type ErrorDetail } from '../shared/errors.js';

// Formats (date, email, uri…) are checked, so a template that asks for a date gets one.
const ajv = addFormats.default(new Ajv({ allErrors: true, strict: false }));
const compiled = new WeakMap<object, ValidateFunction>();

export function isValidDataSchema(schema: Record<string, unknown>): string | undefined {
  try {
    ajv.compile(schema);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const pathOf = (error: ErrorObject) => {
  const base = error.instancePath.split('/').filter(Boolean);
  if (error.keyword === 'required') base.push(String((error.params as { missingProperty: string }).missingProperty));
  return ['body', 'data', ...base].join('.');
};

/** The problems with a send's data against the template's declared schema, each with its path. */
export function dataProblems(schema: Record<string, unknown>, data: unknown): ErrorDetail[] {
  if (Object.keys(schema).length === 0) return [];
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(data)) return [];
  return (validate.errors ?? []).map((error) => ({
    path: pathOf(error),
    message: error.keyword === 'required' ? 'is required by the template' : (error.message ?? 'is not valid'),
  }));
}

export function assertSendData(schema: Record<string, unknown>, data: unknown) {
  const problems = dataProblems(schema, data);
  if (problems.length) {
    throw new AppError(
      'validation_failed',
      'template.data_missing',
      `The data does not fit the template: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}.`,
      problems,
    );
  }
}
