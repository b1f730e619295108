import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { sendFile } from '../http/download.js';
import { idParam } from '../http/schemas.js';
import type { BatchRunsService } from './batch-runs.service.js';
import type { CorrectiveMailingService } from './corrective-mailing.service.js';
import {
  namedRunResponse,
  printBatchOutcome,
  printBatchResponse,
  runProgressResponse,
  runResponse,
  startCorrectiveRunBody,
  startRunBody,
  versionRecipientsResponse,
} from './communications.schemas.js';
import type { PrintBatchesService } from './print-batches.service.js';

export const runsRoutes: FastifyPluginAsyncZod<{
  runs: BatchRunsService;
  correctiveMailings: CorrectiveMailingService;
  printBatches: PrintBatchesService;
}> = async (app, { runs, correctiveMailings, printBatches }) => {
  const tags = ['Batch runs'];

  app.get(
    '/api/batch-runs',
    {
      schema: { tags, summary: 'Recent batch runs', response: { 200: z.object({ runs: z.array(namedRunResponse) }) } },
    },
    async (request) => ({
      runs: await runs.list(actorOf(request)),
    }),
  );

  app.post(
    '/api/batch-runs',
    {
      schema: {
        tags,
        summary: 'Send a published template to every customer of a segment',
        body: startRunBody,
        response: { 201: runResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await runs.start(actorOf(request), request.body)),
  );

  app.post(
    '/api/batch-runs/corrective',
    {
      schema: {
        tags,
        summary: 'Corrective mailing: send the published version to everyone who received older versions',
        description:
          'The audience is the customers whose communications of the older versions were sent, delivered or queued for print, except those who already have the published version. Each gets the data of their latest such communication, with `data` laid over it. `versionId` guards against a newer version published meanwhile.',
        body: startCorrectiveRunBody,
        response: { 201: runResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await correctiveMailings.start(actorOf(request), request.body)),
  );

  app.get(
    '/api/template-versions/:id/recipients',
    {
      schema: {
        tags: ['Templates'],
        summary: 'Who received a template version: counts by status and channel, and the corrective mailing it allows',
        params: idParam,
        response: { 200: versionRecipientsResponse },
      },
    },
    async (request) => correctiveMailings.recipients(actorOf(request), request.params.id),
  );

  app.get(
    '/api/batch-runs/:id',
    {
      schema: {
        tags,
        summary: 'A run with counts by status and channel',
        params: idParam,
        response: { 200: runProgressResponse },
      },
    },
    async (request) => runs.get(actorOf(request), request.params.id),
  );

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    app.post(
      `/api/batch-runs/:id/${action}`,
      {
        schema: {
          tags,
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} a run`,
          params: idParam,
          response: { 200: runResponse },
        },
      },
      async (request) => runs[action](actorOf(request), request.params.id),
    );
  }

  app.get(
    '/api/batch-runs/:id/events',
    {
      schema: {
        tags,
        summary: 'Live progress as server-sent events (one "progress" event a second until the run ends)',
        params: idParam,
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      await runs.get(actor, request.params.id);
      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      const closed = new AbortController();
      request.raw.on('close', () => closed.abort());
      for await (const progress of runs.follow(actor, request.params.id, closed.signal)) {
        reply.raw.write(`event: progress\ndata: ${JSON.stringify(runProgressResponse.parse(progress))}\n\n`);
      }
      reply.raw.end();
    },
  );

  app.get(
    '/api/print-batches',
    {
      schema: {
        tags: ['Print batches'],
        summary: 'Print batches for the print-and-post vendor',
        response: { 200: z.object({ printBatches: z.array(printBatchResponse) }) },
      },
    },
    async (request) => ({
      printBatches: await printBatches.list(actorOf(request)),
    }),
  );

  app.post(
    '/api/print-batches',
    {
      schema: {
        tags: ['Print batches'],
        summary: 'Make a print batch now of every letter waiting',
        description: '201 with the batch made; 200 with `printBatch: null` when no letter waits.',
        response: { 201: printBatchOutcome, 200: printBatchOutcome },
      },
    },
    async (request, reply) => {
      const batch = await printBatches.create(actorOf(request));
      return batch
        ? reply.status(201).send({ printBatch: batch, message: `Made a print batch of ${batch.items} letters.` })
        : reply.status(200).send({ printBatch: null, message: 'No letters are waiting for print.' });
    },
  );

  for (const kind of ['pdf', 'manifest'] as const) {
    app.get(
      `/api/print-batches/:id/${kind === 'pdf' ? 'letters.pdf' : 'manifest.csv'}`,
      {
        schema: {
          tags: ['Print batches'],
          summary: kind === 'pdf' ? 'The merged PDF' : 'The CSV manifest',
          params: idParam,
        },
      },
      async (request, reply) => {
        const file = await printBatches.file(actorOf(request), request.params.id, kind);
        return sendFile(reply, { body: file.bytes, mediaType: file.mediaType, fileName: file.fileName });
      },
    );
  }
};
