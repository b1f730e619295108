import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify';
import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../shared/errors.js';
import { tooLarge, type IncomingFile } from './document-content.js';

const badForm = (message: string, path = 'body') =>
  new AppError('bad_request', 'document.bad_form', message, [{ path, message }]);

/** The multipart parser's refusals (busboy's, the plugin's), in our words; our own errors pass through. */
function formError(error: unknown, maxBytes: number): unknown {
  if (error instanceof AppError) return error;
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(maxBytes);
  if (code === 'FST_FILES_LIMIT') return badForm('The form may carry one file only.', 'body.file');
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') return badForm('The form has too many fields.');
  return badForm(`The form could not be read: ${message ?? 'malformed multipart data'}.`);
}

/**
 * Body schemas of multipart routes document the form in the OpenAPI document; the form itself is
 * read part by part by `readForm`, which checks its fields with the same schema.
 */
export function formValidatorCompiler<S>(route: FastifyRouteSchemaDef<S>): ReturnType<FastifySchemaCompiler<S>> {
  return route.httpPart === 'body'
    ? (data: unknown) => ({ value: data })
    : validatorCompiler(route as unknown as FastifyRouteSchemaDef<z.ZodType>);
}

/**
 * Reads a multipart form whose text fields come first and whose `file` part comes last. The fields
 * are checked with `schema` (a problem names `body.<field>`); the file is handed over as a stream,
 * never held in memory, and its `finish` refuses anything sent after it.
 */
export async function readForm<S extends z.ZodType>(
  request: FastifyRequest,
  schema: S,
  options: { maxBytes: number; fileRequired: boolean },
): Promise<{ fields: z.output<S>; file: IncomingFile | null }> {
  if (!request.isMultipart())
    throw new AppError(
      'unsupported_media_type',
      'document.form_expected',
      'Send a multipart/form-data form: the fields, then the file as its `file` part.',
    );
  // One byte over the limit passes the parser, so the size check sees it and refuses the file.
  const parts = request.parts({ limits: { fileSize: options.maxBytes + 1, files: 1, fields: 20, fieldSize: 10_000 } });
  const next = async (): Promise<Multipart | undefined> => {
    try {
      return (await parts.next()).value ?? undefined;
    } catch (error) {
      throw formError(error, options.maxBytes);
    }
  };

  const values: Record<string, string> = {};
  let part = await next();
  for (; part && part.type === 'field'; part = await next()) {
    if (part.fieldname in values) throw badForm('is given twice', `body.${part.fieldname}`);
    values[part.fieldname] = String(part.value);
  }
  if (part && part.fieldname !== 'file') {
    part.file.resume();
    throw badForm('is a file; only `file` may be one', `body.${part.fieldname}`);
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    part?.file.resume();
    const details = parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ path: `body.${key}`, message: 'is not a known field' }))
        : [{ path: ['body', ...issue.path].join('.'), message: issue.message }],
    );
    throw new AppError(
      'validation_failed',
      'validation_failed',
      details.map((detail) => `${detail.path}: ${detail.message}`).join('; '),
      details,
    );
  }
  if (!part) {
    if (options.fileRequired) throw badForm('is required: the file, as the last part of the form', 'body.file');
    return { fields: parsed.data, file: null };
  }
  const filePart = part;
  return {
    fields: parsed.data,
    file: {
      stream: filePart.file,
      filename: filePart.filename,
      mediaType: filePart.mimetype,
      async finish() {
        const after = await next();
        if (after) {
          if (after.type === 'file') after.file.resume();
          throw badForm('comes after the file; send the fields first', `body.${after.fieldname}`);
        }
      },
    },
  };
}
