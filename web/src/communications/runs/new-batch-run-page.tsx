import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { may } from '../../customers/customer-permissions.js';
import { segmentsApi, type Segment } from '../../customers/segments/segments.api.js';
import { templatesApi, type TemplateListItem } from '../../templates/templates.api.js';
import { Field, FormError, formErrors, useSubmission } from '../../ui/form.js';
import { formatNumber } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { Empty, Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import {
  DataError,
  dataProblems,
  describeFields,
  parseData,
  sampleDataText,
  usePublishedVersion,
} from '../send-data.js';
import { batchRunsApi } from './batch-runs.api.js';

const fieldNames = ['template', 'segmentId', 'data', 'scheduledAt'];

function useSegmentSize(segment: Segment | undefined) {
  const [size, setSize] = useState<{ id: string; count?: number }>();
  useEffect(() => {
    if (!segment) return;
    let current = true;
    segmentsApi.evaluate(segment.filter).then(
      (evaluation) => current && setSize({ id: segment.id, count: evaluation.count }),
      () => current && setSize({ id: segment.id }),
    );
    return () => {
      current = false;
    };
  }, [segment]);
  return size?.id === segment?.id ? size?.count : undefined;
}

function NewRunForm({ templates, segments }: { templates: TemplateListItem[]; segments: Segment[] }) {
  const navigate = useNavigate();
  const [templateKey, setTemplateKey] = useState('');
  const [segmentId, setSegmentId] = useState('');
  const [scheduledAt, setScheduledAt] = useState('');
  const [data, setData] = useState('');
  const template = templates.find((candidate) => candidate.key === templateKey);
  const segment = segments.find((candidate) => candidate.id === segmentId);
  const { published } = usePublishedVersion(template);
  const fields = describeFields(published);
  const size = useSegmentSize(segment);

  const submission = useSubmission(async () => {
    const run = await batchRunsApi.start({
      template: templateKey,
      segmentId,
      data: parseData(data),
      scheduledAt: scheduledAt ? new Date(scheduledAt).toISOString() : undefined,
    });
    navigate(`/communications/runs/${run.id}`);
  });
  const errors = formErrors(submission.error instanceof DataError ? undefined : submission.error, fieldNames);
  const dataError = dataProblems(submission.error) ?? errors.fields.data;
  const missing = (!templateKey && 'a template') || (!segmentId && 'a segment');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run();
  };

  return (
    <form className="card form run-form" onSubmit={submit} noValidate aria-label="New batch run">
      <FormError message={errors.general} />
      <Field
        label="Template"
        htmlFor="run-template"
        error={errors.fields.template}
        hint={
          template && `${template.description || template.name} · sends published version ${template.published?.number}`
        }
      >
        <select id="run-template" value={templateKey} onChange={(event) => setTemplateKey(event.target.value)}>
          <option value="">Choose a published template</option>
          {templates.map((candidate) => (
            <option key={candidate.key} value={candidate.key}>
              {candidate.name} (v{candidate.published?.number})
            </option>
          ))}
        </select>
      </Field>
      <Field
        label="Segment"
        htmlFor="run-segment"
        error={errors.fields.segmentId}
        hint={
          segment &&
          (size === undefined
            ? 'Counting its customers…'
            : `${formatNumber(size)} ${size === 1 ? 'customer' : 'customers'} in it now; the run sends to the segment as it stands when it starts.`)
        }
      >
        <select id="run-segment" value={segmentId} onChange={(event) => setSegmentId(event.target.value)}>
          <option value="">Choose a segment</option>
          {segments.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.name}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label="Start at"
        htmlFor="run-scheduled-at"
        error={errors.fields.scheduledAt}
        hint="Leave empty to start now. Your local time."
      >
        <input
          id="run-scheduled-at"
          type="datetime-local"
          value={scheduledAt}
          onChange={(event) => setScheduledAt(event.target.value)}
        />
      </Field>
      <Field
        label="Data (JSON)"
        htmlFor="run-data"
        error={dataError}
        hint={
          published && fields ? (
            <>
              The template uses {fields}. The same data goes to every customer; their own fields come from their record.
            </>
          ) : (
            'Optional: values the template declares, the same for every customer.'
          )
        }
      >
        <textarea
          id="run-data"
          className="comm-data"
          rows={6}
          spellCheck={false}
          placeholder='{"tariff": "Green Plus"}'
          value={data}
          onChange={(event) => setData(event.target.value)}
        />
      </Field>
      {published && sampleDataText(published) && (
        <div>
          <button type="button" className="button button-small" onClick={() => setData(sampleDataText(published))}>
            Fill in the template’s sample data
          </button>
        </div>
      )}
      <div className="form-actions">
        <Link to="/communications/runs" className="button">
          Cancel
        </Link>
        <button
          type="submit"
          className="button button-primary"
          disabled={submission.saving || Boolean(missing)}
          title={missing ? `Choose ${missing} first` : undefined}
        >
          {submission.saving ? 'Starting…' : scheduledAt ? 'Schedule batch run' : 'Start batch run'}
        </button>
      </div>
    </form>
  );
}

/** Picks a published template, a segment, an optional start time and the run's data, then opens the run. */
export function NewBatchRunPage() {
  const user = useSignedInUser();
  const templates = useApiData<{ templates: TemplateListItem[] }>(templatesApi.listPath({}));
  const segments = useApiData<{ segments: Segment[] }>(segmentsApi.listPath);
  const loaded =
    templates.data && segments.data
      ? {
          templates: templates.data.templates.filter((template) => template.published),
          segments: segments.data.segments,
        }
      : undefined;

  return (
    <>
      <p className="breadcrumb">
        <Link to="/communications/runs">← All batch runs</Link>
      </p>
      <PageHeader
        title="New batch run"
        description="Each customer of the segment gets the template on their preferred channel that they consented to, with a fallback when a channel fails."
      />
      {!may(user, 'runs.manage') ? (
        <Empty title="You cannot start batch runs">Admins, managers and authors start them.</Empty>
      ) : (
        <Loaded
          what="templates and segments"
          data={loaded}
          error={templates.error ?? segments.error}
          onRetry={() => {
            templates.reload();
            segments.reload();
          }}
        >
          {({ templates: published, segments: list }) =>
            published.length === 0 ? (
              <Empty title="No published template">
                A template is sent only once a reviewer approved it and it was published.
              </Empty>
            ) : list.length === 0 ? (
              <Empty title="No segment">
                Save one under <Link to="/customers/segments">Customers → Segments</Link> first.
              </Empty>
            ) : (
              <NewRunForm templates={published} segments={list} />
            )
          }
        </Loaded>
      )}
    </>
  );
}
