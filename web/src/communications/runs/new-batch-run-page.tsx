import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { may } from '../../ui/permissions.js';
import { segmentsApi, type Segment } from '../../customers/segments/segments.api.js';
import { templatesApi, type TemplateListItem } from '../../templates/templates.api.js';
import { namedChoices, Options } from '../../ui/choices.js';
import { Field } from '../../ui/form.js';
import { formatNumber } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { Empty, Loaded } from '../../ui/states.js';
import { useApiData, useApiRead } from '../../ui/use-api-data.js';
import { SendForm } from '../send-data.js';
import { batchRunsApi } from './batch-runs.api.js';

/** How many customers the segment holds now; undefined while it is counted. */
function useSegmentSize(segment: Segment | undefined) {
  const size = useApiRead(segment ? ['segment-size', segment.id] : null, () => segmentsApi.evaluate(segment!.filter));
  return size.stale ? undefined : size.data?.count;
}

function NewRunForm({ templates, segments }: { templates: TemplateListItem[]; segments: Segment[] }) {
  const navigate = useNavigate();
  const [segmentId, setSegmentId] = useState('');
  const [scheduledAt, setScheduledAt] = useState('');
  const segment = segments.find((candidate) => candidate.id === segmentId);
  const size = useSegmentSize(segment);

  return (
    <SendForm
      label="New batch run"
      className="card form run-form"
      idPrefix="run"
      templates={templates}
      fieldNames={['segmentId', 'scheduledAt']}
      sharedData="The same data goes to every customer; their own fields come from their record."
      rows={6}
      submitLabel={scheduledAt ? 'Schedule batch run' : 'Start batch run'}
      busyLabel="Starting…"
      missing={segmentId ? undefined : 'a segment'}
      onCancel={() => navigate('/communications/runs')}
      send={async (template, data) => {
        const run = await batchRunsApi.start({
          template,
          segmentId,
          data,
          scheduledAt: scheduledAt ? new Date(scheduledAt).toISOString() : undefined,
        });
        navigate(`/communications/runs/${run.id}`);
      }}
    >
      {(errors) => (
        <>
          <Field
            label="Segment"
            htmlFor="run-segment"
            error={errors.segmentId}
            hint={
              segment &&
              (size === undefined
                ? 'Counting its customers…'
                : `${formatNumber(size)} ${size === 1 ? 'customer' : 'customers'} in it now; the run sends to the segment as it stands when it starts.`)
            }
          >
            <select id="run-segment" value={segmentId} onChange={(event) => setSegmentId(event.target.value)}>
              <option value="">Choose a segment</option>
              <Options choices={namedChoices(segments)} />
            </select>
          </Field>
          <Field
            label="Start at"
            htmlFor="run-scheduled-at"
            error={errors.scheduledAt}
            hint="Leave empty to start now. Your local time."
          >
            <input
              id="run-scheduled-at"
              type="datetime-local"
              value={scheduledAt}
              onChange={(event) => setScheduledAt(event.target.value)}
            />
          </Field>
        </>
      )}
    </SendForm>
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
