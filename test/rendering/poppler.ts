import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type PdfFont = {
  name: string;
  type: string;
  encoding: string;
  embedded: boolean;
  subset: boolean;
  unicode: boolean;
};

/** Runs a poppler tool (poppler-utils, as a print vendor's prepress would) on the PDF. */
async function poppler(tool: 'pdftotext' | 'pdffonts', pdf: Buffer, args: string[]): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-pdf-'));
  try {
    const file = path.join(dir, 'document.pdf');
    await fs.writeFile(file, pdf);
    const { stdout } = await run(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The text a reader copies out of the PDF, line by line, as pdftotext extracts it. */
export async function pdfTextLines(pdf: Buffer): Promise<string[]> {
  return (await poppler('pdftotext', pdf, ['-enc', 'UTF-8'])).split('\n').map((line) => line.trimEnd());
}

/** Every font the PDF uses, as pdffonts lists it (the columns emb, sub and uni as booleans). */
export async function pdfFonts(pdf: Buffer): Promise<PdfFont[]> {
  const lines = (await poppler('pdffonts', pdf, [])).split('\n');
  const rule = lines[1]!;
  // Columns are as wide as the dashes under their headings.
  const columns = [...rule.matchAll(/-+/g)].map((match) => [match.index, match.index + match[0].length] as const);
  return lines
    .slice(2)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [name, type, encoding, emb, sub, uni] = columns.map(([from, to]) => line.slice(from, to + 1).trim());
      return {
        name: name!,
        type: type!,
        encoding: encoding!,
        embedded: emb === 'yes',
        subset: sub === 'yes',
        unicode: uni === 'yes',
      };
    });
}
