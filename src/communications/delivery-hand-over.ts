import { PermanentChannelFailure, TemporaryChannelFailure, type HandOver } from '../channels/channel-errors.js';
import type { EmailChannel } from '../channels/email.channel.js';
import type { GatewayChannel } from '../channels/gateway.channel.js';
import type { Brand } from '../rendering/index.js';
import type { Outcome, Ready } from './delivery-batch.js';

export type DeliveryChannels = { email: EmailChannel; sms: GatewayChannel; fax: GatewayChannel };

/** Gateway requests in flight at once; SMTP has its own pool of connections. */
const GATEWAY_CONCURRENCY = 8;

/** Runs `work` over the items with at most `limit` in flight, answering in their order. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/**
 * Hand over: every item of the batch at once, emails over the SMTP pool's open connections,
 * gateway requests a few at a time. Each item's outcome goes to `settled` as soon as it is known
 * (taken, refused for good: a PermanentChannelFailure, or not now: anything else); all of them are
 * answered at the end.
 */
export async function handOver(
  channels: DeliveryChannels,
  ready: Ready[],
  brand: Brand,
  settled: (outcome: Outcome) => void,
): Promise<Outcome[]> {
  const attempt = async (entry: Ready): Promise<Outcome> => {
    let outcome: Outcome;
    try {
      outcome = { ready: entry, kind: 'handed_over', result: await handOverOne(channels, entry, brand) };
    } catch (error) {
      const failure =
        error instanceof PermanentChannelFailure || error instanceof TemporaryChannelFailure
          ? error
          : new TemporaryChannelFailure((error as Error).message);
      outcome =
        failure instanceof PermanentChannelFailure
          ? { ready: entry, kind: 'permanent', failure }
          : { ready: entry, kind: 'temporary', failure };
    }
    settled(outcome);
    return outcome;
  };
  const [emails, others] = await Promise.all([
    Promise.all(ready.filter((entry) => entry.channel === 'email').map(attempt)),
    inParallel(
      ready.filter((entry) => entry.channel !== 'email'),
      GATEWAY_CONCURRENCY,
      attempt,
    ),
  ]);
  return [...emails, ...others];
}

function handOverOne(channels: DeliveryChannels, entry: Ready, brand: Brand): Promise<HandOver> {
  const { communication } = entry.item;
  switch (entry.channel) {
    case 'email':
      return channels.email.send({
        raw: entry.bytes,
        from: brand.senders.emailFrom,
        to: entry.address,
        messageId: entry.messageId!,
      });
    case 'sms':
      return channels.sms.send({
        communicationId: communication.id,
        to: entry.address,
        from: brand.senders.smsSender,
        text: entry.bytes.toString('utf8'),
      });
    case 'fax':
      return channels.fax.send({
        communicationId: communication.id,
        to: entry.address,
        from: brand.senders.faxNumber ?? brand.companyName,
        pdfBase64: entry.bytes.toString('base64'),
      });
    case 'portal':
      return Promise.resolve({ transport: 'portal', response: { inbox: 'stored' } });
    case 'letter':
      return Promise.resolve({ transport: 'print', response: { queued: 'for the next print batch' } });
  }
}
