import { Link } from 'react-router-dom';
import { formatDateTime } from '../ui/format.js';
import { PagedList } from '../ui/paged-list.js';
import { useCursorPages } from '../ui/use-cursor-pages.js';
import { eventWords, feedApi, type FeedEvent } from './feed.api.js';
import './feed.css';

/** What colleagues did on the records I follow, newest first, with more on request. */
export function FeedPanel() {
  const list = useCursorPages<'events', FeedEvent>(feedApi.path, 'events');
  return (
    <section className="card feed" aria-label="Activity on what I follow">
      <h2>Activity on what I follow</h2>
      <PagedList
        list={list}
        what="your feed"
        more="block"
        empty={{
          title: 'Nothing new',
          hint: 'Follow a customer, ticket, template or suggestion, or comment on one, to see what happens to it here.',
        }}
      >
        {(events) => (
          <ul className="feed-list">
            {events.map((event) => (
              <li key={event.id} className="feed-item">
                <div>
                  <span className="strong">{event.actorName}</span> {eventWords(event)}{' '}
                  <Link to={event.subjectPath}>{event.subjectLabel}</Link>
                </div>
                <p className="feed-summary">{event.summary}</p>
                <time className="muted small" dateTime={event.createdAt}>
                  {formatDateTime(event.createdAt)}
                </time>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}
