import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { formatDateTime } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { Empty, Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { useDebouncedValue } from '../../ui/use-debounced-value.js';
import { VersionMark } from '../status-badge.js';
import { may, purposeLabels, purposes, statusLabels, versionStatuses } from '../template-vocabulary.js';
import { templatesApi, type TemplateListItem } from '../templates.api.js';

/** The template library: every template with where its latest version stands and what is live. */
export function TemplateLibraryPage() {
  const user = useSignedInUser();
  const [purpose, setPurpose] = useState('');
  const [status, setStatus] = useState('');
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const templates = useApiData<{ templates: TemplateListItem[] }>(templatesApi.listPath({ purpose, status, q }));
  const filtered = purpose !== '' || status !== '' || q !== '';

  return (
    <>
      <PageHeader
        title="Templates"
        description="Correspondence built from approved fragments, reviewed by a second person before it reaches customers."
        actions={
          may(user, 'templates.author') && (
            <Link to="/templates/new" className="button button-primary">
              New template
            </Link>
          )
        }
      />
      <div className="filters" role="search">
        <label className="filter filter-wide">
          Search
          <input
            type="search"
            placeholder="Name or key"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </label>
        <label className="filter">
          Purpose
          <select value={purpose} onChange={(event) => setPurpose(event.target.value)}>
            <option value="">All purposes</option>
            {purposes.map((value) => (
              <option key={value} value={value}>
                {purposeLabels[value]}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          Status
          <select value={status} onChange={(event) => setStatus(event.target.value)}>
            <option value="">Any status</option>
            {versionStatuses.map((value) => (
              <option key={value} value={value}>
                {statusLabels[value]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Loaded what="templates" data={templates.data} error={templates.error} onRetry={templates.reload}>
        {({ templates: list }) =>
          list.length === 0 ? (
            filtered ? (
              <Empty title="No template matches these filters">Change the search or the filters to see more.</Empty>
            ) : (
              <Empty title="No templates yet">
                Start one with “New template”; it begins as a draft only you and reviewers see.
              </Empty>
            )
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label="Templates">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Key</th>
                    <th>Purpose</th>
                    <th>Latest version</th>
                    <th>Published</th>
                    <th>Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((template) => (
                    <tr key={template.id}>
                      <td>
                        <Link to={`/templates/${template.key}`} className="strong">
                          {template.name}
                        </Link>
                        {template.description && <div className="muted cell-note">{template.description}</div>}
                      </td>
                      <td>
                        <code>{template.key}</code>
                      </td>
                      <td>{purposeLabels[template.purpose]}</td>
                      <td>
                        {template.latest ? (
                          <Link
                            to={`/templates/${template.key}/versions/${template.latest.number}`}
                            className="plain-link"
                          >
                            <VersionMark version={template.latest} />
                          </Link>
                        ) : (
                          <VersionMark version={null} />
                        )}
                      </td>
                      <td>
                        {template.published ? (
                          <span className="nowrap">v{template.published.number}</span>
                        ) : (
                          <span className="muted">Not published</span>
                        )}
                      </td>
                      <td className="nowrap muted">{formatDateTime(template.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </>
  );
}
