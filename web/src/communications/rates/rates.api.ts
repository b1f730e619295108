import type { ResponseOf } from '../../api/api-types.js';
import { api } from '../../api/client.js';
import type { Channel } from '../../customers/customer-vocabulary.js';

/** What one item costs on a channel, in thousandths of a cent; `updatedAt` is null while the built-in default applies. */
export type ChannelRate = ResponseOf<'/api/channel-rates'>['rates'][number];

export const ratesApi = {
  listPath: '/api/channel-rates',
  /** Sets one channel's rate from now on; answers with every rate. */
  set: (channel: Channel, costMillicents: number) =>
    api.put<ResponseOf<'/api/channel-rates/{channel}', 'put'>>(`/api/channel-rates/${encodeURIComponent(channel)}`, {
      costMillicents,
    }),
};
