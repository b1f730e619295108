import { Area, type AreaPage } from '../ui/area-tabs.js';
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

const pages: AreaPage[] = [
  { page: <TemplateLibraryPage /> },
  { path: 'new', page: <TemplateEditorPage /> },
  { path: ':key', page: <TemplateEditorPage /> },
  { path: ':key/versions/:number', page: <ReviewPage /> },
  { path: 'fragments', tab: 'Fragments', page: <FragmentLibraryPage /> },
  { path: 'brand', tab: 'Brand kit', page: <BrandKitPage /> },
  { path: 'compliance', tab: 'Compliance rules', page: <ComplianceRulesPage /> },
  { path: 'fragments/:key', page: <FragmentPage /> },
];

/** Everything under /templates: the library, the editor and review, fragments, the brand kit and compliance rules. */
export function TemplatesArea() {
  return <Area label="Template sections" base="/templates" home="Templates" pages={pages} />;
}
