import type { BodyOf, ResponseOf } from '../api/api-types.js';
import { api, withQuery } from '../api/client.js';

export type ChannelShiftPlan = ResponseOf<'/api/channel-shifts/plan'>;
export type ChannelShift = ResponseOf<'/api/channel-shifts/{id}'>;
export type ChannelShiftListItem = ResponseOf<'/api/channel-shifts'>['shifts'][number];
type StartInput = BodyOf<'/api/channel-shifts', 'post'>;
export type ShiftTarget = StartInput['target'];

export const channelShiftApi = {
  listPath: '/api/channel-shifts',
  planPath: (segmentId: string, target: ShiftTarget) => withQuery('/api/channel-shifts/plan', { segmentId, target }),
  path: (id: string) => `/api/channel-shifts/${encodeURIComponent(id)}`,
  start: (input: StartInput) => api.post<ChannelShift>('/api/channel-shifts', input),
};
