import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useSignedInUser } from '../auth/session.js';
import { DataTable } from '../ui/data-table.js';
import { PageHeader } from '../ui/page.js';
import { may } from '../ui/permissions.js';
import { Loaded } from '../ui/states.js';
import { useApiData } from '../ui/use-api-data.js';
import { AnnouncementDialog } from './announcement-dialog.js';
import { announcementsApi, type Announcement } from './announcements.api.js';

/** Every announcement, newest first, with how many of those told have acknowledged it. */
export function AnnouncementsList() {
  const user = useSignedInUser();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const list = useApiData<{ announcements: Announcement[] }>(announcementsApi.listPath);
  const canManage = may(user, 'announcements.manage');
  return (
    <>
      <PageHeader
        title="Announcements"
        description="Changes told to staff until each person acknowledges, and to customers on their own channel."
        actions={
          canManage && (
            <>
              <Link className="button" to="/insights/channel-shift">
                Plan a channel shift
              </Link>
              <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
                New announcement
              </button>
            </>
          )
        }
      />
      <Loaded what="announcements" data={list.data} error={list.error} onRetry={list.reload}>
        {(data) =>
          data.announcements.length === 0 ? (
            <p className="muted">No announcements yet.</p>
          ) : (
            <DataTable
              label="Announcements"
              rows={data.announcements}
              rowKey={(row) => row.id}
              columns={(column) => [
                column.link('Title', (row) => ({
                  to: `/announcements/${row.id}`,
                  label: row.title,
                  note: row.createdBy,
                })),
                { header: 'Status', cell: (row) => row.status },
                {
                  header: 'Acknowledged',
                  numeric: true,
                  cell: (row) => (row.status === 'draft' ? '—' : `${row.acknowledged} of ${row.recipients}`),
                },
                column.date('Published', (row) => row.publishedAt),
              ]}
            />
          )
        }
      </Loaded>
      {creating && (
        <AnnouncementDialog
          onClose={() => setCreating(false)}
          onSaved={(created) => navigate(`/announcements/${created.id}`)}
        />
      )}
    </>
  );
}
