import { createRequire } from 'node:module';
import path from 'node:path';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import type { RasterPage } from './raster.js';

const require = createRequire(import.meta.url);
// The English model ships in an npm package: nothing is downloaded at run time.
const englishModel = path.join(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');

/** A worker holds ~100 MB; one left unused this long is stopped and started again on the next call. */
const IDLE_MS = 60_000;

let worker: Promise<Worker> | undefined;
let idleTimer: NodeJS.Timeout | undefined;
/** One recognition at a time: the worker is a single thread, and this keeps its idle timer honest. */
let queue: Promise<unknown> = Promise.resolve();
/**
 * Fails the recognition in flight. A terminated tesseract.js worker leaves its pending recognition
 * unsettled: without this, a stop during one (the app closing while a job reads a scan) would
 * hold the queue, and every later recognition in the process, forever.
 */
let abandonCurrent: ((reason: Error) => void) | undefined;

function startWorker() {
  const started = createWorker('eng', OEM.LSTM_ONLY, { langPath: englishModel, gzip: true, cacheMethod: 'none' });
  // A failed start is not kept: the next call tries again.
  started.catch(() => {
    if (worker === started) worker = undefined;
  });
  return started;
}

function idleStop() {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void stopOcr(), IDLE_MS);
  idleTimer.unref();
}

async function recognize(image: Buffer | RasterPage) {
  const bytes = Buffer.isBuffer(image) ? image : await image.png();
  worker ??= startWorker();
  const { data } = await (await worker).recognize(bytes);
  return data.text.trim();
}

/** The printed text on a picture (PNG, JPEG, …) or a rasterized page, read with Tesseract's English model. */
export function recognizeText(image: Buffer | RasterPage): Promise<string> {
  const run = queue.then(async () => {
    clearTimeout(idleTimer);
    const abandoned = new Promise<never>((_, reject) => (abandonCurrent = reject));
    try {
      return await Promise.race([recognize(image), abandoned]);
    } finally {
      abandonCurrent = undefined;
      idleStop();
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

/** Stops the OCR worker, if one runs (app stop, idle); the next recognition starts a new one. */
export async function stopOcr() {
  clearTimeout(idleTimer);
  abandonCurrent?.(new Error('Text recognition was stopped before it finished.'));
  const running = worker;
  worker = undefined;
  if (running) await (await running.catch(() => undefined))?.terminate();
}
