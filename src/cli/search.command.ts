import type { Command } from 'commander';
import { searchQuery } from '../search/search.schemas.js';
import type { Actor } from '../shared/actor.js';
import type { WithApp } from './options.js';

type SearchOptions = {
  kind?: string;
  folder?: string;
  tag?: string;
  customer?: string;
  from?: string;
  to?: string;
  limit: string;
  offset: string;
};

/** The snippet as a terminal shows it: matched words in brackets, no markup. */
const plainSnippet = (html: string) =>
  html
    .replaceAll('<mark>', '[')
    .replaceAll('</mark>', ']')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/** `tidings search <words…>`: full-text search over documents and archived communications. */
export function registerSearchCommand(program: Command, withApp: WithApp, actor: () => Actor) {
  program
    .command('search <words...>')
    .description('Search documents and archived communications (words, "a phrase", or, -without)')
    .option('--kind <kinds>', 'document and/or communication, comma-separated')
    .option('--folder <ids>', 'folder ids, comma-separated')
    .option('--tag <tags>', 'tags, comma-separated')
    .option('--customer <ids>', 'customer ids, comma-separated')
    .option('--from <day>', 'changed or made on or after this day (YYYY-MM-DD)')
    .option('--to <day>', 'changed or made on or before this day (YYYY-MM-DD)')
    .option('--limit <n>', 'results per page', '20')
    .option('--offset <n>', 'results to skip', '0')
    .action((words: string[], options: SearchOptions) =>
      withApp(async (app) => {
        const query = searchQuery.parse({
          q: words.join(' '),
          kind: options.kind,
          folderId: options.folder,
          tag: options.tag,
          customerId: options.customer,
          from: options.from,
          to: options.to,
          limit: options.limit,
          offset: options.offset,
        });
        const found = await app.services.search.search(actor(), query);
        console.log(`${found.total} found`);
        for (const result of found.results) {
          const where = result.kind === 'document' ? (result.folderName ?? '') : (result.channel ?? '');
          console.log(`${result.kind.padEnd(13)} ${result.id}  ${result.title}  (${where}, ${result.at.slice(0, 10)})`);
          if (result.snippet) console.log(`  ${plainSnippet(result.snippet)}`);
        }
        if (found.nextOffset !== null) console.log(`More: --offset ${found.nextOffset}`);
      }),
    );
}
