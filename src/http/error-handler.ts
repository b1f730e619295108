import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/database.js';
import { AppError, type ErrorDetail } from '../shared/errors.js';

type ValidationIssue = { keyword: string; instancePath: string; message: string; params: { keys?: string[] } };

function validationDetails(context: string, issues: ValidationIssue[]): ErrorDetail[] {
  return issues.flatMap((issue) => {
    const base = [context, ...issue.instancePath.split('/').filter(Boolean)].join('.');
    if (issue.keyword === 'unrecognized_keys' && issue.params.keys) {
      return issue.params.keys.map((key) => ({ path: `${base}.${key}`, message: 'is not a known field' }));
    }
    return [{ path: base, message: issue.message }];
  });
}

const frameworkErrors: Record<string, { status: number; error: string; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    error: 'payload_too_large',
    message: 'The request body is larger than allowed.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, error: 'unsupported_media_type' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, error: 'bad_request', message: 'The JSON body is empty.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, error: 'malformed_json' },
};

type DatabaseFailure = { code: string; message: string; detail?: string; column?: string; constraint?: string };

/** The driver's error behind a failed query (Drizzle wraps it as `cause`), when the database refused the data. */
function databaseFailureOf(error: unknown): DatabaseFailure | undefined {
  for (let candidate = error, depth = 0; candidate && depth < 4; depth++) {
    const { code } = candidate as { code?: unknown };
    // Class 22 is bad data (a malformed value, a number out of range), class 23 a broken constraint.
    if (typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code)) return candidate as DatabaseFailure;
    candidate = (candidate as { cause?: unknown }).cause;
  }
  return undefined;
}

const fieldName = (column: string) => column.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());

/**
 * A value the database refused, as a 4xx naming the field where the database says which: an
 * unknown reference is a 404, a duplicate or a record still in use a 409, anything else a 400.
 */
function databaseRefusal(failure: DatabaseFailure) {
  const column = failure.column ?? /^Key \(([a-z_]+)\)=/.exec(failure.detail ?? '')?.[1];
  const field = column ? fieldName(column) : undefined;
  // What a route stores comes from its body, so the column is named as a body field (`body.externalId`).
  const details = (message: string) => (field ? [{ path: `body.${field}`, message }] : []);
  switch (failure.code) {
    case '23503':
      return /still referenced/.test(failure.detail ?? '')
        ? { status: 409, error: 'reference.in_use', message: 'Other records still refer to this one.', details: [] }
        : {
            status: 404,
            error: 'reference.not_found',
            message: `There is no record that ${field ?? 'a value'} refers to.`,
            details: details('refers to nothing that exists'),
          };
    case '23505':
      return {
        status: 409,
        error: 'conflict.duplicate',
        message: `Another record already has this ${field ?? 'value'}.`,
        details: details('is already taken'),
      };
    default:
      return {
        status: 400,
        error: 'validation_failed',
        message: `The value cannot be stored: ${failure.message}`,
        details: details(failure.message),
      };
  }
}

/** The one place where failures become HTTP: `{error, message, details}` with the right status. */
export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      return reply
        .status(error.status)
        .headers(error.headers)
        .send({ error: error.code, message: error.message, details: error.details });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = validationDetails(
        error.validationContext ?? 'body',
        error.validation as unknown as ValidationIssue[],
      );
      const message = details.map((detail) => `${detail.path}: ${detail.message}`).join('; ');
      return reply.status(400).send({ error: 'validation_failed', message, details });
    }
    const refused = databaseFailureOf(error);
    if (refused) {
      const { status, ...body } = databaseRefusal(refused);
      request.log.warn({ err: error }, 'the database refused a value');
      return reply.status(status).send(body);
    }
    const known = error.code ? frameworkErrors[error.code] : undefined;
    if (known) {
      return reply
        .status(known.status)
        .send({ error: known.error, message: known.message ?? error.message, details: [] });
    }
    if (error instanceof SyntaxError || (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)) {
      const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 400;
      return reply
        .status(status)
        .send({ error: status === 400 ? 'bad_request' : 'request_error', message: error.message, details: [] });
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unreachable');
      return reply.status(503).header('retry-after', '5').send({
        error: 'database_unavailable',
        message: 'The database cannot be reached right now. Try again in a few seconds.',
        details: [],
      });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .status(500)
      .send({ error: 'internal', message: 'Something went wrong on our side; it has been logged.', details: [] });
  });
}
