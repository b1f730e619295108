import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { withQuery } from '../api/client.js';
import { PendingAnnouncements } from '../announcements/pending-announcements.js';
import '../announcements/announcements.css';
import { useSignedInUser } from '../auth/session.js';
import type { PendingReview } from '../documents/review/review.api.js';
import { FeedPanel } from '../feed/feed-panel.js';
import { GoalTree } from '../insights/goal-card.js';
import { insightsApi, type Goal } from '../insights/insights.api.js';
import '../insights/insights.css';
import type { TemplateListItem } from '../templates/templates.api.js';
import type { Ticket } from '../tickets/tickets.api.js';
import { PageHeader } from '../ui/page.js';
import { may } from '../ui/permissions.js';
import { Loaded } from '../ui/states.js';
import { useApiData } from '../ui/use-api-data.js';

const myOpenTickets = withQuery('/api/tickets', { view: 'mine', status: 'new,open,pending_customer', limit: 10 });
const templatesInReview = withQuery('/api/templates', { status: 'in_review' });

/** A card of the home page: a list read from one path, each item a link, or a line saying there is none. */
function WorkList<D, T>({
  title,
  path,
  read,
  empty,
  more,
  children,
}: {
  title: string;
  path: string;
  read: (data: D) => T[];
  empty: string;
  more?: { to: string; label: string };
  children: (item: T) => ReactNode;
}) {
  const answer = useApiData<D>(path);
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      <Loaded what={title.toLowerCase()} data={answer.data} error={answer.error} onRetry={answer.reload}>
        {(data) => {
          const items = read(data);
          return items.length === 0 ? (
            <p className="muted">{empty}</p>
          ) : (
            <ul className="link-list">{items.map(children)}</ul>
          );
        }}
      </Loaded>
      {more && (
        <p className="small">
          <Link to={more.to}>{more.label}</Link>
        </p>
      )}
    </section>
  );
}

/** The signed-in person's start: their goals and the work waiting for them, each with a link. */
export function HomePage() {
  const user = useSignedInUser();
  const goals = useApiData<{ goals: Goal[] }>(insightsApi.myGoalsPath);
  return (
    <>
      <PageHeader
        title={`Welcome, ${user.name.split(' ')[0]}`}
        description="Your goals and the work waiting for you."
      />
      <PendingAnnouncements />
      <section className="insights-section" aria-label="My goals">
        <h2>My goals</h2>
        <Loaded what="your goals" data={goals.data} error={goals.error} onRetry={goals.reload}>
          {(data) =>
            data.goals.length === 0 ? (
              <p className="muted">
                No goals are owned by you or your teams. <Link to="/insights">See everyone’s goals and KPIs</Link>.
              </p>
            ) : (
              <GoalTree goals={data.goals} />
            )
          }
        </Loaded>
      </section>
      <div className="home-grid">
        {may(user, 'tickets.work') && (
          <WorkList<{ tickets: Ticket[] }, Ticket>
            title="My open tickets"
            path={myOpenTickets}
            read={(data) => data.tickets}
            empty="No open tickets are assigned to you."
            more={{ to: '/tickets?view=mine', label: 'All my tickets' }}
          >
            {(ticket) => (
              <li key={ticket.id}>
                <Link to={`/tickets/${ticket.id}`}>
                  #{ticket.number} {ticket.subject}
                </Link>{' '}
                <span className="muted small">{ticket.status.replace('_', ' ')}</span>
              </li>
            )}
          </WorkList>
        )}
        {may(user, 'documents.review') && (
          <WorkList<{ reviews: PendingReview[] }, PendingReview>
            title="Documents to review"
            path="/api/document-reviews/mine"
            read={(data) => data.reviews}
            empty="No document is waiting for your review."
          >
            {(review) => (
              <li key={review.reviewId}>
                <Link to={`/documents/${review.document.id}`}>{review.document.title}</Link>{' '}
                <span className="muted small">version {review.version}</span>
              </li>
            )}
          </WorkList>
        )}
        {may(user, 'templates.review') && (
          <WorkList<{ templates: TemplateListItem[] }, TemplateListItem>
            title="Templates to review"
            path={templatesInReview}
            read={(data) => data.templates}
            empty="No template version is waiting for review."
          >
            {(template) => (
              <li key={template.id}>
                <Link to={`/templates/${template.key}/versions/${template.latest?.number ?? 1}`}>{template.name}</Link>
              </li>
            )}
          </WorkList>
        )}
        <FeedPanel />
      </div>
    </>
  );
}
