import { Route, Routes } from 'react-router-dom';
import { useSignedInUser } from '../auth/session.js';
import { NotFoundPage } from '../shell/not-found-page.js';
import { NoAccess } from '../ui/page.js';
import { may } from '../ui/permissions.js';
import { CannedResponsesPage } from './canned/canned-responses-page.js';
import { InboxPage } from './inbox/inbox-page.js';
import { TicketPage } from './ticket/ticket-page.js';
// The ticket page shows the customer's timeline and the archived copy of a communication in their own look.
import '../communications/communications.css';
import '../customers/customers.css';
import './tickets.css';

/** Everything under /tickets: the agent inbox, one ticket and the canned responses. */
export function TicketsArea() {
  const user = useSignedInUser();
  if (!may(user, 'tickets.read'))
    return (
      <NoAccess title="Service desk">
        <p>Your role does not include the service desk. An administrator can add the agent role.</p>
      </NoAccess>
    );
  return (
    <Routes>
      <Route index element={<InboxPage />} />
      <Route path="canned-responses" element={<CannedResponsesPage />} />
      <Route path=":id" element={<TicketPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
