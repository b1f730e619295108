import { Option, type Command } from 'commander';
import { z } from 'zod';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';
import { listTicketsQuery, ticketViews } from '../tickets/tickets.schemas.js';
import { ticketKinds } from '../tickets/tickets.tables.js';
import type { WithApp } from './options.js';

type ListOptions = { view: string; status?: string; kind?: string; queue?: string; customer?: string; limit: string };

/** The options as the API's query, so the CLI refuses what the API refuses, in the same words. */
function listQuery(options: ListOptions) {
  const parsed = listTicketsQuery.safeParse({
    view: options.view,
    status: options.status,
    kind: options.kind,
    queueId: options.queue,
    customerId: options.customer,
    limit: options.limit,
  });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new AppError(
    'validation_failed',
    'cli.bad_option',
    `--${String(issue.path[0])}: ${z.prettifyError(parsed.error).split('\n')[0]}`,
  );
}

const when = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ');

/** `tidings tickets list`: the agent inbox on the command line. */
export function registerTicketsCommand(program: Command, withApp: WithApp, actor: () => Actor) {
  const tickets = program.command('tickets').description('Service desk: requests, inquiries and complaints');
  tickets
    .command('list')
    .description('Tickets, newest first, with the open counts per inbox view')
    .addOption(new Option('--view <view>', 'which inbox').choices(ticketViews).default('all'))
    .option('--status <statuses>', 'comma-separated statuses, e.g. new,open')
    .addOption(new Option('--kind <kind>', 'only this kind').choices(ticketKinds))
    .option('--queue <id>', 'only this queue')
    .option('--customer <id>', 'only this customer')
    .option('--limit <n>', 'how many', '50')
    .action((options: ListOptions) => {
      const query = listQuery(options);
      return withApp(async (app) => {
        const counts = await app.services.tickets.counts(actor());
        console.log(`Open: all ${counts.all}, unassigned ${counts.unassigned}`);
        const { tickets: page } = await app.services.tickets.list(actor(), query);
        if (page.length === 0) console.log('No tickets match.');
        for (const ticket of page) {
          console.log(
            `#${String(ticket.number).padEnd(6)} ${ticket.kind.padEnd(9)} ${ticket.status.padEnd(16)} ${ticket.priority.padEnd(6)} ${when(ticket.createdAt)}  ${ticket.customerName}: ${ticket.subject}${ticket.assigneeName ? `  [${ticket.assigneeName}]` : ''}`,
          );
        }
      });
    });
}
