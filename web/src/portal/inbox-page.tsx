import { Link, Navigate } from 'react-router-dom';
import { formatDateTime } from '../ui/format.js';
import { PagedList } from '../ui/paged-list.js';
import { useCursorPages } from '../ui/use-cursor-pages.js';
import { PortalHeader } from './portal-layout.js';
import { usePortalMe } from './portal-session.js';
import { ChannelIcon } from './channel-icon.js';
import { channelNouns } from './portal-vocabulary.js';
import { portalApi, type PortalInboxItem } from './portal.api.js';

/** What an item is called in a list: its subject, else the name of the letter or message. */
export const titleOf = (item: Pick<PortalInboxItem, 'subject' | 'templateName'>) => item.subject || item.templateName;

export function ChannelLabel({ channel }: { channel: PortalInboxItem['channel'] }) {
  return (
    <span className="portal-channel">
      <ChannelIcon channel={channel} />
      {channelNouns[channel]}
    </span>
  );
}

/** Everything sent to the customer on any channel, newest first, as it was sent. */
export function InboxPage() {
  const me = usePortalMe();
  const inbox = useCursorPages<'items', PortalInboxItem>(me.access === 'full' ? portalApi.inboxPath : null, 'items');
  // A contact allowed only requests has no correspondence to see.
  if (me.access !== 'full') return <Navigate to="/portal/requests" replace />;
  return (
    <>
      <PortalHeader title="Inbox">
        <p>Every letter, email, text message and message we sent you, exactly as it was sent.</p>
      </PortalHeader>
      <PagedList
        list={inbox}
        what="your inbox"
        more="block"
        empty={{ title: 'Nothing here yet', hint: 'What we send you shows here, on whichever channel it went.' }}
      >
        {(items) => (
          <ul className="portal-list" aria-label="Inbox">
            {items.map((item) => (
              <li key={`${item.kind}-${item.id}`}>
                <Link to={`/portal/inbox/${item.id}`} className="portal-list-item">
                  <span className="portal-list-title">{titleOf(item)}</span>
                  <span className="portal-list-meta">
                    <ChannelLabel channel={item.channel} />
                    <time dateTime={item.sentAt}>{formatDateTime(item.sentAt)}</time>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </>
  );
}
