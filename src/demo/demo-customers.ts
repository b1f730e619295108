import type { App } from '../app.js';
import type { CreateCustomerInput } from '../customers/customers.schemas.js';
import type { Channel, LifecycleStage } from '../customers/customers.tables.js';
import type { Actor } from '../shared/actor.js';

const people: [string, string, string, string, string][] = [
  ['Greta', 'Schmidt', 'Hauptstraße 5', '10115 Berlin', 'de'],
  ['Jürgen', 'Müller', 'Bergmannstraße 22', '10961 Berlin', 'de'],
  ['Anna', 'Becker', 'Schillerplatz 3', '70173 Stuttgart', 'de'],
  ['Lukas', 'Wagner', 'Goethestraße 18', '80336 München', 'de'],
  ['Sophie', 'Hoffmann', 'Am Markt 7', '28195 Bremen', 'de'],
  ['Emily', 'Clarke', 'Kastanienallee 40', '10435 Berlin', 'en'],
  ['Mehmet', 'Yılmaz', 'Weserstraße 58', '12045 Berlin', 'de'],
  ['Hannah', 'Fischer', 'Lindenweg 3', '80331 München', 'de'],
  ['Paul', 'Weber', 'Rheinuferstraße 9', '50668 Köln', 'de'],
  ['Marie', 'Schulz', 'Elbchaussee 120', '22763 Hamburg', 'de'],
  ['Jonas', 'Koch', 'Karl-Marx-Allee 90', '10243 Berlin', 'de'],
  ['Lea', 'Richter', 'Königstraße 1', '70173 Stuttgart', 'de'],
  ['Oliver', 'Bennett', 'Torstraße 99', '10119 Berlin', 'en'],
  ['Clara', 'Wolf', 'Neckarstaden 12', '69117 Heidelberg', 'de'],
  ['Felix', 'Neumann', 'Prager Straße 2', '01069 Dresden', 'de'],
  ['Amelie', 'Schwarz', 'Domplatz 5', '39104 Magdeburg', 'de'],
];

/**
 * The person who signs in to the demo's customer portal: English, no quiet hours, a mobile number
 * and consent to the newsletter, so their correspondence has a letter, an email, an SMS and a portal message.
 */
export const DEMO_PORTAL_EMAIL = 'emily.clarke@example.com';
/** The demo organization whose owner signs in to the portal as its primary contact. */
export const DEMO_ORGANIZATION_EMAIL = 'info@autohaus-braun.example';
export const DEMO_PORTAL_CONTACT_EMAIL = 'thomas.braun@autohaus-braun.example';

/** Small businesses, several of which still work by fax (the brief's customers who never read email). */
const businesses: [string, string, string, string, boolean][] = [
  ['Bäckerei Krause GmbH', 'Karl Krause', 'Marktplatz 1', '14467 Potsdam', true],
  ['Sanitär Lehmann KG', 'Petra Lehmann', 'Industriestraße 14', '04109 Leipzig', true],
  ['Blumen Meier', 'Ingrid Meier', 'Rosenstraße 8', '99084 Erfurt', true],
  ['Autohaus Braun', 'Thomas Braun', 'Gewerbepark 3', '45127 Essen', false],
  ['Kanzlei Vogt & Partner', 'Dr. Eva Vogt', 'Kaiserstraße 30', '60311 Frankfurt am Main', true],
  ['Café Sonnenschein', 'Mia Sonne', 'Seestraße 2', '78462 Konstanz', false],
];

const stages: LifecycleStage[] = [
  'active',
  'active',
  'active',
  'onboarding',
  'prospect',
  'at_risk',
  'active',
  'closed',
];
const preferenceSets: Channel[][] = [
  ['email', 'portal'],
  ['sms', 'email'],
  ['letter'],
  ['email', 'sms', 'letter'],
  ['portal', 'email'],
];

const address = (street: string, place: string) => {
  const [postalCode, ...city] = place.split(' ');
  return { lines: [street], postalCode: postalCode!, city: city.join(' '), country: 'DE' };
};

const slug = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '.');

const personEmail = (givenName: string, familyName: string) => `${slug(givenName)}.${slug(familyName)}@example.com`;

/** A believable book of customers with preferences, consents, notes and a few segments. */
export async function seedDemoCustomers(app: App, actor: Actor, segmentOwner: Actor) {
  const { customers, segments } = app.services;
  const inputs: CreateCustomerInput[] = people.map(([givenName, familyName, street, place, language], index) => ({
    kind: 'person',
    givenName,
    familyName,
    emails: [personEmail(givenName, familyName)],
    phones:
      index % 3 === 2 && personEmail(givenName, familyName) !== DEMO_PORTAL_EMAIL
        ? []
        : [`+49 151 ${String(20000000 + index * 7919).slice(0, 8)}`],
    address: address(street, place),
    language,
    timeZone: 'Europe/Berlin',
    lifecycleStage: stages[index % stages.length],
    tags: [
      index < 3 ? 'sample' : undefined,
      index % 4 === 0 ? 'newsletter' : undefined,
      index % 5 === 1 ? 'vip' : undefined,
    ].filter((tag): tag is string => Boolean(tag)),
    channelPreferences: preferenceSets[index % preferenceSets.length],
    quietHours: index % 2 === 0 ? { start: '21:00', end: '08:00' } : null,
    consents: [
      { channel: 'email', purpose: 'marketing', granted: index % 3 !== 1, source: index % 2 ? 'form' : 'portal' },
      { channel: 'sms', purpose: 'marketing', granted: index % 4 === 0, source: 'form' },
    ],
  }));
  for (const [index, [name, contact, street, place, faxFirst]] of businesses.entries()) {
    const domain = `${slug(name).replace(/\./g, '-')}.example`;
    inputs.push({
      kind: 'organization',
      organizationName: name,
      emails: faxFirst ? [] : [`info@${domain}`],
      phones: [`+49 30 ${5550100 + index}`],
      fax: faxFirst ? `+49 30 ${5550200 + index}` : null,
      address: address(street, place),
      language: 'de',
      timeZone: 'Europe/Berlin',
      lifecycleStage: 'active',
      tags: ['small-business', ...(faxFirst ? ['fax-first'] : [])],
      channelPreferences: faxFirst ? ['fax', 'letter'] : ['email', 'letter'],
      // An owner who reads email signs in to the portal and sees everything of the business.
      contacts: [
        {
          name: contact,
          role: 'Owner',
          primary: true,
          ...(faxFirst ? {} : { email: `${slug(contact)}@${domain}`, portalAccess: 'full' as const }),
        },
      ],
    });
  }
  const created = [];
  for (const input of inputs) created.push(await customers.create(actor, input));
  await customers.addNote(
    actor,
    created[1]!.id,
    'Called about the meter reading; prefers a letter for anything with numbers.',
  );
  await customers.addNote(
    actor,
    created[16]!.id,
    'Only reads faxes. Please never switch them to email without asking.',
  );

  for (const segment of [
    {
      name: 'Active customers',
      description: 'Everyone currently under contract',
      filter: { lifecycle: ['active' as const] },
    },
    {
      name: 'Newsletter (email marketing consent)',
      description: 'May receive marketing email',
      filter: { consent: { purpose: 'marketing' as const, channel: 'email' as const } },
    },
    {
      name: 'Fax-first small businesses',
      description: 'Organizations that work by fax',
      filter: { kind: 'organization' as const, tagsAll: ['fax-first'] },
    },
  ]) {
    await segments.create(segmentOwner, segment);
  }
  return created.length;
}
