import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { cannedResponses } from './tickets.tables.js';

const fields = {
  name: z.string().trim().min(1).max(100),
  body: z
    .string()
    .trim()
    .min(1)
    .max(20_000)
    .describe('Markdown with Liquid placeholders: {{ customer.name }}, {{ ticket.number }}, {{ agent.name }} …'),
};

export const cannedResponseBody = z.strictObject(fields);
export const updateCannedResponseBody = z.strictObject(fields).partial();
export type CannedResponseInput = z.infer<typeof cannedResponseBody>;

export const renderCannedResponseBody = z.strictObject({
  ticketId: z.uuid().describe('The ticket whose customer and subject fill the placeholders'),
});

export const cannedResponseResponse = createSelectSchema(cannedResponses).describe('CannedResponse');

export const renderedCannedResponse = z
  .object({ body: z.string().describe('The text to insert into the reply') })
  .describe('RenderedCannedResponse');
