import { Link, useSearchParams } from 'react-router-dom';
import { endOfDay, startOfDay } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { PagedTable } from '../../ui/paged-list.js';
import { useCursorPages } from '../../ui/use-cursor-pages.js';
import { auditApi, type AuditEvent, type AuditFilter } from './audit.api.js';
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

function EntityLink({ event }: { event: AuditEvent }) {
  const entityFilter = new URLSearchParams({ entityType: event.entityType, entityId: event.entityId }).toString();
  return (
    <Link
      to={`?${entityFilter}`}
      title={`Show every event about ${event.entityType} ${event.entityId}`}
      className="entity"
    >
      {event.entityType} <span className="muted">{shortId(event.entityId)}</span>
    </Link>
  );
}

function Summary({ event }: { event: AuditEvent }) {
  const summary = describeSummary(event.summary);
  if (summary.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="summary">
      {summary.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const fields = Object.fromEntries(
    auditFilterNames.map((name) => [name, params.get(name) ?? '']),
  ) as AuditFilterFields;
  const events = useCursorPages<'events', AuditEvent>(auditApi.listPath(toApiFilter(fields)), 'events');
  const apply = (next: AuditFilterFields) =>
    setParams(Object.fromEntries(auditFilterNames.filter((name) => next[name]).map((name) => [name, next[name]])));
  const shown = events.items ?? [];
  const chain = useChainVerification();

  return (
    <>
      <PageHeader
        title="Audit trail"
        description="Every change anyone made, newest first. Each event is chained to the one before by its hash, so an edit or deletion shows."
        actions={
          <>
            <button type="button" className="button" onClick={events.reload} disabled={events.loading}>
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
        knownActions={distinct(shown.map((event) => event.action))}
        knownEntityTypes={distinct(shown.map((event) => event.entityType))}
      />
      <PagedTable
        list={events}
        what="the audit trail"
        empty={{ title: 'No events match these filters', hint: 'Try a wider date range or clear the filters.' }}
        footnote={(list) => `${list.length} events shown`}
        rowKey={(event) => event.seq}
        columns={(column) => [
          column.date('When', (event) => event.at, true),
          { header: 'Who', cell: (event) => event.actorLabel },
          column.code('Action', (event) => event.action),
          { header: 'Entity', cell: (event) => <EntityLink event={event} /> },
          { header: 'Summary', cell: (event) => <Summary event={event} /> },
        ]}
      />
    </>
  );
}
