import type { ResponseOf } from '../api/api-types.js';
import { withQuery } from '../api/client.js';

export type FeedEvent = ResponseOf<'/api/feed'>['events'][number];

export const FEED_PAGE_SIZE = 20;

export const feedApi = {
  path: withQuery('/api/feed', { limit: FEED_PAGE_SIZE }),
};

/** What an event says happened, after who did it. */
export const eventWords = (event: FeedEvent) =>
  ({
    comment: 'commented on',
    'suggestion.created': 'proposed',
    'suggestion.status': 'moved',
  })[event.kind] ?? 'changed';
