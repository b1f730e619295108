import { z } from 'zod';
import { channels, purposes } from '../customers/customers.tables.js';

export const unsubscribeParams = z.strictObject({
  token: z.string().min(1).max(200).describe('The signed token from the unsubscribe link'),
});

export const unsubscribeResponse = z
  .object({
    channel: z.enum(channels),
    purpose: z.enum(purposes),
    customerName: z.string(),
  })
  .describe('The consent the link withdraws (GET) or withdrew (POST)');
