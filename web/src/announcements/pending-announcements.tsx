import { Link } from 'react-router-dom';
import { RunButton, useSubmission } from '../ui/form.js';
import { Notice } from '../ui/states.js';
import { useApiData, useInvalidate } from '../ui/use-api-data.js';
import { announcementsApi, type PendingAnnouncement } from './announcements.api.js';

function PendingAnnouncementNotice({ announcement }: { announcement: PendingAnnouncement }) {
  const invalidate = useInvalidate();
  const acknowledge = useSubmission(async () => {
    await announcementsApi.acknowledge(announcement.id);
    await invalidate(announcementsApi.listPath);
  });
  return (
    <section className="card announcement-banner" aria-label={`Announcement: ${announcement.title}`}>
      <h2>{announcement.title}</h2>
      <p className="announcement-body">{announcement.body}</p>
      {acknowledge.error !== undefined && <Notice tone="error">Could not acknowledge it; try again.</Notice>}
      <div className="row-actions">
        <RunButton submission={acknowledge} label="Acknowledge" busyLabel="Acknowledging…" primary />
        <Link to={`/announcements/${announcement.id}`}>Details</Link>
      </div>
    </section>
  );
}

/** The announcements the signed-in person has not acknowledged yet, each with its Acknowledge button; nothing when there are none. */
export function PendingAnnouncements() {
  const pending = useApiData<{ announcements: PendingAnnouncement[] }>(announcementsApi.pendingPath);
  const announcements = pending.data?.announcements ?? [];
  if (announcements.length === 0) return null;
  return (
    <div className="announcement-banners" role="region" aria-label="Announcements to acknowledge">
      {announcements.map((announcement) => (
        <PendingAnnouncementNotice key={announcement.id} announcement={announcement} />
      ))}
    </div>
  );
}
