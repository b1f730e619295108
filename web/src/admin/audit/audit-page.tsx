import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client.js';
import { endOfDay, formatDateTime, startOfDay } from '../../ui/format.js';
import { useSubmission } from '../../ui/form.js';
import { PageHeader } from '../../ui/page.js';
import { Empty, ErrorNotice, Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { auditApi, type AuditEvent, type AuditFilter, type AuditPage as Page } from './audit.api.js';
import { AuditFilters, auditFilterNames, type AuditFilterFields } from './audit-filters.js';
import { ChainVerdict, useChainVerification } from './chain-verification.js';
import { describeSummary, shortId } from './describe-summary.js';

const distinct = (values: string[]) => [...new Set(values)].sort();

function toApiFilter(fields: AuditFilterFields): AuditFilter {
  return {
    action: fields.action.trim() || undefined,
    entityType: fields.entityType.trim() || undefined,
    entityId: fields.entityId.trim() || undefined,
    from: fields.from ? startOfDay(fields.from) : undefined,
    to: fields.to ? endOfDay(fields.to) : undefined,
  };
}

function EventRow({ event }: { event: AuditEvent }) {
  const summary = describeSummary(event.summary);
  const entityFilter = new URLSearchParams({ entityType: event.entityType, entityId: event.entityId }).toString();
  return (
    <tr>
      <td className="nowrap">{formatDateTime(event.at, { seconds: true })}</td>
      <td>{event.actorLabel}</td>
      <td>
        <code>{event.action}</code>
      </td>
      <td>
        <Link
          to={`?${entityFilter}`}
          title={`Show every event about ${event.entityType} ${event.entityId}`}
          className="entity"
        >
          {event.entityType} <span className="muted">{shortId(event.entityId)}</span>
        </Link>
      </td>
      <td>
        {summary.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <ul className="summary">
            {summary.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}

export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const fields = Object.fromEntries(
    auditFilterNames.map((name) => [name, params.get(name) ?? '']),
  ) as AuditFilterFields;
  const filter = toApiFilter(fields);
  const path = auditApi.listPath(filter);
  const newest = useApiData<Page>(path);
  // Older pages belong to the filter they were loaded for; a new filter starts from the newest again.
  const [older, setOlder] = useState<{ path: string; events: AuditEvent[]; nextCursor: number | null } | null>(null);
  const olderHere = older?.path === path ? older : null;
  const nextCursor = olderHere ? olderHere.nextCursor : (newest.data?.nextCursor ?? null);
  const loadMore = useSubmission(async (before: number) => {
    const page = await api.get<Page>(auditApi.listPath(filter, before));
    setOlder({ path, events: [...(olderHere?.events ?? []), ...page.events], nextCursor: page.nextCursor });
  });

  const apply = (next: AuditFilterFields) =>
    setParams(Object.fromEntries(auditFilterNames.filter((name) => next[name]).map((name) => [name, next[name]])));
  const refresh = () => {
    setOlder(null);
    newest.reload();
  };

  const events = [...(newest.data?.events ?? []), ...(olderHere?.events ?? [])];
  const chain = useChainVerification();

  return (
    <>
      <PageHeader
        title="Audit trail"
        description="Every change anyone made, newest first. Each event is chained to the one before by its hash, so an edit or deletion shows."
        actions={
          <>
            <button type="button" className="button" onClick={refresh} disabled={newest.loading}>
              Refresh
            </button>
            <button type="button" className="button" onClick={chain.verify} disabled={chain.verifying}>
              {chain.verifying ? 'Verifying…' : 'Verify chain'}
            </button>
          </>
        }
      />
      <ChainVerdict result={chain.result} error={chain.error} />
      <AuditFilters
        key={params.toString()}
        applied={fields}
        onApply={apply}
        knownActions={distinct(events.map((event) => event.action))}
        knownEntityTypes={distinct(events.map((event) => event.entityType))}
      />
      <Loaded what="the audit trail" data={newest.data} error={newest.error} onRetry={newest.reload}>
        {() =>
          events.length === 0 ? (
            <Empty title="No events match these filters">Try a wider date range or clear the filters.</Empty>
          ) : (
            <>
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th>When</th>
                      <th>Who</th>
                      <th>Action</th>
                      <th>Entity</th>
                      <th>Summary</th>
                    </tr>
                  </thead>
                  <tbody>
                    {events.map((event) => (
                      <EventRow key={event.seq} event={event} />
                    ))}
                  </tbody>
                </table>
              </div>
              {loadMore.error !== undefined && <ErrorNotice error={loadMore.error} />}
              <div className="table-footer">
                <span className="muted">{events.length} events shown</span>
                {nextCursor !== null && (
                  <button
                    type="button"
                    className="button"
                    disabled={loadMore.saving}
                    onClick={() => void loadMore.run(nextCursor)}
                  >
                    {loadMore.saving ? 'Loading…' : 'Load more'}
                  </button>
                )}
              </div>
            </>
          )
        }
      </Loaded>
    </>
  );
}
