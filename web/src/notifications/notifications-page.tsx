import { Link } from 'react-router-dom';
import { formatDateTime } from '../ui/format.js';
import { MentionEmailSetting } from '../comments/mention-email-setting.js';
import { PageHeader } from '../ui/page.js';
import { PagedList } from '../ui/paged-list.js';
import { useInvalidate } from '../ui/use-api-data.js';
import { useCursorPages } from '../ui/use-cursor-pages.js';
import { notificationsApi, type Notice } from './notifications.api.js';
import './notifications.css';

function NoticeItem({ notice, onRead }: { notice: Notice; onRead: (ids: string[]) => Promise<void> }) {
  const link = notificationsApi.linkOf(notice);
  const unread = notice.readAt === null;
  const markRead = () => (unread ? onRead([notice.id]) : undefined);
  return (
    <li className={unread ? 'notice-item notice-item-unread' : 'notice-item'}>
      <div className="notice-item-text">
        <div className="strong">
          {unread && <span className="visually-hidden">Unread: </span>}
          {link ? (
            <Link to={link} onClick={() => void markRead()}>
              {notice.title}
            </Link>
          ) : (
            notice.title
          )}
        </div>
        {notice.body && <p className="notice-item-body">{notice.body}</p>}
        <time className="muted small" dateTime={notice.createdAt}>
          {formatDateTime(notice.createdAt)}
        </time>
      </div>
      {unread && (
        <button type="button" className="button button-small" onClick={() => void markRead()}>
          Mark read
        </button>
      )}
    </li>
  );
}

/** My notices, newest first: mentions in notes, tickets assigned to me, SLA breaches. */
export function NotificationsPage() {
  const list = useCursorPages<'notifications', Notice>(notificationsApi.listPath, 'notifications');
  const invalidate = useInvalidate();
  const read = async (ids?: string[]) => {
    await notificationsApi.markRead(ids);
    await invalidate('/api/notifications');
  };
  const anyUnread = list.items?.some((notice) => notice.readAt === null) ?? false;

  return (
    <>
      <PageHeader
        title="Notifications"
        description="When a colleague mentions you in a note, a ticket is assigned to you, or a service-level target you own is breached."
        actions={
          anyUnread && (
            <button type="button" className="button" onClick={() => void read()}>
              Mark all read
            </button>
          )
        }
      />
      <MentionEmailSetting />
      <PagedList
        list={list}
        what="notifications"
        more="block"
        empty={{ title: 'No notifications', hint: 'Mentions and assignments will show here.' }}
      >
        {(items) => (
          <ul className="card notice-list" aria-label="Notifications">
            {items.map((notice) => (
              <NoticeItem key={notice.id} notice={notice} onRead={read} />
            ))}
          </ul>
        )}
      </PagedList>
    </>
  );
}
