import { describe, expect, it } from 'vitest';
import { contentDisposition } from '../../src/http/download.js';

/** The file name a browser saves under: RFC 6266 prefers `filename*` over the ASCII `filename`. */
function savedName(header: string): string {
  const exact = /filename\*=UTF-8''([^;]+)/.exec(header)?.[1];
  return decodeURIComponent(exact!);
}

describe('the Content-Disposition of a download', () => {
  it.each([
    'customers.csv',
    'Jürgen Müller.vcf',
    'Łódź – Straße (Kopie).pdf',
    "O'Brien *final*.zip",
    'Renate "Rundreise" \\ Berlin.vcf',
  ])('saves %s under its exact name', (fileName) => {
    expect(savedName(contentDisposition('attachment', fileName))).toBe(fileName);
  });

  it('gives clients that only read `filename` the name in printable ASCII', () => {
    expect(contentDisposition('inline', 'Jürgen Müller.pdf')).toBe(
      `inline; filename="J_rgen M_ller.pdf"; filename*=UTF-8''J%C3%BCrgen%20M%C3%BCller.pdf`,
    );
  });

  it('keeps quotes, backslashes and line breaks in a name from ending the value or adding a header', () => {
    const header = contentDisposition('attachment', 'a"; filename="evil.exe\r\nSet-Cookie: x=1\\.csv');
    expect(header).not.toMatch(/[\r\n]/);
    // One quoted value and nothing after it but the encoded name.
    expect(header).toMatch(/^attachment; filename="[^"\\]*"; filename\*=UTF-8''[A-Za-z0-9%!._~-]+$/);
  });
});
