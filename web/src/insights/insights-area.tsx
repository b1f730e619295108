import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../shell/not-found-page.js';
import { ChannelShiftPage } from './channel-shift-page.js';
import { ChannelShiftPlanner } from './channel-shift-planner.js';
import { InsightsBoard } from './insights-board.js';
import './insights.css';

/** Everything under /insights: the board of goals and KPIs. */
export function InsightsArea() {
  return (
    <Routes>
      <Route index element={<InsightsBoard />} />
      <Route path="channel-shift" element={<ChannelShiftPlanner />} />
      <Route path="channel-shift/:id" element={<ChannelShiftPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
