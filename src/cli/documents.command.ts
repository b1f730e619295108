import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { listDocumentsQuery, uploadFields } from '../documents/documents.schemas.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';
import { idArgument, type WithApp } from './options.js';

type UploadOptions = { folder: string; customer?: string; title?: string };
type ListOptions = { folder?: string; limit: string };

const when = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ');

/** A file's type by its extension, for the few kinds a browser shows; anything else is plain bytes. */
const mediaTypes: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.html': 'text/html',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.eml': 'message/rfc822',
};

/** `tidings documents upload|list`: the repository on the command line, through the same services. */
export function registerDocumentsCommand(program: Command, withApp: WithApp, actor: () => Actor) {
  const documents = program.command('documents').description('The document repository');
  documents
    .command('upload <file>')
    .description('Upload a file as a new document (version 1.0)')
    .requiredOption('--folder <name-or-id>', 'the folder to put it in')
    .option('--customer <id>', 'link it to this customer')
    .option('--title <title>', 'the title (the file name otherwise)')
    .action((file: string, options: UploadOptions) =>
      withApp(async (app) => {
        if (!fs.existsSync(file) || !fs.statSync(file).isFile())
          throw new AppError('validation_failed', 'cli.no_file', `${file} is not a file.`);
        if (options.customer) idArgument(options.customer, `--customer: ${options.customer} is not a customer id`);
        const folder = await app.services.documentFolders.find(actor(), options.folder);
        const fields = uploadFields.parse({ folderId: folder.id, title: options.title, customerId: options.customer });
        const uploaded = await app.services.documents.upload(actor(), fields, {
          stream: fs.createReadStream(file),
          filename: path.basename(file),
          mediaType: mediaTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        });
        console.log(`Uploaded ${uploaded.id} "${uploaded.title}" ${uploaded.currentVersion.label}`);
        console.log(`  ${uploaded.currentVersion.size} bytes, sha256 ${uploaded.currentVersion.sha256}`);
        for (const duplicate of uploaded.duplicates)
          console.log(`  Same content as ${duplicate.id} "${duplicate.title}"`);
      }),
    );
  documents
    .command('list')
    .description('Documents, most recently changed first')
    .option('--folder <name-or-id>', 'only this folder')
    .option('--limit <n>', 'how many', '50')
    .action((options: ListOptions) =>
      withApp(async (app) => {
        const folderId = options.folder
          ? (await app.services.documentFolders.find(actor(), options.folder)).id
          : undefined;
        const parsed = listDocumentsQuery.safeParse({ folderId, limit: options.limit });
        if (!parsed.success) throw new AppError('validation_failed', 'cli.bad_option', '--limit: must be 1 to 500');
        const { documents: page } = await app.services.documents.list(actor(), parsed.data);
        if (page.length === 0) console.log('No documents.');
        for (const document of page)
          console.log(
            `${document.id}  ${document.currentVersion.label.padEnd(6)} ${when(document.updatedAt)}  ${document.title}${document.lock ? `  [checked out by ${document.lock.by.name}]` : ''}`,
          );
      }),
    );
}
