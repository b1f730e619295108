import { NavLink, Route, Routes, useLocation } from 'react-router-dom';
import { NotFoundPage } from '../shell/not-found-page.js';
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

function SectionTabs() {
  const { pathname } = useLocation();
  const section = pathname.split('/')[2] ?? '';
  const inTemplates = !sections.some((candidate) => candidate.path === section);
  return (
    <nav className="tabs" aria-label="Template sections">
      <NavLink
        to="/templates"
        end
        className={inTemplates ? 'tab active' : 'tab'}
        aria-current={inTemplates ? 'page' : undefined}
      >
        Templates
      </NavLink>
      {sections.map((candidate) => (
        <NavLink key={candidate.path} to={`/templates/${candidate.path}`} className="tab">
          {candidate.label}
        </NavLink>
      ))}
    </nav>
  );
}

/** Everything under /templates: the library, the editor and review, fragments, the brand kit and compliance rules. */
export function TemplatesArea() {
  return (
    <>
      <SectionTabs />
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
