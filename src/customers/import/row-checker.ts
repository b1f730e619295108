import { startThread } from '../../shared/threads.js';
import type { AttributeDefinition } from '../customer-fields.js';
import { applyRow, type FieldValues } from './customer-row.js';

/** A row applied to a new customer: the customer it makes, or what is wrong with it. */
export type RowCheck = ReturnType<typeof applyRow>;
export type CheckContext = { definitions: AttributeDefinition[]; defaultCountry: string };
export type RowChecker = {
  /** Each row applied to a new customer, in order. */
  check(rows: FieldValues[]): Promise<RowCheck[]>;
  close(): Promise<void>;
};

/**
 * Files at least this large are checked on a thread of their own (about 10,000 rows, some 150 ms of
 * checking): for a smaller file, starting the thread would cost more than it saves.
 */
export const THREAD_FROM_BYTES = 1_048_576;

/** Messages of the row-checking thread: the checks of one request, or why it failed. */
export type CheckRequest = { id: number; rows: FieldValues[] };
export type CheckAnswer = { id: number; checks: RowCheck[] } | { id: number; error: string };

/**
 * Checks a file's rows against the customer rules: for a large file on a thread of its own, while
 * the thread serving HTTP and jobs reads the file and talks to the database (checking is most of a
 * validation pass's CPU: phone numbers, the schema, the attribute rules).
 */
export function rowChecker(context: CheckContext, fileSize: number): RowChecker {
  if (fileSize < THREAD_FROM_BYTES)
    return {
      check: async (rows) => rows.map((values) => applyRow(values, undefined, context)),
      close: async () => {},
    };
  const plain: CheckContext = {
    definitions: context.definitions.map(({ key, label, type, choices }) => ({ key, label, type, choices })),
    defaultCountry: context.defaultCountry,
  };
  const thread = startThread(import.meta.url, 'row-check-worker', { workerData: plain });
  const waiting = new Map<number, { resolve(checks: RowCheck[]): void; reject(error: Error): void }>();
  let requests = 0;
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    for (const request of waiting.values()) request.reject(failure);
    waiting.clear();
  };
  thread.on('message', (answer: CheckAnswer) => {
    const request = waiting.get(answer.id);
    waiting.delete(answer.id);
    if ('error' in answer) request?.reject(new Error(answer.error));
    else request?.resolve(answer.checks);
  });
  thread.on('error', fail);
  thread.on('exit', (code) => fail(new Error(`The row-checking thread stopped (exit code ${code}).`)));
  return {
    check(rows) {
      if (failure) return Promise.reject(failure);
      const id = requests++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        thread.postMessage({ id, rows } satisfies CheckRequest);
      });
    },
    async close() {
      await thread.terminate();
    },
  };
}
