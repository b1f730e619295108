import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { RoiPanel } from '../../insights/roi-panel.js';
import { NoAccess, PageHeader } from '../../ui/page.js';
import { ErrorNotice, Loading } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { purposeLabels } from '../template-vocabulary.js';
import { may } from '../../ui/permissions.js';
import { templatesApi, type TemplateDetail, type TemplateVersion } from '../templates.api.js';
import { TemplateEditor } from './template-editor.js';

function ExistingTemplate({ templateKey }: { templateKey: string }) {
  const [params] = useSearchParams();
  const template = useApiData<TemplateDetail>(templatesApi.templatePath(templateKey));
  const requested = Number(params.get('version')) || null;
  const latest = template.data ? Math.max(0, ...template.data.versions.map((version) => version.number)) : 0;
  // The editor starts from the version asked for, or the latest; later saves do not reload it.
  const number = requested ?? latest;
  const version = useApiData<TemplateVersion>(
    template.data && number ? templatesApi.versionPath(templateKey, number) : null,
  );

  if (template.error !== undefined && !template.data)
    return <ErrorNotice error={template.error} onRetry={template.reload} />;
  if (!template.data) return <Loading what="the template" />;
  const { name, purpose, description } = template.data;
  return (
    <>
      <PageHeader
        title={name}
        description={
          <>
            <code>{templateKey}</code> · {purposeLabels[purpose]}
            {description && <> · {description}</>}
          </>
        }
        actions={
          latest > 0 && (
            <Link className="button" to={`/templates/${templateKey}/versions/${latest}`}>
              Review version {latest}
            </Link>
          )
        }
      />
      {version.error !== undefined && !version.data && <ErrorNotice error={version.error} onRetry={version.reload} />}
      {number > 0 && !version.data && version.error === undefined && <Loading what={`version ${number}`} />}
      {(number === 0 || version.data) && (
        <TemplateEditor
          key={`${templateKey}:${requested ?? 'latest'}`}
          template={template.data}
          version={version.data ?? null}
          onChanged={template.reload}
        />
      )}
      <RoiPanel
        kind="templates"
        id={template.data.id}
        baselines={template.data.versions.map((each) => ({
          value: `version:${each.id}`,
          label: `Version ${each.number}`,
        }))}
      />
    </>
  );
}

/** /templates/new and /templates/:key. */
export function TemplateEditorPage() {
  const { key } = useParams();
  const user = useSignedInUser();
  if (key) return <ExistingTemplate key={key} templateKey={key} />;
  if (!may(user, 'templates.author')) {
    return (
      <NoAccess title="Only authors write templates">
        <p>Ask an administrator for the author role if you need to write correspondence.</p>
      </NoAccess>
    );
  }
  return (
    <>
      <PageHeader
        title="New template"
        description="Write each channel in Liquid and Markdown; the preview beside it follows as you type."
      />
      <TemplateEditor key="new" template={null} version={null} onChanged={() => undefined} />
    </>
  );
}
