import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { documentTypeBody } from '../documents/document-types.schemas.js';
import { listDocumentsQuery, uploadFields } from '../documents/documents.schemas.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';
import { idArgument, type WithApp } from './options.js';

type UploadOptions = { folder: string; customer?: string; title?: string; type?: string; meta: string[] };

/** `--meta key=value`, repeated: the values of the document type's fields. */
const collectMeta = (pair: string, pairs: string[]) => [...pairs, pair];
function metadataOption(pairs: string[]) {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new AppError('validation_failed', 'cli.bad_meta', `--meta ${pair}: write it as key=value`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}
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
    .option('--type <name-or-id>', 'the document type')
    .option('--meta <key=value>', "a value of the type's fields (repeat for each)", collectMeta, [])
    .action((file: string, options: UploadOptions) =>
      withApp(async (app) => {
        if (!fs.existsSync(file) || !fs.statSync(file).isFile())
          throw new AppError('validation_failed', 'cli.no_file', `${file} is not a file.`);
        if (options.customer) idArgument(options.customer, `--customer: ${options.customer} is not a customer id`);
        const folder = await app.services.documentFolders.find(actor(), options.folder);
        const typeId = options.type ? (await app.services.documentTypes.get(actor(), options.type)).id : undefined;
        const fields = uploadFields.parse({
          folderId: folder.id,
          title: options.title,
          customerId: options.customer,
          typeId,
          metadata: options.meta.length ? JSON.stringify(metadataOption(options.meta)) : undefined,
        });
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

  registerTypesCommand(documents, withApp, actor);
}

/** `tidings documents types list|define|remove`: document types and their metadata fields. */
function registerTypesCommand(documents: Command, withApp: WithApp, actor: () => Actor) {
  const types = documents.command('types').description('Document types and the metadata fields of each');
  types
    .command('list')
    .description('The document types with their fields')
    .action(() =>
      withApp(async (app) => {
        const all = await app.services.documentTypes.list(actor());
        if (all.length === 0) console.log('No document types.');
        for (const type of all) {
          console.log(`${type.id}  ${type.name}  (${type.documentCount} documents)`);
          for (const field of type.fields)
            console.log(
              `  ${field.key}: ${field.kind}${field.required ? ', required' : ''}${field.choices.length ? ` [${field.choices.join(', ')}]` : ''}  ${field.label}`,
            );
        }
      }),
    );
  types
    .command('define <file>')
    .description(
      'Define a document type from a JSON file: {"name", "description", "fields": [{key, label, kind, required, choices}]}',
    )
    .action((file: string) =>
      withApp(async (app) => {
        let json: unknown;
        try {
          json = JSON.parse(fs.readFileSync(file, 'utf8'));
        } catch (error) {
          throw new AppError('validation_failed', 'cli.bad_file', `${file}: ${(error as Error).message}`);
        }
        const parsed = documentTypeBody.safeParse(json);
        if (!parsed.success)
          throw new AppError(
            'validation_failed',
            'cli.bad_type',
            parsed.error.issues.map((issue) => `${issue.path.join('.') || file}: ${issue.message}`).join('; '),
          );
        const type = await app.services.documentTypes.create(actor(), parsed.data);
        console.log(`Defined ${type.id} "${type.name}" with ${type.fields.length} fields`);
      }),
    );
  types
    .command('remove <name-or-id>')
    .description('Remove a document type no document has')
    .action((nameOrId: string) =>
      withApp(async (app) => {
        const type = await app.services.documentTypes.get(actor(), nameOrId);
        await app.services.documentTypes.remove(actor(), type.id);
        console.log(`Removed "${type.name}"`);
      }),
    );
}
