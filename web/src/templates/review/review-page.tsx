import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { formatDateTime } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { ErrorNotice, Loading } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { channelFields } from '../editor/draft.js';
import { LivePreview, type RenderPreview } from '../preview/live-preview.js';
import { StatusBadge } from '../status-badge.js';
import { purposeLabels, type Channel } from '../template-vocabulary.js';
import { may } from '../../ui/permissions.js';
import { templatesApi, type TemplateDetail, type TemplateVersion } from '../templates.api.js';
import { VersionComplaints } from '../../tickets/complaints/version-complaints.js';
import { CommentThreads } from './comment-threads.js';
import { VersionContent } from './version-content.js';
import { VersionDiff } from './version-diff.js';
import { VersionRecipients } from './version-recipients.js';
import { WorkflowActions } from './workflow-actions.js';

/** The fields a comment can be about: every Liquid field the version has. */
function anchorsOf(version: TemplateVersion): string[] {
  return Object.entries(version.variants).flatMap(([language, bodies]) =>
    (Object.keys(bodies) as Channel[]).flatMap((channel) =>
      channelFields[channel].map(({ field }) => `${language}.${channel}.${field}`),
    ),
  );
}

/** /templates/:key/versions/:number: the version read-only, what changed, comments and the workflow. */
export function ReviewPage() {
  const { key = '', number: numberParam = '' } = useParams();
  const number = Number(numberParam);
  const user = useSignedInUser();
  const template = useApiData<TemplateDetail>(templatesApi.templatePath(key));
  const version = useApiData<TemplateVersion>(templatesApi.versionPath(key, number));
  const [decisions, setDecisions] = useState(0);
  const render = useCallback<RenderPreview>(
    ({ customerId }) => templatesApi.previewVersion(key, number, { customerId }),
    [key, number],
  );

  const changed = () => {
    template.reload();
    version.reload();
    setDecisions((count) => count + 1);
  };

  const failure = template.error ?? version.error;
  if (failure !== undefined && (!template.data || !version.data))
    return <ErrorNotice error={failure} onRetry={changed} />;
  if (!template.data || !version.data) return <Loading what={`version ${number}`} />;
  const current = version.data;

  return (
    <>
      <p className="breadcrumb">
        <Link to="/templates">Templates</Link> / <Link to={`/templates/${key}`}>{template.data.name}</Link>
      </p>
      <PageHeader
        title={`${template.data.name} · version ${number}`}
        description={
          <span className="review-summary">
            <StatusBadge status={current.status} /> {purposeLabels[template.data.purpose]} · written by{' '}
            {current.createdBy} on {formatDateTime(current.createdAt)}
            {current.decidedBy && <> · decided by {current.decidedBy}</>}
            {current.publishedAt && <> · published {formatDateTime(current.publishedAt)}</>}
          </span>
        }
        actions={
          may(user, 'templates.author') && (
            <Link className="button" to={`/templates/${key}?version=${number}`}>
              Edit as a new version
            </Link>
          )
        }
      />
      {current.changeNote && (
        <blockquote className="change-note">
          <span className="muted small">Change note</span>
          {current.changeNote}
        </blockquote>
      )}
      <WorkflowActions templateKey={key} version={current} onChanged={changed} />
      {(current.status === 'published' || current.status === 'retired') && (
        <VersionRecipients key={`${current.id}:${decisions}`} version={current} />
      )}
      {(current.status === 'published' || current.status === 'retired') && <VersionComplaints versionId={current.id} />}
      <div className="review">
        <div className="review-main">
          <VersionDiff templateKey={key} versions={template.data.versions} number={number} />
          <VersionContent version={current} />
        </div>
        <aside className="review-side">
          <CommentThreads
            key={decisions}
            templateKey={key}
            number={number}
            anchors={anchorsOf(current)}
            canComment={may(user, 'templates.comment')}
          />
          <LivePreview contentKey={`${key}:${number}`} render={render} />
        </aside>
      </div>
    </>
  );
}
