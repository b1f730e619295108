import { channelLabels, channels } from '../customers/customer-vocabulary.js';
import { purposeLabels, purposes } from '../templates/template-vocabulary.js';
import { FilterBar, SelectFilter, useUrlFilters } from '../ui/filters.js';
import { Segmented } from '../ui/segmented.js';
import { useApiData } from '../ui/use-api-data.js';
import type { BoardFilterName, BoardQuery, Bucket } from './insights.api.js';

const periods = [
  { value: '28', label: '4 weeks' },
  { value: '84', label: '12 weeks' },
  { value: '365', label: '12 months' },
] as const;
const buckets: { value: Bucket; label: string }[] = [
  { value: 'day', label: 'Days' },
  { value: 'week', label: 'Weeks' },
  { value: 'month', label: 'Months' },
];
const channelChoices = channels.map((channel) => ({ value: channel, label: channelLabels[channel] }));
const purposeChoices = purposes.map((purpose) => ({ value: purpose, label: purposeLabels[purpose] }));

/** What a board filter is called on a card that it does not narrow. */
export const boardFilterLabels: Record<BoardFilterName, string> = {
  channel: 'channel',
  teamId: 'team',
  templateId: 'template',
  purpose: 'purpose',
  segmentId: 'segment',
};

type Named = { id: string; name: string };

/** The period ends at the start of tomorrow (UTC), so the same board asks the same questions all day. */
function boardQuery(days: number, bucket: Bucket, filters: ReturnType<typeof useUrlFilters>): BoardQuery {
  const now = new Date();
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  const from = new Date(to.getTime() - days * 86_400_000);
  const chosen = (name: BoardFilterName) => filters.get(name) || undefined;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucket,
    channel: chosen('channel'),
    teamId: chosen('teamId'),
    templateId: chosen('templateId'),
    purpose: chosen('purpose'),
    segmentId: chosen('segmentId'),
  };
}

/** The board's period, bucket and filters, kept in the address so a narrowed board can be shared. */
export function useBoardQuery() {
  const filters = useUrlFilters();
  const days = Number(filters.get('period') || '84');
  const bucket = (filters.get('bucket') || (days <= 28 ? 'day' : days <= 84 ? 'week' : 'month')) as Bucket;
  return { filters, days, bucket, query: boardQuery(days, bucket, filters) };
}

const named = (rows: Named[] | undefined) => (rows ?? []).map((row) => ({ value: row.id, label: row.name }));

/** Period, bucket and the filters the KPIs take: channel, team, template, purpose and segment. */
export function BoardFilters({ board }: { board: ReturnType<typeof useBoardQuery> }) {
  const { filters, days, bucket } = board;
  const teams = useApiData<{ teams: Named[] }>('/api/teams');
  const templates = useApiData<{ templates: Named[] }>('/api/templates');
  const segments = useApiData<{ segments: Named[] }>('/api/segments');
  const select = (name: BoardFilterName, label: string, any: string, choices: { value: string; label: string }[]) => (
    <SelectFilter
      label={label}
      value={filters.get(name)}
      onChange={(value) => filters.set(name, value)}
      any={any}
      choices={choices}
    />
  );
  return (
    <FilterBar label="Period and filters">
      <SelectFilter
        label="Period"
        value={String(days)}
        onChange={(value) => filters.set('period', value)}
        choices={periods}
      />
      <div className="filter">
        Per
        <Segmented label="Bucket" choices={buckets} value={bucket} onChange={(value) => filters.set('bucket', value)} />
      </div>
      {select('channel', 'Channel', 'Any channel', channelChoices)}
      {select('teamId', 'Team', 'Any team', named(teams.data?.teams))}
      {select('templateId', 'Template', 'Any template', named(templates.data?.templates))}
      {select('purpose', 'Purpose', 'Any purpose', purposeChoices)}
      {select('segmentId', 'Segment', 'Any segment', named(segments.data?.segments))}
    </FilterBar>
  );
}
