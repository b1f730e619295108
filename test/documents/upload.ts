import { randomBytes } from 'node:crypto';
import type { TestClient } from '../support/client.js';

export type FilePart = { filename: string; mediaType: string; bytes: Buffer };

/** A multipart/form-data body as a browser's FormData sends it: the fields in order, then the file. */
export function multipart(fields: Record<string, string>, file?: FilePart, fileField = 'file') {
  const boundary = `----tidings${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (file)
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="${file.filename}"\r\nContent-Type: ${file.mediaType}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Sends a form (or any raw request) with the client's session, answering the raw bytes beside the parsed body. */
export async function sendRaw(
  client: TestClient,
  method: 'GET' | 'POST',
  url: string,
  options: { form?: ReturnType<typeof multipart>; headers?: Record<string, string> } = {},
) {
  const response = await client.server.inject({
    method,
    url,
    headers: {
      cookie: client.cookie!,
      ...(method === 'POST' ? { 'x-csrf-token': client.csrfToken! } : {}),
      ...(options.form ? { 'content-type': options.form.contentType } : {}),
      ...options.headers,
    },
    ...(options.form ? { payload: options.form.payload } : {}),
  });
  const json = String(response.headers['content-type'] ?? '').includes('json') && response.body;
  return {
    status: response.statusCode,
    headers: response.headers,
    bytes: response.rawPayload,
    body: json ? JSON.parse(response.body) : undefined,
  };
}

/** A small PDF-looking file of real, random bytes. */
export const pdfBytes = (size = 20_000) => Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(size - 9)]);
