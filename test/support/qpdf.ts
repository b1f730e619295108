import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * `qpdf --check` on the PDF, as a print vendor's prepress would run it: the exit code (0 sound,
 * 2 errors, 3 warnings only) and what qpdf said.
 */
export async function qpdfCheck(pdf: Buffer): Promise<{ exitCode: number; output: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-qpdf-'));
  try {
    const file = path.join(dir, 'document.pdf');
    await fs.writeFile(file, pdf);
    return await new Promise((resolve, reject) => {
      execFile('qpdf', ['--check', file], (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({ exitCode: error ? Number(error.code) : 0, output: stdout + stderr });
      });
    });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
