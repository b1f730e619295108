import { NavLink } from 'react-router-dom';
import { formatNumber } from '../ui/format.js';
import { useApiData } from '../ui/use-api-data.js';
import { notificationsApi, type NotificationsPage } from './notifications.api.js';
import './notifications.css';

// Mentions and assignments by colleagues arrive while the page is open.
const UNREAD_REFRESH_MS = 30_000;

/** The shell's bell: how many notices are unread ("Notifications 3 unread"), leading to the list of them. */
export function NotificationBell() {
  const unread = useApiData<NotificationsPage>(notificationsApi.unreadPath, { refreshEveryMs: UNREAD_REFRESH_MS });
  const count = unread.data?.unread ?? 0;
  return (
    <NavLink to="/notifications" className="nav-item notification-bell">
      <span className="notification-label">
        <svg className="notification-icon" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 3a6 6 0 0 0-6 6v4l-2 3h16l-2-3V9a6 6 0 0 0-6-6Zm-2 15a2 2 0 0 0 4 0" />
        </svg>
        Notifications
      </span>
      {count > 0 && (
        <span className="notification-count">
          {formatNumber(count)}
          <span className="visually-hidden"> unread</span>
        </span>
      )}
    </NavLink>
  );
}
