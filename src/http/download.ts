import type { FastifyReply } from 'fastify';

/** A file as a reply sends it: bytes in hand (Fastify sets their length) or a stream (sent chunked). */
export type Download = {
  body: Buffer | string | NodeJS.ReadableStream;
  mediaType: string;
  fileName: string;
  /** `attachment` saves the file; `inline` lets the browser show it (an archived PDF, an email). */
  disposition?: 'attachment' | 'inline';
};

// RFC 5987's attr-char leaves these to percent-encoding, which encodeURIComponent does not do.
const notAttrChar = /['()*]/g;

/**
 * `attachment; filename="Brief_M_rz.pdf"; filename*=UTF-8''Brief%20M%C3%A4rz.pdf` (RFC 6266): the name as
 * printable ASCII for clients that know only `filename`, and exactly for the rest. A quote, backslash or
 * line break in a name cannot end the header value or start another header.
 */
export function contentDisposition(disposition: 'attachment' | 'inline', fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const exact = encodeURIComponent(fileName).replace(
    notAttrChar,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

/** Replies with a file: its media type, a name safe in the header, and the bytes or the stream. */
export function sendFile(reply: FastifyReply, { body, mediaType, fileName, disposition = 'attachment' }: Download) {
  return reply.type(mediaType).header('content-disposition', contentDisposition(disposition, fileName)).send(body);
}
