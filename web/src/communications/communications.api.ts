import type { BodyOf, QueryOf, ResponseOf } from '../api/api-types.js';
import { api, ApiError, withQuery } from '../api/client.js';

/** One item sent (or refused) to one customer, as GET /api/communications lists it. */
export type Communication = ResponseOf<'/api/communications'>['communications'][number];
export type CommunicationDetail = ResponseOf<'/api/communications/{id}'>;
export type Attempt = CommunicationDetail['attempts'][number];

/** One communication to send now: a template (key or id) whose published version is used, a customer, and the data it declares. */
export type SendRequest = BodyOf<'/api/communications', 'post'>;

export type CommunicationFilters = Omit<QueryOf<'/api/communications'>, 'cursor' | 'limit'>;

export const COMMUNICATION_PAGE_SIZE = 50;

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
