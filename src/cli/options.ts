import { z } from 'zod';
import type { App } from '../app.js';
import { AppError } from '../shared/errors.js';

/** Builds the app for one command and always closes it (main.ts's `withApp`). */
export type WithApp = <T>(run: (app: App) => Promise<T>) => Promise<T>;

/** The `--data` option: the JSON object a template declares. */
export function parseDataOption(text: string): Record<string, unknown> {
  try {
    const data: unknown = JSON.parse(text);
    if (data && typeof data === 'object' && !Array.isArray(data)) return data as Record<string, unknown>;
  } catch {
    // reported below, with the text that was given
  }
  throw new AppError('validation_failed', 'cli.bad_data', `--data is not a JSON object: ${text}`);
}

/** An id argument checked before it reaches the database, which would only say "invalid input syntax". */
export function idArgument(value: string, message: string): string {
  if (!z.uuid().safeParse(value).success) throw new AppError('validation_failed', 'cli.bad_id', message);
  return value;
}
