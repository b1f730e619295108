import type { Command } from 'commander';
import { finalStatuses, waitsForPrint, type CommunicationStatus } from '../communications/communications.tables.js';
import type { Actor } from '../shared/actor.js';
import { idArgument, parseDataOption, type WithApp } from './options.js';

/** The channel took it (sent or delivered), or the print queue did. */
const handedOver = (communication: { status: CommunicationStatus }) =>
  communication.status === 'sent' || communication.status === 'delivered' || waitsForPrint(communication);

/**
 * `tidings send <template> --customer <id>` sends one communication now, as the API does, and waits
 * for the routing decision and hand-over; `tidings print-batch` gathers waiting letters for the printer.
 */
export function registerSendCommands(program: Command, withApp: WithApp, actor: () => Actor) {
  program
    .command('send')
    .description('Send a published template to one customer now, on the channel routing allows')
    .argument('<template>', 'template key')
    .requiredOption('--customer <id>', 'customer id')
    .option('--data <json>', 'the data the template declares, as JSON', '{}')
    .option('--idempotency-key <key>', 'the same key never sends twice')
    .option('--detach', 'queue it and return at once; the server workers do the sending')
    .action(
      (template: string, options: { customer: string; data: string; idempotencyKey?: string; detach?: boolean }) =>
        withApp(async (app) => {
          const customerId = idArgument(options.customer, `--customer is not a customer id: ${options.customer}`);
          const { communication, replayed } = await app.services.communications.send(
            actor(),
            { template, customerId, data: parseDataOption(options.data) },
            options.idempotencyKey,
          );
          console.log(
            `Communication ${communication.id}: ${communication.templateName} to ${communication.customerName}${replayed ? ' (already requested with this key)' : ''}`,
          );
          if (options.detach) return;
          app.worker.start();
          let current = await app.services.communications.get(actor(), communication.id);
          // A letter in the print queue is as far as a send goes until the next print batch.
          while (!finalStatuses.includes(current.status) && !waitsForPrint(current) && !current.deferUntil) {
            await new Promise((resolve) => setTimeout(resolve, 200));
            current = await app.services.communications.get(actor(), communication.id);
          }
          if (current.deferUntil) {
            console.log(
              `Deferred by quiet hours until ${current.deferUntil.toISOString()}; a running server sends it then.`,
            );
            return;
          }
          // Anything but handed over (suppressed, failed, bounced) is a failure, also for a repeated key.
          if (!handedOver(current)) {
            console.error(`Not sent (${current.status}): ${current.statusReason ?? 'no reason was recorded'}`);
            process.exitCode = 1;
            return;
          }
          const what =
            current.channel === 'letter'
              ? 'Queued for the next print batch'
              : `Sent by ${current.channel} to ${current.address}`;
          console.log(`${what}: ${current.channelReason}.`);
        }),
    );

  program
    .command('print-batch')
    .description('Gather every letter waiting for print into one merged PDF and a CSV manifest now')
    .action(() =>
      withApp(async (app) => {
        const batch = await app.services.printBatches.create(actor());
        if (!batch) {
          console.log('No letters are waiting for print.');
          return;
        }
        console.log(
          `Print batch ${batch.id}: ${batch.items} letters, ${batch.pages} pages, written to ${batch.folder}`,
        );
      }),
    );
}
