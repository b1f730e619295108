import type { ConsentService } from '../customers/consent.service.js';
import type { CustomersService } from '../customers/customers.service.js';
import { channels, purposes, type Channel, type Purpose, type QuietHours } from '../customers/customers.tables.js';
import { systemActor } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';
import { consentPurposesInPortal, editableBy, editableProfileFields } from './portal.policy.js';
import type { PortalProfileInput } from './portal.schemas.js';
import type { PortalViewer } from './portal-viewer.js';

export type PortalProfile = ReturnType<typeof createPortalProfile>;

/** Who the customer's own changes are recorded as, in the audit trail and on their timeline. */
export const portalActor = (viewer: Pick<PortalViewer, 'email'>) => systemActor(`portal:${viewer.email}`);

/**
 * The customer's own settings: contact details they may keep up to date, channel preferences, quiet
 * hours and consent per channel and purpose. Changes go through the customers and consent services,
 * so each is validated, audited and on the customer's timeline as any staff change would be.
 */
export function createPortalProfile(deps: {
  customers: Pick<CustomersService, 'get' | 'update'>;
  consent: Pick<ConsentService, 'record'>;
}) {
  async function read(viewer: PortalViewer) {
    const customer = await deps.customers.get(portalActor(viewer), viewer.customerId);
    const contact = viewer.contactId ? customer.contacts.find((candidate) => candidate.id === viewer.contactId) : null;
    // Every channel and purpose, asked or not: null where the customer never said.
    const consents = channels.flatMap((channel) =>
      purposes.map((purpose) => {
        const state = customer.consents.find((row) => row.channel === channel && row.purpose === purpose);
        return {
          channel,
          purpose,
          granted: state?.granted ?? null,
          at: state?.at ?? null,
          changeable: consentPurposesInPortal.includes(purpose),
        };
      }),
    );
    return {
      customer: { id: customer.id, kind: customer.kind, name: customer.name },
      contact: contact
        ? { id: contact.id, name: contact.name, role: contact.role, email: contact.email, phone: contact.phone }
        : null,
      givenName: customer.givenName,
      familyName: customer.familyName,
      organizationName: customer.organizationName,
      emails: customer.emails,
      phones: customer.phones,
      fax: customer.fax,
      address: customer.address,
      language: customer.language,
      timeZone: customer.timeZone,
      channelPreferences: customer.channelPreferences,
      quietHours: customer.quietHours,
      consents,
      editable: [...editableBy(viewer, customer.kind)],
    };
  }

  return {
    read,

    /** Changes the contact details the customer may edit; any other field is refused by name. */
    async update(viewer: PortalViewer, input: PortalProfileInput) {
      const { kind } = await deps.customers.get(portalActor(viewer), viewer.customerId);
      const refused = Object.keys(input).filter((field) => !editableProfileFields[kind].includes(field));
      if (refused.length > 0)
        throw new AppError(
          'validation_failed',
          'portal.field_not_editable',
          `You cannot change ${refused.join(', ')} here; ask us to.`,
          refused.map((field) => ({ path: `body.${field}`, message: `is not a field you can change (${kind})` })),
        );
      await deps.customers.update(portalActor(viewer), viewer.customerId, input);
      return read(viewer);
    },

    async setPreferences(
      viewer: PortalViewer,
      input: { channelPreferences: Channel[]; quietHours: QuietHours | null },
    ) {
      await deps.customers.update(portalActor(viewer), viewer.customerId, input);
      return read(viewer);
    },

    /** Grants or withdraws consent in the ledger, with source `portal`. */
    async setConsent(viewer: PortalViewer, channel: Channel, purpose: Purpose, granted: boolean) {
      if (!consentPurposesInPortal.includes(purpose))
        throw new AppError(
          'validation_failed',
          'portal.consent_not_changeable',
          `${purpose} messages (bills, contract notices, sign-in links) go as long as you are our customer; ask us about them.`,
          [{ path: 'params.purpose', message: `${purpose} consent is not changed in the portal` }],
        );
      await deps.consent.record(portalActor(viewer), viewer.customerId, {
        channel,
        purpose,
        granted,
        source: 'portal',
      });
      return read(viewer);
    },
  };
}
