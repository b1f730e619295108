import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
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
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .status(500)
      .send({ error: 'internal', message: 'Something went wrong on our side; it has been logged.', details: [] });
  });
}
