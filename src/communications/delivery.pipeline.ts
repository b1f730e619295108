import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { BlobStore } from '../blobs/blob-store.js';
import { PermanentChannelFailure, TemporaryChannelFailure, type HandOver } from '../channels/channel-errors.js';
import type { EmailChannel } from '../channels/email.channel.js';
import type { GatewayChannel } from '../channels/gateway.channel.js';
import type { CustomersService } from '../customers/customers.service.js';
import { customers, type Channel, type Purpose } from '../customers/customers.tables.js';
import { decideChannel } from '../customers/reachability.js';
import type { Database } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { RenderError } from '../rendering/errors.js';
import type { Brand } from '../rendering/index.js';
import type { RenderPool } from '../rendering/render-pool.js';
import type { Clock } from '../shared/clock.js';
import type { Timeline } from '../timeline/timeline.service.js';
import type { FragmentsService } from '../templates/fragments.service.js';
import { chooseLanguage } from '../templates/preview-rendering.js';
import { renderContextFor } from '../templates/render-context.js';
import { templates, templateVersions } from '../templates/templates.tables.js';
import {
  batchRuns,
  communicationAttempts,
  communications,
  finalStatuses,
  waitsForPrint,
  type AttemptOutcome,
} from './communications.tables.js';
import { RenderBudgetExceeded, renderItem } from './render-item.js';
import type { RatesService } from './rates.service.js';

export const DELIVER_JOB = 'communication.deliver';

/** Regulatory notices must reach the customer: for consent they count as transactional. */
export const consentPurpose = (purpose: string): Purpose =>
  purpose === 'regulatory' ? 'transactional' : (purpose as Purpose);

export type DeliveryPipeline = ReturnType<typeof createDeliveryPipeline>;
type LoadedCustomer = Awaited<ReturnType<CustomersService['load']>>;

/**
 * Takes one communication from queued to handed over: route (preference, consent, quiet hours,
 * availability), render, archive the exact copy, hand it to the channel, record the outcome. Each
 * step's result is stored before the next, so a retried job continues where the last one stopped.
 */
export function createDeliveryPipeline(deps: {
  db: Database;
  clock: Clock;
  blobs: Pick<BlobStore, 'put' | 'read'>;
  queue: Pick<JobQueue, 'enqueue'>;
  timeline: Pick<Timeline, 'append'>;
  customers: Pick<CustomersService, 'load'>;
  fragments: Pick<FragmentsService, 'pinnedSources'>;
  brand: () => Promise<Brand>;
  rates: Pick<RatesService, 'costOf'>;
  channels: { email: EmailChannel; sms: GatewayChannel; fax: GatewayChannel };
  renderer: Pick<RenderPool, 'render'>;
}) {
  const { db, clock } = deps;

  // A template version and the fragment versions it pins never change: read them once per process.
  const versions = new Map<
    string,
    Promise<{ version: typeof templateVersions.$inferSelect; fragments: Record<string, string> }>
  >();
  function versionInputs(versionId: string) {
    let inputs = versions.get(versionId);
    if (!inputs) {
      inputs = (async () => {
        const [version] = await db.select().from(templateVersions).where(eq(templateVersions.id, versionId));
        if (!version) throw new Error(`template version ${versionId} is gone`);
        return { version, fragments: await deps.fragments.pinnedSources(db, version.pinnedFragments ?? {}) };
      })();
      inputs.catch(() => versions.delete(versionId));
      if (versions.size >= 200) versions.delete(versions.keys().next().value!);
      versions.set(versionId, inputs);
    }
    return inputs;
  }

  async function attempt(
    communicationId: string,
    channel: Channel | null,
    outcome: AttemptOutcome,
    detail: string,
    providerResponse?: Record<string, unknown>,
  ) {
    await db
      .insert(communicationAttempts)
      .values({ communicationId, channel, outcome, detail, providerResponse, at: clock.now() });
  }

  async function finish(
    communication: typeof communications.$inferSelect,
    status: 'suppressed' | 'failed',
    reason: string,
    title: string,
  ) {
    await db.transaction(async (tx) => {
      await tx
        .update(communications)
        .set({ status, statusReason: reason, updatedAt: clock.now() })
        .where(eq(communications.id, communication.id));
      await deps.timeline.append(tx, {
        customerId: communication.customerId,
        kind: 'communication',
        title,
        body: reason,
        subjectType: 'communication',
        subjectId: communication.id,
      });
    });
  }

  async function handOver(
    channel: Channel,
    communication: typeof communications.$inferSelect,
    brand: Brand,
  ): Promise<HandOver> {
    const bytes = await deps.blobs.read(communication.archiveSha256!);
    switch (channel) {
      case 'email':
        return deps.channels.email.send({
          raw: bytes,
          from: brand.senders.emailFrom,
          to: communication.address!,
          messageId: communication.providerMessageId!,
        });
      case 'sms':
        return deps.channels.sms.send({
          communicationId: communication.id,
          to: communication.address!,
          from: brand.senders.smsSender,
          text: bytes.toString('utf8'),
        });
      case 'fax':
        return deps.channels.fax.send({
          communicationId: communication.id,
          to: communication.address!,
          from: brand.senders.faxNumber ?? brand.companyName,
          pdfBase64: bytes.toString('base64'),
        });
      case 'portal':
        return { transport: 'portal', response: { inbox: 'stored' } };
      case 'letter':
        return { transport: 'print', response: { queued: 'for the next print batch' } };
    }
  }

  async function render(
    communication: typeof communications.$inferSelect,
    template: { key: string; name: string },
    customer: LoadedCustomer,
    brand: Brand,
    channel: Channel,
    address: string,
    reason: string,
  ) {
    const { version, fragments } = await versionInputs(communication.templateVersionId);
    const language = chooseLanguage(version.variants, customer.language, version.defaultLanguage);
    const context = renderContextFor(customer, brand, communication.data, clock.now(), language);
    const rendered = await renderItem(deps.renderer, {
      template: { cacheKey: `${version.id}:${language}`, bodies: version.variants[language]!, fragments },
      channel,
      context,
      communicationId: communication.id,
      address,
      recipientName: customer.name,
      unsubscribeUrl: communication.data.unsubscribeUrl as string | undefined,
    });
    const archive = await deps.blobs.put(rendered.bytes);
    const snapshot = {
      communicationId: communication.id,
      template: { id: communication.templateId, key: template.key, versionId: version.id, version: version.number },
      fragments: version.pinnedFragments ?? {},
      language,
      channel,
      address,
      channelReason: reason,
      customer: context.customer,
      data: communication.data,
      renderedAt: clock.now().toISOString(),
      archive: { sha256: archive.sha256, mediaType: rendered.mediaType, size: archive.size },
    };
    const snapshotBlob = await deps.blobs.put(Buffer.from(JSON.stringify(snapshot, null, 2)));
    const [updated] = await db
      .update(communications)
      .set({
        status: 'rendered',
        channel,
        channelReason: reason,
        address,
        language,
        archiveSha256: archive.sha256,
        archiveMediaType: rendered.mediaType,
        archiveSize: archive.size,
        snapshotSha256: snapshotBlob.sha256,
        providerMessageId: rendered.messageId ?? null,
        deferUntil: null,
        updatedAt: clock.now(),
      })
      .where(eq(communications.id, communication.id))
      .returning();
    return updated!;
  }

  async function deliver(communicationId: string): Promise<void> {
    const [found] = await db
      .select({
        communication: communications,
        runStatus: batchRuns.status,
        template: { key: templates.key, name: templates.name },
        lastOutcome: sql<AttemptOutcome | null>`(select outcome from communication_attempts where communication_id = ${communications.id} order by id desc limit 1)`,
      })
      .from(communications)
      .innerJoin(templates, eq(templates.id, communications.templateId))
      .leftJoin(batchRuns, eq(batchRuns.id, communications.batchRunId))
      .where(eq(communications.id, communicationId));
    if (!found || finalStatuses.includes(found.communication.status)) return;
    const { communication, runStatus, template } = found;
    if (communication.batchRunId) {
      if (runStatus === 'cancelled')
        return finish(communication, 'suppressed', 'The batch run was cancelled.', 'Not sent: batch run cancelled');
      if (runStatus === 'paused') {
        await deps.queue.enqueue(db, {
          kind: DELIVER_JOB,
          payload: { communicationId },
          runAt: new Date(clock.now().getTime() + 2_000),
        });
        return;
      }
    }
    // A letter in the print queue waits for its print batch; anything else rendered was interrupted before hand-over.
    if (waitsForPrint(communication)) return;

    const customer = await deps.customers.load(db, communication.customerId);
    const { version } = await versionInputs(communication.templateVersionId);
    const bodies = version.variants[chooseLanguage(version.variants, customer.language, version.defaultLanguage)] ?? {};
    const offered = Object.entries(bodies).flatMap(([channel, body]) => (body ? [channel as Channel] : []));
    const reach = decideChannel(customer, customer.consents, consentPurpose(communication.purpose), clock.now(), {
      exclude: communication.failedChannels,
      offered,
    });
    if (!reach.reachable) {
      await attempt(communicationId, null, 'suppressed', reach.reason, { considered: reach.considered });
      return finish(communication, 'suppressed', reach.reason, 'Not sent: no allowed channel');
    }
    if (reach.deferUntil && reach.deferUntil > clock.now()) {
      await db
        .update(communications)
        .set({
          channel: reach.channel,
          channelReason: reach.reason,
          deferUntil: reach.deferUntil,
          updatedAt: clock.now(),
        })
        .where(eq(communications.id, communicationId));
      await attempt(
        communicationId,
        reach.channel,
        'deferred',
        `Quiet hours: deferred until ${reach.deferUntil.toISOString()}`,
      );
      await deps.queue.enqueue(db, { kind: DELIVER_JOB, payload: { communicationId }, runAt: reach.deferUntil });
      return;
    }

    const brand = await deps.brand();
    const alreadyRendered =
      communication.status === 'rendered' && communication.channel === reach.channel && communication.archiveSha256;
    let ready: typeof communications.$inferSelect;
    try {
      ready = alreadyRendered
        ? communication
        : await render(communication, template, customer, brand, reach.channel, reach.address, reach.reason);
    } catch (error) {
      // The same template and data would fail the same way again (a letter font that cannot print the name): no retry.
      if (!(error instanceof RenderBudgetExceeded || error instanceof RenderError)) throw error;
      await attempt(communicationId, reach.channel, 'failed_permanently', error.message);
      const title =
        error instanceof RenderError
          ? `Not sent: the ${reach.channel} cannot be rendered`
          : 'Not sent: rendering ran out of time';
      return finish(communication, 'failed', error.message, title);
    }

    // Marked before the hand-over: if this process dies after the channel accepted the item but before
    // the outcome is stored, the retry knows the first hand-over may have succeeded and says so.
    const uncertain = found.lastOutcome === 'handing_over';
    await attempt(
      communicationId,
      reach.channel,
      'handing_over',
      uncertain
        ? 'Handing over again: the previous hand-over was interrupted and may have reached the channel; the identical copy is re-sent'
        : `Handing over to ${reach.channel}`,
    );
    let result: HandOver;
    try {
      result = await handOver(reach.channel, ready, brand);
    } catch (error) {
      if (error instanceof PermanentChannelFailure) {
        await attempt(communicationId, reach.channel, 'failed_permanently', error.message, error.response);
        await db
          .update(communications)
          .set({
            failedChannels: sql`array_append(${communications.failedChannels}, ${reach.channel})`,
            status: 'queued',
            updatedAt: clock.now(),
          })
          .where(eq(communications.id, communicationId));
        return deliver(communicationId);
      }
      const temporary =
        error instanceof TemporaryChannelFailure ? error : new TemporaryChannelFailure((error as Error).message);
      await attempt(communicationId, reach.channel, 'failed_temporarily', temporary.message, temporary.response);
      throw temporary;
    }

    const now = clock.now();
    const toPrintQueue = reach.channel === 'letter';
    const cost = await deps.rates.costOf(reach.channel);
    await db.transaction(async (tx) => {
      await tx
        .update(communications)
        .set({
          status: toPrintQueue ? 'rendered' : 'sent',
          transport: result.transport,
          providerMessageId: result.providerMessageId ?? ready.providerMessageId,
          sentAt: toPrintQueue ? null : now,
          costMillicents: cost,
          updatedAt: now,
        })
        .where(eq(communications.id, communicationId));
      await tx.insert(communicationAttempts).values({
        communicationId,
        channel: reach.channel,
        outcome: 'handed_over',
        detail: `Handed to ${result.transport}`,
        providerResponse: result.response,
        at: now,
      });
      await tx.update(customers).set({ lastContactedAt: now }).where(eq(customers.id, communication.customerId));
      await deps.timeline.append(tx, {
        customerId: communication.customerId,
        kind: 'communication',
        title: toPrintQueue
          ? `${template.name}: letter queued for printing`
          : `${template.name} sent by ${reach.channel}`,
        body: reach.reason,
        subjectType: 'communication',
        subjectId: communicationId,
        data: { channel: reach.channel, templateVersionId: communication.templateVersionId },
      });
    });
  }

  return { deliver };
}

export const requestHash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
