import type { Command } from 'commander';
import type { Actor } from '../shared/actor.js';
import type { WithApp } from './options.js';

/** `tidings announcements list|publish`: change announcements and their acknowledgement, from a shell. */
export function registerAnnouncementsCommand(program: Command, withApp: WithApp, actor: () => Actor) {
  const announcements = program.command('announcements').description('Change announcements to staff and customers');
  announcements
    .command('list')
    .description('Announcements, newest first, with how many acknowledged')
    .option('--limit <n>', 'how many', '50')
    .action((options: { limit: string }) =>
      withApp(async (app) => {
        const { announcements: list } = await app.services.announcements.list(actor(), {
          limit: Number(options.limit),
        });
        for (const row of list)
          console.log(
            `${row.id}  ${row.status.padEnd(9)} ${`${row.acknowledged}/${row.recipients}`.padStart(7)}  ${row.title}`,
          );
      }),
    );
  announcements
    .command('publish <id>')
    .description('Publish a draft: its staff are told and its customer mailing starts')
    .action((id: string) =>
      withApp(async (app) => {
        const published = await app.services.announcements.publish(actor(), id);
        console.log(
          `Published "${published.title}"${published.batchRunId ? `; customer mailing: batch run ${published.batchRunId}` : ''}.`,
        );
      }),
    );
}
