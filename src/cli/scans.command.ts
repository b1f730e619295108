import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';
import type { WithApp } from './options.js';

/** `tidings scans file <path>`: a scanned answer read and filed now, through the same service as an upload. */
export function registerScansCommand(program: Command, withApp: WithApp, actor: () => Actor) {
  const scans = program.command('scans').description('Scanned paper answers, filed on the letter they answer');
  scans
    .command('file <path>')
    .description(
      'Read a scan (PDF, PNG, JPEG or TIFF) for the reference code its letter printed and file it: a document in "Scanned mail" and a ticket on the communication; without a code it waits among the unmatched scans and the command exits 2',
    )
    .action((file: string) =>
      withApp(async (app) => {
        if (!fs.existsSync(file) || !fs.statSync(file).isFile())
          throw new AppError('validation_failed', 'cli.no_file', `${file} is not a file.`);
        const uploaded = await app.scans.upload(
          actor(),
          { stream: fs.createReadStream(file), filename: path.basename(file), mediaType: 'application/octet-stream' },
          { readingNow: true },
        );
        await app.scans.process(uploaded.id);
        const scan = await app.scans.get(actor(), uploaded.id);
        if (scan.status === 'filed') {
          console.log(`Filed on ${scan.customerName}: ticket #${scan.ticketNumber}, document "${scan.documentTitle}".`);
          console.log(`  ${scan.detail ?? ''}`.trimEnd());
        } else {
          console.log(`Not filed (${scan.status}): ${scan.detail ?? ''}`.trimEnd());
          console.log(`  Scan ${scan.id} waits among the unmatched scans, to be filed by hand.`);
          process.exitCode = 2;
        }
      }),
    );
}
