import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { cursorParam, nextCursor, pageSize } from '../http/schemas.js';
import { scans, scanStatuses } from './scans.tables.js';

/** The scan upload's form: the file alone, PDF, PNG, JPEG or TIFF. */
export const uploadScanFields = z.strictObject({});
export const uploadScanForm = uploadScanFields.extend({
  file: z.unknown().meta({ type: 'string', format: 'binary', description: 'The scan: a PDF, PNG, JPEG or TIFF file' }),
});

export const listScansQuery = z.strictObject({
  status: z.enum(scanStatuses).optional().describe('unmatched: the scans waiting to be filed by hand'),
  cursor: cursorParam,
  limit: pageSize,
});
export type ListScansQuery = z.infer<typeof listScansQuery>;

const referenceText = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .describe('The code printed on the letter, as read: TDG-XXXXX-XXXXX (case, spaces and dashes do not matter)');

/**
 * Filing an unmatched scan by hand: by the reference code read off the paper, or by the customer
 * (and, if known, which of their communications it answers).
 */
export const fileScanBody = z
  .strictObject({
    reference: referenceText.optional(),
    customerId: z.uuid().optional(),
    communicationId: z.uuid().optional().describe("One of the customer's communications that the scan answers"),
  })
  .superRefine((body, context) => {
    if (!body.reference && !body.customerId)
      context.addIssue({ code: 'custom', path: ['customerId'], message: 'name the customer, or give the reference' });
    if (body.reference && (body.customerId || body.communicationId))
      context.addIssue({
        code: 'custom',
        path: ['reference'],
        message: 'names the communication and its customer: give it alone',
      });
    if (body.communicationId && !body.customerId)
      context.addIssue({ code: 'custom', path: ['customerId'], message: 'is required with communicationId' });
  });
export type FileScanInput = z.infer<typeof fileScanBody>;

export const referenceParams = z.strictObject({ code: referenceText });

export const scanResponse = createSelectSchema(scans)
  .omit({ sha256: true, inboundMessageId: true, attachmentIndex: true })
  .extend({
    customerName: z.string().nullable(),
    ticketNumber: z.number().int().nullable(),
    documentTitle: z.string().nullable(),
  })
  .describe('Scan');

export const scansPageResponse = z.object({ scans: z.array(scanResponse), nextCursor });

export const referencedCommunicationResponse = z
  .object({
    id: z.uuid(),
    reference: z.string(),
    customerId: z.uuid(),
    customerName: z.string(),
    channel: z.string().nullable(),
    status: z.string(),
    templateName: z.string(),
    templateVersionNumber: z.number().int(),
    sentAt: z.date().nullable(),
    createdAt: z.date(),
  })
  .describe('ReferencedCommunication');
