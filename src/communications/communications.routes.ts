import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SIGNATURE_HEADER } from '../channels/gateway.channel.js';
import { channels } from '../customers/customers.tables.js';
import { actorOf } from '../http/authenticate.js';
import { sendFile } from '../http/download.js';
import { idParam } from '../http/schemas.js';
import {
  bounceSchema,
  communicationDetailResponse,
  communicationPageResponse,
  communicationResponse,
  listCommunicationsQuery,
  rateBody,
  rateResponse,
  sendBody,
} from './communications.schemas.js';
import type { CommunicationsService } from './communications.service.js';
import type { RatesService } from './rates.service.js';
import type { ReceiptsService } from './receipts.service.js';

const tags = ['Communications'];

export const communicationsRoutes: FastifyPluginAsyncZod<{
  communications: CommunicationsService;
  receipts: ReceiptsService;
  rates: RatesService;
}> = async (app, { communications, receipts, rates }) => {
  app.get(
    '/api/channel-rates',
    {
      schema: {
        tags,
        summary: 'What one item costs on each channel',
        response: { 200: z.object({ rates: z.array(rateResponse) }) },
      },
    },
    async (request) => ({
      rates: await rates.list(actorOf(request)),
    }),
  );

  app.put(
    '/api/channel-rates/:channel',
    {
      schema: {
        tags,
        summary: 'Set the cost of one item on a channel (brand managers); items already sent keep their cost',
        params: z.strictObject({ channel: z.enum(channels) }),
        body: rateBody,
        response: { 200: z.object({ rates: z.array(rateResponse) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await rates.set(actor, request.params.channel, request.body.costMillicents);
      return { rates: await rates.list(actor) };
    },
  );

  app.post(
    '/api/communications',
    {
      schema: {
        tags,
        summary: 'Send one communication now',
        description:
          'With an Idempotency-Key header the same key never sends twice: a repeat answers with the first communication (and Idempotent-Replayed: true); the same key with a different body is a 409.',
        headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
        body: sendBody,
        response: { 201: communicationDetailResponse, 200: communicationDetailResponse },
      },
    },
    async (request, reply) => {
      const result = await communications.send(actorOf(request), request.body, request.headers['idempotency-key']);
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(result.replayed ? 200 : 201).send(result.communication);
    },
  );

  app.get(
    '/api/communications',
    {
      schema: {
        tags,
        summary: 'Communications, newest first',
        querystring: listCommunicationsQuery,
        response: { 200: communicationPageResponse },
      },
    },
    async (request) => communications.list(actorOf(request), request.query),
  );

  app.get(
    '/api/communications/:id',
    {
      schema: {
        tags,
        summary: 'A communication with every attempt',
        params: idParam,
        response: { 200: communicationDetailResponse },
      },
    },
    async (request) => communications.get(actorOf(request), request.params.id),
  );

  app.get(
    '/api/communications/:id/copy',
    {
      schema: {
        tags,
        summary: 'The exact copy handed to the channel (.eml, PDF, text, portal message)',
        params: idParam,
      },
    },
    async (request, reply) => {
      const copy = await communications.archivedCopy(actorOf(request), request.params.id);
      return sendFile(reply, {
        body: copy.bytes,
        mediaType: copy.mediaType,
        fileName: copy.fileName,
        disposition: 'inline',
      });
    },
  );

  app.get(
    '/api/communications/:id/proof.zip',
    {
      schema: {
        tags,
        summary: 'Proof of what was sent: copy, data snapshot, attempts and hashes, as a ZIP',
        params: idParam,
      },
    },
    async (request, reply) => {
      const proof = await communications.proofPackage(actorOf(request), request.params.id);
      return sendFile(reply, { body: proof.stream, mediaType: 'application/zip', fileName: proof.fileName });
    },
  );

  app.post(
    '/api/delivery/bounces',
    {
      schema: {
        tags,
        summary: 'Report an email bounce by Message-ID (hard bounces mark the address undeliverable)',
        body: bounceSchema,
        response: { 200: communicationResponse.pick({ id: true, status: true, failedChannels: true }) },
      },
    },
    async (request) => receipts.bounce(actorOf(request), request.body),
  );

  app.register(async (gatewayScope) => {
    // The signature covers the exact bytes, so the body is kept as received.
    gatewayScope.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: 65_536 },
      (_request, body, done) => done(null, body),
    );
    gatewayScope.post(
      '/api/delivery/gateway-receipts',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'Signed delivery receipt from the SMS/fax gateway',
          description:
            `Signed with ${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body"> using TIDINGS_GATEWAY_SECRET. ` +
            'A signature is accepted once (a replay is a 409) and for five minutes either side of its time. The receipt applies ' +
            "to the SMS or fax handed over with the gateway's id; one that no longer matches the item's state answers applied: false.",
          security: [],
          response: {
            200: communicationResponse
              .pick({ id: true, status: true })
              .extend({ applied: z.boolean().describe('false: the item had already moved on; nothing changed') }),
          },
        },
      },
      async (request) =>
        receipts.gatewayReceipt(request.body as string, request.headers[SIGNATURE_HEADER] as string | undefined),
    );
  });
};
