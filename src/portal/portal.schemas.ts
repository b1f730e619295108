import { z } from 'zod';
import { channelSchema, purposeSchema, quietHoursSchema, updateCustomerBody } from '../customers/customers.schemas.js';
import { customerKinds } from '../customers/customers.tables.js';
import { cursorParam, nextCursor } from '../http/schemas.js';
import { slugSchema } from '../knowledge/knowledge.schemas.js';
import { ticketKinds, ticketStatuses } from '../tickets/tickets.tables.js';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest');
const portalPageSize = z.coerce.number().int().min(1).max(100).default(20);
const messageText = z.string().trim().min(1).max(20_000);

export const portalBrandResponse = z
  .object({
    companyName: z.string(),
    primaryColor: z.string(),
    accentColor: z.string(),
    logoUrl: z.string().nullable().describe('The logo image; null when the brand kit has none'),
  })
  .describe('PortalBrand');

export const portalPageQuery = z.strictObject({ cursor: cursorParam, limit: portalPageSize });

export const portalInboxItem = z
  .object({
    kind: z.literal('communication').describe('What the item is; shared documents will join the list'),
    id: z.uuid(),
    channel: channelSchema,
    subject: z.string(),
    sentAt: z.date().describe('When it went out; a letter waiting for the print run, when it was made'),
    mediaType: z.string().describe('The media type of the archived copy'),
    templateName: z.string(),
  })
  .describe('PortalInboxItem');

export const portalInboxPage = z.object({ items: z.array(portalInboxItem), nextCursor }).describe('PortalInboxPage');

export const portalComplaintLink = z
  .object({ ticketId: z.uuid(), number: z.number().int() })
  .nullable()
  .describe('The complaint the customer made about it, if any');

export const portalCommunicationResponse = portalInboxItem
  .omit({ kind: true })
  .extend({
    html: z
      .string()
      .nullable()
      .describe('Email: the HTML part as sent, made safe; portal message: its HTML; null for SMS, letters and faxes'),
    text: z.string().nullable().describe("Email: the text part; SMS: the message's text"),
    copyUrl: z.string().describe('The archived copy, shown in the page (a PDF letter)'),
    downloadUrl: z.string().describe('The archived copy as a file to save'),
    complaint: portalComplaintLink,
  })
  .describe('PortalCommunication');

export const portalCopyQuery = z.strictObject({
  download: z.enum(['0', '1']).optional().describe('1: as a file to save, else shown in the page'),
});

export const portalTicketResponse = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    kind: z.enum(ticketKinds),
    status: z.enum(ticketStatuses),
    subject: z.string(),
    communicationId: z.uuid().nullable().describe('The communication it is about'),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .describe('PortalTicket');

export const portalTicketsPage = z
  .object({ items: z.array(portalTicketResponse), nextCursor })
  .describe('PortalTicketsPage');

export const portalAttachmentResponse = z
  .object({
    sha256: z.string(),
    filename: z.string(),
    mediaType: z.string(),
    size: z.number().int(),
    url: z.string().describe('Where the file is downloaded'),
  })
  .describe('PortalAttachment');

export const portalTicketMessageResponse = z
  .object({
    id: z.uuid(),
    kind: z.enum(['customer', 'reply']).describe('customer: what you wrote; reply: our answer'),
    body: z.string(),
    authorLabel: z.string(),
    attachments: z.array(portalAttachmentResponse),
    createdAt: z.date(),
  })
  .describe('PortalTicketMessage');

export const portalTicketDetailResponse = portalTicketResponse
  .extend({ messages: z.array(portalTicketMessageResponse).describe('The public conversation, oldest first') })
  .describe('PortalTicketDetail');

const attachmentHashes = z
  .array(sha256)
  .max(10)
  .default([])
  .describe('Files uploaded before with POST /api/portal/attachments, by their sha256');

export const openPortalTicketBody = z.strictObject({
  kind: z.enum(['request', 'complaint']),
  subject: z.string().trim().min(1).max(300),
  body: messageText.describe('What you want to tell us'),
  communicationId: z.uuid().optional().describe('The letter or message it is about; a complaint names one'),
  articleSlug: slugSchema.optional().describe('The help article read before asking: it did not answer the question'),
  attachments: attachmentHashes,
});
export type OpenPortalTicketInput = z.infer<typeof openPortalTicketBody>;

export const portalMessageBody = z.strictObject({ body: messageText, attachments: attachmentHashes });

export const portalUploadResponse = z
  .object({ sha256: z.string(), filename: z.string(), mediaType: z.string(), size: z.number().int() })
  .describe('PortalUpload');

/** Every field the portal may let a customer change; which of them a customer may is the policy's (by kind). */
export const portalProfileBody = updateCustomerBody.pick({
  givenName: true,
  familyName: true,
  phones: true,
  fax: true,
  address: true,
  language: true,
  timeZone: true,
});
export type PortalProfileInput = z.infer<typeof portalProfileBody>;

export const portalPreferencesBody = z.strictObject({
  channelPreferences: z.array(channelSchema).max(5).describe('Channels in the order you prefer them'),
  quietHours: quietHoursSchema.nullable(),
});

export const portalConsentParams = z.strictObject({ channel: channelSchema, purpose: purposeSchema });
export const portalConsentBody = z.strictObject({ granted: z.boolean() });

const addressResponse = z.object({
  lines: z.array(z.string()),
  postalCode: z.string(),
  city: z.string(),
  region: z.string().optional(),
  country: z.string(),
});

export const portalProfileResponse = z
  .object({
    customer: z.object({ id: z.uuid(), kind: z.enum(customerKinds), name: z.string() }),
    contact: z
      .object({
        id: z.uuid(),
        name: z.string(),
        role: z.string().nullable(),
        email: z.string().nullable(),
        phone: z.string().nullable(),
      })
      .nullable()
      .describe('The organization contact who signed in'),
    givenName: z.string().nullable(),
    familyName: z.string().nullable(),
    organizationName: z.string().nullable(),
    emails: z.array(z.string()),
    phones: z.array(z.string()),
    fax: z.string().nullable(),
    address: addressResponse.nullable(),
    language: z.string(),
    timeZone: z.string(),
    channelPreferences: z.array(channelSchema),
    quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
    consents: z.array(
      z.object({
        channel: channelSchema,
        purpose: purposeSchema,
        granted: z.boolean().nullable().describe('null: never asked'),
        at: z.date().nullable(),
        changeable: z.boolean().describe('Whether the portal lets you grant or withdraw it'),
      }),
    ),
    editable: z.array(z.string()).describe('The fields PATCH /api/portal/profile accepts from you'),
  })
  .describe('PortalProfile');
