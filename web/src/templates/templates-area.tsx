import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../shell/not-found-page.js';
import { AreaTabs } from '../ui/area-tabs.js';
import { BrandKitPage } from './brand/brand-kit-page.js';
import { ComplianceRulesPage } from './compliance/compliance-rules-page.js';
import { TemplateEditorPage } from './editor/template-editor-page.js';
import { FragmentLibraryPage } from './fragments/fragment-library-page.js';
import { FragmentPage } from './fragments/fragment-page.js';
import { TemplateLibraryPage } from './library/template-library-page.js';
import { ReviewPage } from './review/review-page.js';
import './preview.css';
import './review.css';
import './templates.css';
import './editor/editor.css';

const sections = [
  { path: 'fragments', label: 'Fragments' },
  { path: 'brand', label: 'Brand kit' },
  { path: 'compliance', label: 'Compliance rules' },
];

/** Everything under /templates: the library, the editor and review, fragments, the brand kit and compliance rules. */
export function TemplatesArea() {
  return (
    <>
      <AreaTabs label="Template sections" base="/templates" home="Templates" sections={sections} />
      <Routes>
        <Route index element={<TemplateLibraryPage />} />
        <Route path="new" element={<TemplateEditorPage />} />
        <Route path="fragments" element={<FragmentLibraryPage />} />
        <Route path="fragments/:key" element={<FragmentPage />} />
        <Route path="brand" element={<BrandKitPage />} />
        <Route path="compliance" element={<ComplianceRulesPage />} />
        <Route path=":key" element={<TemplateEditorPage />} />
        <Route path=":key/versions/:number" element={<ReviewPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </>
  );
}
