import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../shell/not-found-page.js';
import { AnnouncementPage } from './announcement-page.js';
import { AnnouncementsList } from './announcements-list.js';
import './announcements.css';

/** Everything under /announcements: the list and each announcement with its reach. */
export function AnnouncementsArea() {
  return (
    <Routes>
      <Route index element={<AnnouncementsList />} />
      <Route path=":id" element={<AnnouncementPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
