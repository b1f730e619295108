import { createHmac, timingSafeEqual } from 'node:crypto';
import { PermanentChannelFailure, TemporaryChannelFailure, type HandOver } from './channel-errors.js';

export const SIGNATURE_HEADER = 'x-tidings-signature';

/** `t=<unix seconds>,v1=<hex hmac-sha256 of "t.body">`, the scheme both directions use. */
export function signPayload(secret: string, body: string, at = Math.floor(Date.now() / 1000)) {
  const digest = createHmac('sha256', secret).update(`${at}.${body}`).digest('hex');
  return `t=${at},v1=${digest}`;
}

/** Whether a callback's signature is ours and fresh (within five minutes). */
export function verifySignature(
  secret: string,
  body: string,
  header: string | undefined,
  now = Math.floor(Date.now() / 1000),
): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((part) => part.split('=') as [string, string]));
  const at = Number(parts.t);
  if (!parts.v1 || !Number.isFinite(at) || Math.abs(now - at) > 300) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${at}.${body}`).digest('hex'));
  const given = Buffer.from(parts.v1);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export type GatewayMessage = { communicationId: string; to: string; from: string; text?: string; pdfBase64?: string };

export type GatewayChannel = { configured: boolean; send(message: GatewayMessage): Promise<HandOver> };

/**
 * SMS and fax through any provider behind a small HTTP gateway: a signed JSON request per message;
 * the gateway answers with its id and later calls back with a signed receipt.
 */
export function createGatewayChannel(kind: 'sms' | 'fax', url: string | undefined, secret: string): GatewayChannel {
  return {
    configured: Boolean(url),
    async send(message) {
      if (!url)
        return {
          transport: 'simulated',
          providerMessageId: `local-${kind}-${message.communicationId}`,
          response: { note: `no ${kind} gateway configured; kept locally` },
        };
      const body = JSON.stringify({ kind, ...message });
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signPayload(secret, body) },
          body,
          signal: AbortSignal.timeout(15_000),
        });
      } catch (error) {
        throw new TemporaryChannelFailure(`The ${kind} gateway did not answer: ${(error as Error).message}`);
      }
      const text = await response.text();
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        parsed = { body: text.slice(0, 500) };
      }
      const detail = { status: response.status, ...parsed };
      if (response.status >= 500 || response.status === 429)
        throw new TemporaryChannelFailure(`The ${kind} gateway answered ${response.status}`, detail);
      if (!response.ok)
        throw new PermanentChannelFailure(
          `The ${kind} gateway refused the message (${response.status}): ${String(parsed.error ?? parsed.message ?? text).slice(0, 200)}`,
          detail,
        );
      return {
        transport: `${kind}-gateway`,
        providerMessageId: String(parsed.id ?? message.communicationId),
        response: detail,
      };
    },
  };
}
