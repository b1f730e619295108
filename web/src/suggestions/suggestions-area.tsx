import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../shell/not-found-page.js';
import { SuggestionPage } from './suggestion-page.js';
import { SuggestionsPage } from './suggestions-page.js';
import './suggestions.css';

/** Everything under /suggestions: the list and each suggestion. */
export function SuggestionsArea() {
  return (
    <Routes>
      <Route index element={<SuggestionsPage />} />
      <Route path=":id" element={<SuggestionPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
