import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useSignedInUser } from '../auth/session.js';
import { DataTable } from '../ui/data-table.js';
import { Facts } from '../ui/facts.js';
import { formatDateTime, formatMoney } from '../ui/format.js';
import { RunButton, useSubmission } from '../ui/form.js';
import { PageHeader } from '../ui/page.js';
import { may } from '../ui/permissions.js';
import { ErrorNotice, Loaded } from '../ui/states.js';
import { useCurrency } from '../ui/use-currency.js';
import { useApiData, useInvalidate } from '../ui/use-api-data.js';
import { AnnouncementDialog } from './announcement-dialog.js';
import { announcementsApi, type AnnouncementDetail, type AnnouncementReach } from './announcements.api.js';

function Reach({ reach }: { reach: AnnouncementReach }) {
  const currency = useCurrency();
  const { staff, customers } = reach;
  return (
    <>
      <div className="reach-grid">
        <section className="card" aria-label="Staff reach">
          <h2>Staff</h2>
          <Facts
            facts={[
              ['Told', staff.recipients],
              ['Acknowledged', staff.acknowledged],
              ['Not yet', staff.pending],
            ]}
          />
        </section>
        <section className="card" aria-label="Customer reach">
          <h2>Customers</h2>
          {customers ? (
            <>
              <Facts
                facts={[
                  ['In the segment', customers.total],
                  ['Sent', customers.sent],
                  ['Delivered', customers.delivered],
                  ['Failed', customers.failed],
                  ['Not sent (no allowed channel)', customers.suppressed],
                  ['In progress', customers.inProgress],
                  [
                    'By channel',
                    Object.entries(customers.channels)
                      .map(([channel, n]) => `${channel} ${n}`)
                      .join(', ') || '—',
                  ],
                  ['Cost', formatMoney(customers.costMillicents, currency)],
                ]}
              />
              <p className="small">
                <Link to={`/communications/runs/${customers.batchRunId}`}>The batch run</Link>
              </p>
            </>
          ) : (
            <p className="muted">
              No customer mailing{reach.status === 'draft' ? ' yet: it starts when published' : ''}.
            </p>
          )}
        </section>
      </div>
      {staff.people.length > 0 && (
        <DataTable
          label="Acknowledgement per person"
          rows={staff.people}
          rowKey={(person) => person.userId}
          columns={(column) => [
            { header: 'Person', cell: (person) => person.name },
            column.date('Acknowledged', (person) => person.acknowledgedAt),
            column.date('Last reminded', (person) => person.lastRemindedAt),
          ]}
        />
      )}
    </>
  );
}

/** One announcement: its text, its lifecycle actions, and the reach of both halves. */
export function AnnouncementPage() {
  const { id = '' } = useParams();
  const user = useSignedInUser();
  const invalidate = useInvalidate();
  const announcement = useApiData<AnnouncementDetail>(announcementsApi.path(id));
  const reach = useApiData<AnnouncementReach>(announcementsApi.reachPath(id), { refreshEveryMs: 5_000 });
  const act = useSubmission(async (action: 'publish' | 'close' | 'acknowledge') => {
    announcement.replace(await announcementsApi[action](id));
    await invalidate(announcementsApi.listPath);
  });
  const canManage = may(user, 'announcements.manage');
  const [editing, setEditing] = useState(false);
  return (
    <Loaded what="the announcement" data={announcement.data} error={announcement.error} onRetry={announcement.reload}>
      {(data) => (
        <>
          <PageHeader
            title={data.title}
            description={`${data.status} · to ${data.teamNames.length ? data.teamNames.join(', ') : 'everyone on staff'}${
              data.segmentName ? ` · customers of ${data.segmentName} (${data.templateKey})` : ''
            }`}
            actions={
              <>
                {data.addressedToMe && data.status === 'published' && !data.acknowledgedAt && (
                  <RunButton submission={act} args={['acknowledge']} label="Acknowledge" primary />
                )}
                {canManage && data.status === 'draft' && (
                  <>
                    <button type="button" className="button" onClick={() => setEditing(true)}>
                      Edit
                    </button>
                    <RunButton submission={act} args={['publish']} label="Publish" busyLabel="Publishing…" primary />
                  </>
                )}
                {canManage && data.status !== 'closed' && <RunButton submission={act} args={['close']} label="Close" />}
              </>
            }
          />
          {act.error !== undefined && <ErrorNotice error={act.error} />}
          <p className="announcement-body">{data.body}</p>
          {data.acknowledgedAt && <p className="muted">You acknowledged it {formatDateTime(data.acknowledgedAt)}.</p>}
          {editing && (
            <AnnouncementDialog
              draft={data}
              onClose={() => setEditing(false)}
              onSaved={(saved) => {
                announcement.replace(saved);
                setEditing(false);
                void invalidate(announcementsApi.listPath);
              }}
            />
          )}
          <h2>Reach</h2>
          <Loaded what="the reach" data={reach.data} error={reach.error} onRetry={reach.reload}>
            {(answer) => <Reach reach={answer} />}
          </Loaded>
        </>
      )}
    </Loaded>
  );
}
