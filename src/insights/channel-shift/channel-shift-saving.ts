import type { Channel } from '../../customers/customers.tables.js';

/** The channels a shift moves customers from, and those it moves them to. */
export const paperChannels = ['letter', 'fax'] as const;
export type PaperChannel = (typeof paperChannels)[number];
export const digitalChannels = ['email', 'portal'] as const;
export type DigitalChannel = (typeof digitalChannels)[number];

export type Rates = Record<Channel, number>;

/**
 * What a year of letters and faxes costs at today's rates, what the same items would cost on the
 * target channel, and the difference, per channel and in total (thousandths of a cent). No items,
 * no saving: nothing is divided.
 */
export function yearlySaving(volumes: Partial<Record<PaperChannel, number>>, rates: Rates, target: DigitalChannel) {
  const lines = paperChannels.map((channel) => {
    const items = volumes[channel] ?? 0;
    const perItem = rates[channel] - rates[target];
    return {
      channel,
      items,
      rateMillicents: rates[channel],
      savingPerItemMillicents: perItem,
      costMillicents: items * rates[channel],
      savingMillicents: items * perItem,
    };
  });
  const items = lines.reduce((sum, line) => sum + line.items, 0);
  const currentCostMillicents = lines.reduce((sum, line) => sum + line.costMillicents, 0);
  const newCostMillicents = items * rates[target];
  return {
    target,
    targetRateMillicents: rates[target],
    lines,
    items,
    currentCostMillicents,
    newCostMillicents,
    savingMillicents: currentCostMillicents - newCostMillicents,
  };
}

/**
 * The channel a customer is reached by today: the one that carried more of their items, else
 * their first preference when it is paper, else letter (where routing ends for a customer with
 * nothing better).
 */
export function paperChannelOf(items: Partial<Record<PaperChannel, number>>, firstPreference: string | null) {
  const letter = items.letter ?? 0;
  const fax = items.fax ?? 0;
  if (fax !== letter) return fax > letter ? 'fax' : 'letter';
  return firstPreference === 'fax' ? 'fax' : 'letter';
}

/** The first day of the twelve months before `now`: the volumes' period. */
export function yearBefore(now: Date) {
  const since = new Date(now);
  since.setUTCFullYear(since.getUTCFullYear() - 1);
  return since;
}
