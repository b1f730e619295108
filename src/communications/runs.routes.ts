import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import type { BatchRunsService } from './batch-runs.service.js';
import { batchRunStatuses } from './communications.tables.js';
import type { PrintBatchesService } from './print-batches.service.js';

const runResponse = z
  .object({
    id: z.uuid(),
    templateId: z.uuid(),
    templateVersionId: z.uuid(),
    segmentId: z.uuid(),
    status: z.enum(batchRunStatuses),
    scheduledAt: z.date(),
    total: z.number().int(),
    created: z.number().int(),
    createdBy: z.string(),
    createdAt: z.date(),
    startedAt: z.date().nullable(),
    finishedAt: z.date().nullable(),
  })
  .describe('BatchRun');
const namedRun = runResponse.extend({
  templateName: z.string(),
  segmentName: z.string().nullable().describe('null once the segment is deleted'),
});
const progressResponse = namedRun
  .extend({
    statuses: z.record(z.string(), z.number()),
    channels: z.record(z.string(), z.number()),
    costMillicents: z.number().int().describe('What the items handed over so far cost, in thousandths of a cent'),
    done: z.number().int(),
    percent: z.number(),
  })
  .describe('BatchRunProgress');
const printBatchResponse = z
  .object({
    id: z.uuid(),
    items: z.number().int(),
    pages: z.number().int(),
    folder: z.string().nullable(),
    pdfSha256: z.string(),
    manifestSha256: z.string(),
    createdBy: z.string(),
    createdAt: z.date(),
  })
  .describe('PrintBatch');

export const runsRoutes: FastifyPluginAsyncZod<{ runs: BatchRunsService; printBatches: PrintBatchesService }> = async (
  app,
  { runs, printBatches },
) => {
  const tags = ['Batch runs'];

  app.get(
    '/api/batch-runs',
    { schema: { tags, summary: 'Recent batch runs', response: { 200: z.object({ runs: z.array(namedRun) }) } } },
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
        body: z.strictObject({
          template: z.string().min(1).max(64),
          segmentId: z.uuid(),
          data: z.record(z.string(), z.unknown()).optional(),
          scheduledAt: z.coerce.date().optional(),
        }),
        response: { 201: runResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await runs.start(actorOf(request), request.body)),
  );

  app.get(
    '/api/batch-runs/:id',
    {
      schema: {
        tags,
        summary: 'A run with counts by status and channel',
        params: idParam,
        response: { 200: progressResponse },
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
        reply.raw.write(`event: progress\ndata: ${JSON.stringify(progressResponse.parse(progress))}\n\n`);
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
        response: { 201: printBatchResponse, 200: z.object({ message: z.string() }) },
      },
    },
    async (request, reply) => {
      const batch = await printBatches.create(actorOf(request));
      return batch
        ? reply.status(201).send(batch)
        : reply.status(200).send({ message: 'No letters are waiting for print.' });
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
        return reply
          .type(file.mediaType)
          .header('content-disposition', `attachment; filename="${file.fileName}"`)
          .send(file.bytes);
      },
    );
  }
};
