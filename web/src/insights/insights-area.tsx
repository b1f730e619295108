import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../shell/not-found-page.js';
import { InsightsBoard } from './insights-board.js';
import './insights.css';

/** Everything under /insights: the board of goals and KPIs. */
export function InsightsArea() {
  return (
    <Routes>
      <Route index element={<InsightsBoard />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
