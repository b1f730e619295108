import { useState } from 'react';
import { useSignedInUser } from '../../auth/session.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { formatDateTime } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { PagedTable } from '../../ui/paged-list.js';
import { useApiData } from '../../ui/use-api-data.js';
import { CreateTokenForm } from './create-token-form.js';
import { TokenSecret } from './token-secret.js';
import { scopeLabels, tokensApi, type ApiToken, type CreatedApiToken, type TokenList } from './tokens.api.js';

const isExpired = (token: ApiToken) => new Date(token.expiresAt) <= new Date();

export function TokensPage() {
  const me = useSignedInUser();
  const [everyone, setEveryone] = useState(false);
  const tokens = useApiData<TokenList>(tokensApi.listPath(everyone));
  const [created, setCreated] = useState<CreatedApiToken | null>(null);

  const onCreated = (token: CreatedApiToken) => {
    setCreated(token);
    tokens.reload();
  };
  const revoke = async (token: ApiToken) => {
    await tokensApi.revoke(token.id);
    if (created?.id === token.id) setCreated(null);
    tokens.reload();
  };

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens let scripts and integrations call the Tidings API as the user who created them."
      />
      {created ? (
        <TokenSecret token={created} onDone={() => setCreated(null)} />
      ) : (
        tokens.data && <CreateTokenForm maxLifeDays={tokens.data.maxLifeDays} onCreated={onCreated} />
      )}
      <div className="toolbar">
        <h2>{everyone ? 'Active tokens of all users' : 'Your active tokens'}</h2>
        <label className="checkbox">
          <input type="checkbox" checked={everyone} onChange={(event) => setEveryone(event.target.checked)} />
          Show all users’ tokens
        </label>
      </div>
      <PagedTable
        list={{ ...tokens, items: tokens.data?.tokens }}
        what="tokens"
        empty={{
          title: everyone ? 'No active tokens' : 'You have no active tokens',
          hint: 'Create one above; its secret is shown once.',
        }}
        rowKey={(token) => token.id}
        columns={(column) => [
          { header: 'Name', className: 'strong', cell: (token) => token.name },
          column.code('Token', (token) => `${token.prefix}…`),
          {
            header: 'Access',
            cell: (token) => <span title={scopeLabels[token.scope].hint}>{scopeLabels[token.scope].label}</span>,
          },
          everyone && {
            header: 'Acts as',
            cell: (token) => (token.userId === me.id ? 'you' : token.userEmail),
          },
          column.date('Created', (token) => token.createdAt),
          {
            header: 'Expires',
            cell: (token) => (
              <>
                {formatDateTime(token.expiresAt)}
                {isExpired(token) && <span className="status status-off">Expired</span>}
              </>
            ),
          },
          {
            header: 'Last used',
            cell: (token) =>
              token.lastUsedAt ? formatDateTime(token.lastUsedAt) : <span className="muted">Not yet</span>,
          },
          column.actions((token) => (
            <ConfirmButton
              label="Revoke"
              question={`Revoke “${token.name}”?`}
              consequence="Anything that uses this token stops working at once. This cannot be undone."
              danger
              onConfirm={() => revoke(token)}
            />
          )),
        ]}
      />
    </>
  );
}
