import { api } from '../../api/client.js';
import type { Channel } from '../../customers/customer-vocabulary.js';

/** What one item costs on a channel, in thousandths of a cent; `updatedAt` is null while the built-in default applies. */
export type ChannelRate = { channel: Channel; costMillicents: number; updatedAt: string | null };

export const ratesApi = {
  listPath: '/api/channel-rates',
  /** Sets one channel's rate from now on; answers with every rate. */
  set: (channel: Channel, costMillicents: number) =>
    api.put<{ rates: ChannelRate[] }>(`/api/channel-rates/${encodeURIComponent(channel)}`, { costMillicents }),
};
