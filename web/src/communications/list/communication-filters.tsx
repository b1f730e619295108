import { channelLabels } from '../../customers/customer-vocabulary.js';
import { choicesIn, type Choice } from '../../ui/choices.js';
import { FilterBar, UrlSelectFilter, useUrlFilters } from '../../ui/filters.js';
import { formatDateTime } from '../../ui/format.js';
import { isKeyOf } from '../../ui/vocabulary.js';
import { statusLabels } from '../communication-vocabulary.js';
import type { CommunicationFilters as Filters } from '../communications.api.js';
import type { BatchRunListItem } from '../runs/batch-runs.api.js';

/** The list's filters as they stand in the address, so a link to one run's communications works. */
export function filtersFrom(params: URLSearchParams): Filters {
  const status = params.get('status');
  const channel = params.get('channel');
  return {
    status: isKeyOf(statusLabels, status) ? status : undefined,
    channel: isKeyOf(channelLabels, channel) ? channel : undefined,
    template: params.get('template') || undefined,
    templateVersionId: params.get('templateVersionId') || undefined,
    batchRunId: params.get('batchRunId') || undefined,
    customerId: params.get('customerId') || undefined,
    transport: params.get('transport') || undefined,
  };
}

/** A link to the list with these filters. */
export const communicationsLink = (filters: Filters) => {
  const params = new URLSearchParams(
    Object.entries(filters).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );
  const search = params.toString();
  return search ? `/communications?${search}` : '/communications';
};

/** A choice the address names that the list of choices does not (yet) hold stays selectable. */
const withLinked = (choices: Choice[], value: string, label: string): Choice[] =>
  value && !choices.some((choice) => choice.value === value) ? [{ value, label }, ...choices] : choices;

export function CommunicationFilters({
  templates,
  runs,
}: {
  templates: { key: string; name: string }[];
  runs: BatchRunListItem[];
}) {
  const filters = useUrlFilters();
  const template = filters.get('template');
  const batchRunId = filters.get('batchRunId');

  return (
    <FilterBar label="Filter communications">
      <UrlSelectFilter name="status" label="Status" any="Any status" choices={choicesIn(statusLabels)} />
      <UrlSelectFilter name="channel" label="Channel" any="Any channel" choices={choicesIn(channelLabels)} />
      <UrlSelectFilter
        name="template"
        label="Template"
        any="Any template"
        choices={withLinked(
          templates.map((candidate) => ({ value: candidate.key, label: candidate.name })),
          template,
          template,
        )}
        wide
      />
      <UrlSelectFilter
        name="batchRunId"
        label="Batch run"
        any="Any, or none"
        choices={withLinked(
          runs.map((run) => ({ value: run.id, label: `${run.templateName} · ${formatDateTime(run.createdAt)}` })),
          batchRunId,
          'The run in the link',
        )}
        wide
      />
    </FilterBar>
  );
}
