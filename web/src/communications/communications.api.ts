import { api, ApiError, withQuery } from '../api/client.js';
import type { Channel } from '../customers/customer-vocabulary.js';
import type { AttemptOutcome, CommunicationStatus } from './communication-vocabulary.js';

/** One item sent (or refused) to one customer, as GET /api/communications lists it. */
export type Communication = {
  id: string;
  customerId: string;
  customerName: string;
  templateId: string;
  templateKey: string;
  templateName: string;
  templateVersionId: string;
  purpose: string;
  batchRunId: string | null;
  status: CommunicationStatus;
  statusReason: string | null;
  channel: Channel | null;
  /** Why routing chose this channel: "first preference", "fallback: …". */
  channelReason: string | null;
  address: string | null;
  language: string | null;
  /** Channels that failed hard for this item; routing fell back past them. */
  failedChannels: Channel[];
  deferUntil: string | null;
  archiveSha256: string | null;
  archiveMediaType: string | null;
  archiveSize: number | null;
  snapshotSha256: string | null;
  providerMessageId: string | null;
  /** smtp, outbox, print, portal, simulated, sms-gateway…: who took the item. */
  transport: string | null;
  printBatchId: string | null;
  costMillicents: number | null;
  createdBy: string;
  createdAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
};

export type Attempt = {
  id: number;
  channel: Channel | null;
  outcome: AttemptOutcome;
  detail: string;
  providerResponse: Record<string, unknown> | null;
  at: string;
};

export type CommunicationDetail = Communication & { versionNumber: number; attempts: Attempt[] };

/** One communication to send now: a template (key or id) whose published version is used, a customer, and the data it declares. */
export type SendRequest = { template: string; customerId: string; data?: Record<string, unknown> };

export type CommunicationFilters = {
  status?: CommunicationStatus;
  channel?: Channel;
  template?: string;
  batchRunId?: string;
  customerId?: string;
  transport?: string;
};

export const COMMUNICATION_PAGE_SIZE = 50;
/** The list's cursor: the id of the last communication shown. */
export const COMMUNICATION_CURSOR = 'before';

/**
 * A fresh Idempotency-Key for one send. randomUUID exists only in secure contexts (https, localhost);
 * a server reached over plain http on the local network still gets a random key.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

const communicationPath = (id: string) => `/api/communications/${encodeURIComponent(id)}`;

export const communicationsApi = {
  listPath: (filters: CommunicationFilters, limit = COMMUNICATION_PAGE_SIZE) =>
    withQuery('/api/communications', { ...filters, limit }),
  communicationPath,
  /** The exact copy handed to the channel, served inline with its own media type. */
  copyPath: (id: string) => `${communicationPath(id)}/copy`,
  proofPath: (id: string) => `${communicationPath(id)}/proof.zip`,

  /**
   * Sends one communication now. The same idempotency key never sends twice: a repeat (a double click,
   * a retry after a lost answer) gets the first communication back.
   */
  send: (request: SendRequest, idempotencyKey: string) =>
    api.post<CommunicationDetail>('/api/communications', request, { 'idempotency-key': idempotencyKey }),

  /** The archived copy's bytes: an .eml, a PDF, an SMS text or a portal message. */
  async copy(id: string, signal?: AbortSignal): Promise<ArrayBuffer> {
    const response = await fetch(`${communicationPath(id)}/copy`, { credentials: 'same-origin', signal });
    if (!response.ok) {
      const body: unknown = await response.json().catch(() => null);
      if (body && typeof body === 'object' && 'error' in body && 'message' in body) {
        const { error, message } = body as { error: string; message: string };
        throw new ApiError(response.status, error, message);
      }
      throw new ApiError(
        response.status,
        'http_error',
        `The server answered ${response.status} ${response.statusText}.`,
      );
    }
    return response.arrayBuffer();
  },
};
