import { and, eq } from 'drizzle-orm';
import type { BlobStore } from '../blobs/blob-store.js';
import type { CommunicationsService } from '../communications/communications.service.js';
import type { ConsentService } from '../customers/consent.service.js';
import type { CustomersService } from '../customers/customers.service.js';
import { customerContacts, type Channel, type Purpose, type QuietHours } from '../customers/customers.tables.js';
import type { Database } from '../db/database.js';
import type { HelpCentreService } from '../knowledge/help-centre.service.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import type { BrandService } from '../templates/brand.service.js';
import { createPortalTickets } from '../tickets/portal-tickets.js';
import type { TicketsService } from '../tickets/tickets.service.js';
import type { TicketAttachment } from '../tickets/tickets.tables.js';
import { allowInPortal, ticketScopeOf } from './portal.policy.js';
import type { OpenPortalTicketInput, PortalProfileInput } from './portal.schemas.js';
import { createPortalInbox } from './portal-inbox.js';
import { createPortalProfile, portalActor } from './portal-profile.js';
import type { PortalViewer } from './portal-viewer.js';

export type PortalService = ReturnType<typeof createPortalService>;

const logoPath = '/api/portal/brand/logo';
const communicationPath = (id: string) => `/api/portal/communications/${id}`;
const attachmentPath = (ticketId: string, sha256: string) => `/api/portal/tickets/${ticketId}/attachments/${sha256}`;

const invalidRequest = (path: string, message: string) =>
  new AppError('validation_failed', 'portal.invalid_request', `The request is not valid: ${path} ${message}.`, [
    { path: `body.${path}`, message },
  ]);

/**
 * Everything a signed-in portal customer sees and does. Each action asks the portal policy once,
 * first; every record is looked up within the viewer's customer, so another customer's is not
 * there (404). Writes are made by the owning services as `portal:<email>`.
 */
export function createPortalService(deps: {
  db: Database;
  clock: Clock;
  blobs: Pick<BlobStore, 'read'>;
  brand: Pick<BrandService, 'get' | 'logo'>;
  customers: Pick<CustomersService, 'get' | 'update'>;
  consent: Pick<ConsentService, 'record'>;
  communications: Pick<CommunicationsService, 'archivedCopy'>;
  tickets: Pick<TicketsService, 'create' | 'addCustomerMessage' | 'uploadAttachment'>;
  help: Pick<HelpCentreService, 'read' | 'notDeflected'>;
}) {
  const inbox = createPortalInbox(deps);
  const tickets = createPortalTickets(deps);
  const profile = createPortalProfile(deps);

  /** The name on what the viewer writes: the contact who signed in, else the customer. */
  async function authorLabel(viewer: PortalViewer) {
    if (!viewer.contactId) return viewer.customerName;
    const [contact] = await deps.db
      .select({ name: customerContacts.name })
      .from(customerContacts)
      .where(and(eq(customerContacts.id, viewer.contactId), eq(customerContacts.customerId, viewer.customerId)));
    return contact?.name ?? viewer.customerName;
  }

  const withUrls = <Message extends { attachments: TicketAttachment[] }>(ticketId: string, message: Message) => ({
    ...message,
    attachments: message.attachments.map((file) => ({ ...file, url: attachmentPath(ticketId, file.sha256) })),
  });

  async function conversation(viewer: PortalViewer, id: string) {
    const ticket = await tickets.conversation(ticketScopeOf(viewer), id);
    return { ...ticket, messages: ticket.messages.map((message) => withUrls(id, message)) };
  }

  /** A help article that did not answer the question must be one the help centre shows. */
  async function checkArticle(slug: string) {
    await deps.help.read(slug).catch((error: unknown) => {
      if (error instanceof AppError && error.kind === 'not_found')
        throw invalidRequest('articleSlug', 'names no article of the help centre');
      throw error;
    });
  }

  return {
    /** The brand kit's look, for the portal's layout before and after sign-in. */
    async brand() {
      const kit = await deps.brand.get();
      return {
        companyName: kit.companyName,
        primaryColor: kit.colors.primary,
        accentColor: kit.colors.accent,
        logoUrl: kit.logoSha256 ? logoPath : null,
      };
    },

    logo: () => deps.brand.logo(),

    async inbox(viewer: PortalViewer, query: { cursor?: string; limit: number }) {
      allowInPortal(viewer, 'inbox.read');
      return inbox.list(viewer.customerId, query);
    },

    async communication(viewer: PortalViewer, id: string) {
      allowInPortal(viewer, 'communication.read');
      const item = await inbox.read(viewer.customerId, id);
      return {
        ...item,
        copyUrl: `${communicationPath(id)}/copy`,
        downloadUrl: `${communicationPath(id)}/copy?download=1`,
        complaint: await tickets.complaintAbout(ticketScopeOf(viewer), id),
      };
    },

    /** The archived copy, audited as a staff download is. */
    async copy(viewer: PortalViewer, id: string) {
      allowInPortal(viewer, 'communication.read');
      return inbox.copy(portalActor(viewer), viewer.customerId, id);
    },

    async tickets(viewer: PortalViewer, query: { cursor?: string; limit: number }) {
      allowInPortal(viewer, 'tickets.read');
      return tickets.list(ticketScopeOf(viewer), query);
    },

    async ticket(viewer: PortalViewer, id: string) {
      allowInPortal(viewer, 'tickets.read');
      return conversation(viewer, id);
    },

    /**
     * Opens a request or a complaint. A complaint names a communication the viewer received; the
     * ticket is linked to it and its template version. Opened from a help article, the article is
     * counted as one that did not deflect a request.
     */
    async openTicket(viewer: PortalViewer, input: OpenPortalTicketInput) {
      allowInPortal(viewer, 'tickets.open');
      if (input.kind === 'complaint') allowInPortal(viewer, 'tickets.complain');
      if (input.kind === 'complaint' && !input.communicationId)
        throw invalidRequest('communicationId', 'is required: a complaint names the letter or message it is about');
      if (input.communicationId) {
        allowInPortal(viewer, 'communication.read');
        await inbox.received(viewer.customerId, input.communicationId);
      }
      if (input.articleSlug) await checkArticle(input.articleSlug);
      const opened = await tickets.open(portalActor(viewer), ticketScopeOf(viewer), {
        kind: input.kind,
        subject: input.subject,
        body: input.body,
        communicationId: input.communicationId,
        attachments: input.attachments,
        authorLabel: await authorLabel(viewer),
      });
      if (input.articleSlug) await deps.help.notDeflected(input.articleSlug);
      return conversation(viewer, opened.id);
    },

    async write(viewer: PortalViewer, id: string, input: { body: string; attachments: string[] }) {
      allowInPortal(viewer, 'tickets.reply');
      const message = await tickets.write(portalActor(viewer), ticketScopeOf(viewer), id, {
        ...input,
        authorLabel: await authorLabel(viewer),
      });
      return withUrls(id, message);
    },

    async upload(viewer: PortalViewer, file: { bytes: Buffer; filename: string; mediaType: string }) {
      allowInPortal(viewer, 'attachments.upload');
      return tickets.upload(portalActor(viewer), ticketScopeOf(viewer), { ...file, uploadedBy: viewer.email });
    },

    async attachment(viewer: PortalViewer, id: string, sha256: string) {
      allowInPortal(viewer, 'tickets.read');
      return tickets.attachment(ticketScopeOf(viewer), id, sha256);
    },

    async profile(viewer: PortalViewer) {
      allowInPortal(viewer, 'profile.read');
      return profile.read(viewer);
    },

    async updateProfile(viewer: PortalViewer, input: PortalProfileInput) {
      allowInPortal(viewer, 'profile.write');
      return profile.update(viewer, input);
    },

    async setPreferences(
      viewer: PortalViewer,
      input: { channelPreferences: Channel[]; quietHours: QuietHours | null },
    ) {
      allowInPortal(viewer, 'preferences.write');
      return profile.setPreferences(viewer, input);
    },

    async setConsent(viewer: PortalViewer, channel: Channel, purpose: Purpose, granted: boolean) {
      allowInPortal(viewer, 'consents.write');
      return profile.setConsent(viewer, channel, purpose, granted);
    },
  };
}
