import type { FastifyRequest } from 'fastify';
import { attachmentTooLarge } from './ticket-conversation.js';

/** A preParsing hook: a declared size over the limit is refused before a byte is read, naming the body. */
export const refuseOversizedUpload = (maxBytes: number) => async (request: FastifyRequest) => {
  if (Number(request.headers['content-length']) > maxBytes) throw attachmentTooLarge(maxBytes);
};

/** A file uploaded as the request body: its bytes and the media type it declares, without parameters. */
export const uploadedFile = (request: FastifyRequest, filename: string) => ({
  bytes: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
  filename,
  mediaType: String(request.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase(),
});
