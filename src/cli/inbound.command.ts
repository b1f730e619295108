import fs from 'node:fs/promises';
import type { Command } from 'commander';
import type { InboundResult } from '../inbound/inbound.service.js';
import { AppError } from '../shared/errors.js';
import type { WithApp } from './options.js';

const ticket = (result: InboundResult) => `ticket #${result.ticketNumber}`;

/** One line that says what became of the message. */
export function describeInbound(result: InboundResult): string {
  const said = {
    ticket_created: () => `Opened ${ticket(result)}`,
    ticket_message: () => `Added to ${ticket(result)}`,
    duplicate: () => `Already on ${ticket(result)} (the same Message-ID)`,
    bounce: () => 'Bounce, no ticket',
    auto_reply: () => 'Ignored automatic reply, no ticket',
    scans: () => 'Scanned paper, handed to the scans',
  }[result.outcome]();
  return `${said}. ${result.detail ?? ''}`.trim();
}

/** `tidings inbound test <file.eml>`: a message through the same path as one received by SMTP. */
export function registerInboundCommand(program: Command, withApp: WithApp) {
  const inbound = program.command('inbound').description('Inbound support mail');
  inbound
    .command('test')
    .description(
      'Store and process an .eml file as if the SMTP listener had accepted it, and print what it became (a ticket number, a bounce, an ignored auto-reply)',
    )
    .argument('<file>', 'the raw message (.eml)')
    .option('--mail-from <address>', 'the envelope sender, as the sending server would give it')
    .action(async (file: string, options: { mailFrom?: string }) => {
      const raw = await fs.readFile(file).catch((error: NodeJS.ErrnoException) => {
        throw new AppError('not_found', 'cli.no_file', `Cannot read ${file}: ${error.code ?? error.message}`);
      });
      return withApp(async (app) => {
        const { InboundRefusal } = await import('../inbound/inbound.service.js');
        try {
          const stored = await app.inbound.receive(raw, { mailFrom: options.mailFrom ?? null, recipients: [] });
          console.log(describeInbound(await app.inbound.process(stored.id)));
        } catch (error) {
          if (!(error instanceof InboundRefusal)) throw error;
          console.error(`Refused (SMTP ${error.responseCode}): ${error.message}`);
          process.exitCode = 1;
        }
      });
    });
}
