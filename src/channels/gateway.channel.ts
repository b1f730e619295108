import { createHmac, timingSafeEqual } from 'node:crypto';
import { PermanentChannelFailure, TemporaryChannelFailure, type HandOver } from './channel-errors.js';

export const SIGNATURE_HEADER = 'x-tidings-signature';

/** `t=<unix seconds>,v1=<hex hmac-sha256 of "t.body">`, the scheme both directions use. */
export function signPayload(secret: string, body: string, at = Math.floor(Date.now() / 1000)) {
  const digest = createHmac('sha256', secret).update(`${at}.${body}`).digest('hex');
  return `t=${at},v1=${digest}`;
}

/** How far a signature's time may be from ours, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** A callback's signature if it is ours and fresh (within the tolerance), else null. */
export function verifySignature(
  secret: string,
  body: string,
  header: string | undefined,
  now = Math.floor(Date.now() / 1000),
): { at: number; digest: string } | null {
  const parts = Object.fromEntries((header ?? '').split(',').map((part) => part.split('=') as [string, string]));
  const at = Number(parts.t);
  if (!parts.v1 || !Number.isFinite(at) || Math.abs(now - at) > SIGNATURE_TOLERANCE_SECONDS) return null;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${at}.${body}`).digest('hex'));
  const given = Buffer.from(parts.v1);
  return expected.length === given.length && timingSafeEqual(expected, given) ? { at, digest: parts.v1 } : null;
}

export type GatewayMessage = { communicationId: string; to: string; from: string; text?: string; pdfBase64?: string };

export type GatewayChannel = { configured: boolean; send(message: GatewayMessage): Promise<HandOver> };

/**
 * SMS and fax through any provider behind a small HTTP gateway: a signed JSON request per message;
 * the gateway answers with its id and later calls back with a signed receipt.
 */
export function createGatewayChannel(
  kind: 'sms' | 'fax',
  url: string | undefined,
  secret: string | undefined,
): GatewayChannel {
  return {
    configured: Boolean(url),
    async send(message) {
      if (!url)
        return {
          transport: 'simulated',
          providerMessageId: `local-${kind}-${message.communicationId}`,
          response: { note: `no ${kind} gateway configured; kept locally` },
        };
      // Configuration refuses a gateway without a secret; a request signed with nothing would be worse than none.
      if (!secret) throw new PermanentChannelFailure(`The ${kind} gateway has no TIDINGS_GATEWAY_SECRET to sign with`);
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
      // The gateway answers 4xx for a number it cannot reach; the message itself is plain text or a PDF we made.
      if (!response.ok)
        throw new PermanentChannelFailure(
          `The ${kind} gateway refused the message (${response.status}): ${String(parsed.error ?? parsed.message ?? text).slice(0, 200)}`,
          detail,
          true,
        );
      return {
        transport: `${kind}-gateway`,
        providerMessageId: String(parsed.id ?? message.communicationId),
        response: detail,
      };
    },
  };
}
