import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { channels, purposes, type Channel, type Purpose } from '../customers/customers.tables.js';

/** What one unsubscribe link withdraws: one customer's consent for one channel and purpose. */
export type UnsubscribeScope = { customerId: string; channel: Channel; purpose: Purpose };

const FORMAT = 1;
/** 128 bits of HMAC-SHA256 are plenty against forgery and keep the link short. */
const MAC_BYTES = 16;
const PAYLOAD_BYTES = 1 + 16 + 1 + 1;

/**
 * The links in every marketing message: `page` for the web page that shows what it withdraws (the
 * email's footer), `oneClick` for RFC 8058 `List-Unsubscribe` (a mailbox provider POSTs to it).
 * Tokens are HMAC-signed and hold nothing but the scope, so they need no row and never expire; the
 * key is derived from the audit key, which every process sharing the database already has.
 */
export function createUnsubscribeLinks({ publicUrl, secret }: { publicUrl: string; secret: Buffer }) {
  const key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'tidings one-click unsubscribe', 32));
  const macOf = (payload: Buffer) => createHmac('sha256', key).update(payload).digest().subarray(0, MAC_BYTES);

  function tokenFor(scope: UnsubscribeScope): string {
    const payload = Buffer.alloc(PAYLOAD_BYTES);
    payload[0] = FORMAT;
    Buffer.from(scope.customerId.replaceAll('-', ''), 'hex').copy(payload, 1);
    payload[17] = channels.indexOf(scope.channel);
    payload[18] = purposes.indexOf(scope.purpose);
    return Buffer.concat([payload, macOf(payload)]).toString('base64url');
  }

  return {
    tokenFor,

    /** The two URLs for a marketing message sent to this customer on this channel. */
    linksFor(scope: UnsubscribeScope) {
      const token = tokenFor(scope);
      return {
        page: `${publicUrl}/portal/unsubscribe#${token}`,
        oneClick: `${publicUrl}/api/unsubscribe/${token}`,
      };
    },

    /** The scope a token was signed for, or undefined when it was not signed here or was altered. */
    scopeOf(token: string): UnsubscribeScope | undefined {
      if (!/^[\w-]+$/.test(token)) return undefined;
      const bytes = Buffer.from(token, 'base64url');
      if (bytes.length !== PAYLOAD_BYTES + MAC_BYTES) return undefined;
      const payload = bytes.subarray(0, PAYLOAD_BYTES);
      if (!timingSafeEqual(bytes.subarray(PAYLOAD_BYTES), macOf(payload)) || payload[0] !== FORMAT) return undefined;
      const channel = channels[payload[17]!];
      const purpose = purposes[payload[18]!];
      if (!channel || !purpose) return undefined;
      const hex = payload.subarray(1, 17).toString('hex');
      const customerId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      return { customerId, channel, purpose };
    },
  };
}

export type UnsubscribeLinks = ReturnType<typeof createUnsubscribeLinks>;
