import { parentPort, workerData } from 'node:worker_threads';
import { applyRow } from './customer-row.js';
import type { CheckAnswer, CheckContext, CheckRequest } from './row-checker.js';

/** The row-checking thread of one import (see row-checker.ts): it answers each request in order. */
const port = parentPort!;
const context = workerData as CheckContext;

port.on('message', ({ id, rows }: CheckRequest) => {
  let answer: CheckAnswer;
  try {
    answer = { id, checks: rows.map((values) => applyRow(values, undefined, context)) };
  } catch (error) {
    answer = { id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
});
