import type { SetURLSearchParams } from 'react-router-dom';
import { channelLabels, channels, type Channel } from '../../customers/customer-vocabulary.js';
import { formatDateTime } from '../../ui/format.js';
import { communicationStatuses, isCommunicationStatus, statusLabels } from '../communication-vocabulary.js';
import type { CommunicationFilters as Filters } from '../communications.api.js';
import type { BatchRunListItem } from '../runs/batch-runs.api.js';

const isChannel = (value: string | null): value is Channel => value !== null && (channels as string[]).includes(value);

/** The list's filters as they stand in the address, so a link to one run's communications works. */
export function filtersFrom(params: URLSearchParams): Filters {
  const status = params.get('status');
  const channel = params.get('channel');
  return {
    status: isCommunicationStatus(status) ? status : undefined,
    channel: isChannel(channel) ? channel : undefined,
    template: params.get('template') || undefined,
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

type Props = {
  params: URLSearchParams;
  setParams: SetURLSearchParams;
  templates: { key: string; name: string }[];
  runs: BatchRunListItem[];
};

export function CommunicationFilters({ params, setParams, templates, runs }: Props) {
  const set = (name: string, value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  const template = params.get('template') ?? '';
  const batchRunId = params.get('batchRunId') ?? '';

  return (
    <div className="filters" role="search" aria-label="Filter communications">
      <label className="filter">
        Status
        <select value={params.get('status') ?? ''} onChange={(event) => set('status', event.target.value)}>
          <option value="">Any status</option>
          {communicationStatuses.map((status) => (
            <option key={status} value={status}>
              {statusLabels[status]}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        Channel
        <select value={params.get('channel') ?? ''} onChange={(event) => set('channel', event.target.value)}>
          <option value="">Any channel</option>
          {channels.map((channel) => (
            <option key={channel} value={channel}>
              {channelLabels[channel]}
            </option>
          ))}
        </select>
      </label>
      <label className="filter filter-wide">
        Template
        <select value={template} onChange={(event) => set('template', event.target.value)}>
          <option value="">Any template</option>
          {template && !templates.some((candidate) => candidate.key === template) && (
            <option value={template}>{template}</option>
          )}
          {templates.map((candidate) => (
            <option key={candidate.key} value={candidate.key}>
              {candidate.name}
            </option>
          ))}
        </select>
      </label>
      <label className="filter filter-wide">
        Batch run
        <select value={batchRunId} onChange={(event) => set('batchRunId', event.target.value)}>
          <option value="">Any, or none</option>
          {batchRunId && !runs.some((run) => run.id === batchRunId) && (
            <option value={batchRunId}>The run in the link</option>
          )}
          {runs.map((run) => (
            <option key={run.id} value={run.id}>
              {run.templateName} · {formatDateTime(run.createdAt)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
