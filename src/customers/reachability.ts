import { canReceiveSms } from './customer-fields.js';
import { channels, type Channel, type PostalAddress, type Purpose, type QuietHours } from './customers.tables.js';

export type ReachableCustomer = {
  emails: string[];
  phones: string[];
  fax: string | null;
  address: PostalAddress | null;
  timeZone: string;
  channelPreferences: Channel[];
  quietHours: QuietHours | null;
  undeliverable: string[];
  archivedAt: Date | null;
  /** The addresses of an organization's contact persons (lower-case), for a message one of them asked for. */
  contactEmails?: string[];
};

export type ConsentState = { channel: Channel; purpose: Purpose; granted: boolean };

export type ChannelVerdict = { channel: Channel; usable: boolean; reason: string; address?: string };

export type Reachability =
  | {
      reachable: true;
      channel: Channel;
      address: string;
      deferUntil: Date | null;
      reason: string;
      considered: ChannelVerdict[];
    }
  | { reachable: false; reason: string; considered: ChannelVerdict[] };

/** Channels that interrupt a person (or a fax machine) wait out quiet hours; letters and the portal do not. */
const interruptive = new Set<Channel>(['email', 'sms', 'fax']);

/** When the customer has stated no preference, this is the order we try. */
export const defaultChannelOrder: Channel[] = ['email', 'portal', 'letter', 'sms', 'fax'];

function addressFor(
  customer: ReachableCustomer,
  channel: Channel,
  requestedBy: string | undefined,
): { address?: string; missing?: string } {
  const usable = (candidates: string[]) =>
    candidates.find((candidate) => !customer.undeliverable.includes(`${channel}:${candidate}`));
  if (requestedBy !== undefined) {
    if (channel !== 'email') return { missing: 'goes only to the email address that asked for it' };
    if (![...customer.emails, ...(customer.contactEmails ?? [])].includes(requestedBy))
      return { missing: `${requestedBy} is not an address of this customer or of their contacts` };
    return usable([requestedBy]) ? { address: requestedBy } : { missing: `${requestedBy} bounced` };
  }
  switch (channel) {
    case 'email': {
      if (customer.emails.length === 0) return { missing: 'no email address' };
      return usable(customer.emails)
        ? { address: usable(customer.emails) }
        : { missing: 'every email address bounced' };
    }
    case 'sms': {
      const mobiles = customer.phones.filter(canReceiveSms);
      if (mobiles.length === 0) return { missing: 'no mobile number' };
      return usable(mobiles) ? { address: usable(mobiles) } : { missing: 'every mobile number failed' };
    }
    case 'fax':
      if (!customer.fax) return { missing: 'no fax number' };
      return usable([customer.fax]) ? { address: customer.fax } : { missing: 'the fax number failed' };
    case 'letter': {
      const address = customer.address;
      if (!address || address.lines.length === 0 || !address.city || !address.country)
        return { missing: 'no complete postal address' };
      return {
        address: [...address.lines, `${address.postalCode} ${address.city}`.trim(), address.country].join(', '),
      };
    }
    case 'portal':
      return { address: 'portal inbox' };
  }
}

/**
 * Marketing needs a consent the customer gave for that channel; service and transactional messages
 * may go unless the customer withdrew consent for them on that channel.
 */
function consentVerdict(consents: ConsentState[], channel: Channel, purpose: Purpose): string | undefined {
  const state = consents.find((consent) => consent.channel === channel && consent.purpose === purpose);
  if (purpose === 'marketing')
    return state?.granted ? undefined : state ? 'marketing consent withdrawn' : 'no marketing consent';
  return state && !state.granted ? `${purpose} consent withdrawn` : undefined;
}

const minutesOf = (hhmm: string) => {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return hours! * 60 + minutes!;
};

/** The end of the customer's quiet hours if `now` falls inside them, else null. */
export function quietHoursEnd(quietHours: QuietHours | null, timeZone: string, now: Date): Date | null {
  if (!quietHours) return null;
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: string) => Number(parts.find((candidate) => candidate.type === type)?.value ?? 0);
  const localMinutes = part('hour') * 60 + part('minute');
  const start = minutesOf(quietHours.start);
  const end = minutesOf(quietHours.end);
  const inside =
    start <= end ? localMinutes >= start && localMinutes < end : localMinutes >= start || localMinutes < end;
  if (!inside) return null;
  const minutesLeft = (end - localMinutes + 1440) % 1440;
  return new Date(now.getTime() + minutesLeft * 60_000 - part('second') * 1000 - now.getUTCMilliseconds());
}

/**
 * Which channel may carry a message of this purpose to this customer now, and why; or why none may.
 * Preference order first, then the remaining channels as fallbacks. `offered` names the channels the
 * message can be rendered for; without it every channel counts as offered. `requestedBy` is the email
 * address that just asked for the message (a portal sign-in link): it goes there and nowhere else,
 * only if the address is the customer's or one of their contacts', and quiet hours do not hold it,
 * since the person is waiting for it.
 */
export function decideChannel(
  customer: ReachableCustomer,
  consents: ConsentState[],
  purpose: Purpose,
  now: Date,
  options: { exclude?: Channel[]; offered?: readonly Channel[]; requestedBy?: string } = {},
): Reachability {
  if (customer.archivedAt) return { reachable: false, reason: 'the customer is archived', considered: [] };
  const preferred = customer.channelPreferences.length ? customer.channelPreferences : defaultChannelOrder;
  const order = [...preferred, ...channels.filter((channel) => !preferred.includes(channel))];
  const considered: ChannelVerdict[] = [];
  for (const channel of order) {
    if (options.exclude?.includes(channel)) {
      considered.push({ channel, usable: false, reason: 'already failed for this message' });
      continue;
    }
    if (options.offered && !options.offered.includes(channel)) {
      considered.push({ channel, usable: false, reason: `the template has no ${channel} version` });
      continue;
    }
    const { address, missing } = addressFor(customer, channel, options.requestedBy);
    const refusal = missing ?? consentVerdict(consents, channel, purpose);
    if (refusal) {
      considered.push({ channel, usable: false, reason: refusal });
      continue;
    }
    const deferUntil =
      interruptive.has(channel) && options.requestedBy === undefined
        ? quietHoursEnd(customer.quietHours, customer.timeZone, now)
        : null;
    const position = preferred.indexOf(channel);
    const passedOver = considered.map((verdict) => `${verdict.channel} (${verdict.reason})`).join(', ');
    const reason =
      (position === 0
        ? 'first preference'
        : position > 0
          ? `preference ${position + 1}`
          : 'fallback: no preferred channel was usable') +
      (purpose === 'marketing' ? ', marketing consent given' : '') +
      (options.requestedBy !== undefined ? ', to the address that asked for it' : '') +
      (deferUntil ? ', deferred to the end of quiet hours' : '') +
      (passedOver ? `; passed over ${passedOver}` : '');
    considered.push({ channel, usable: true, reason, address });
    return { reachable: true, channel, address: address!, deferUntil, reason, considered };
  }
  return {
    reachable: false,
    reason: `no channel may be used for ${purpose}: ${considered.map((v) => `${v.channel} (${v.reason})`).join('; ')}`,
    considered,
  };
}
