import type { FastifyReply, FastifyRequest } from 'fastify';
import parseRange from 'range-parser';
import type { Readable } from 'node:stream';
import { contentDisposition } from '../http/download.js';
import { byteRange, showsInline } from './document-content.js';

type Content = { sha256: string; size: number; mediaType: string; filename: string; open: () => Readable };

/**
 * A version's bytes over HTTP: ETag is the content hash, one byte range answers 206 (a range past
 * the end 416), several ranges or a stale If-Range get the whole file. PDFs and images show in the
 * browser unless a download is asked for.
 */
export function sendContent(request: FastifyRequest, reply: FastifyReply, content: Content, download: boolean) {
  const etag = `"${content.sha256}"`;
  const disposition = download || !showsInline(content.mediaType) ? 'attachment' : 'inline';
  reply
    .header('accept-ranges', 'bytes')
    .header('etag', etag)
    .header('cache-control', 'private, no-cache')
    .header('content-disposition', contentDisposition(disposition, content.filename))
    .type(content.mediaType);

  const noneMatch = request.headers['if-none-match'];
  if (noneMatch && noneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*'))
    return reply.status(304).send();

  const range = request.headers.range;
  const ifRange = request.headers['if-range'];
  const rangeApplies = range !== undefined && (ifRange === undefined || ifRange === etag);
  const ranges = rangeApplies ? parseRange(content.size, range, { combine: true }) : -2;
  if (ranges === -1)
    return reply
      .status(416)
      .header('content-range', `bytes */${content.size}`)
      .type('application/json')
      .send({ error: 'document.range_not_satisfiable', message: `The file has ${content.size} bytes.`, details: [] });
  if (ranges !== -2 && ranges.type === 'bytes' && ranges.length === 1) {
    const { start, end } = ranges[0]!;
    return reply
      .status(206)
      .header('content-range', `bytes ${start}-${end}/${content.size}`)
      .header('content-length', String(end - start + 1))
      .send(byteRange(content.open(), start, end));
  }
  return reply.header('content-length', String(content.size)).send(content.open());
}
