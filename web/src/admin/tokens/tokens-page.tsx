import { useState } from 'react';
import { useSignedInUser } from '../../auth/session.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { formatDateTime } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { Empty, Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { CreateTokenForm } from './create-token-form.js';
import { TokenSecret } from './token-secret.js';
import { tokensApi, type ApiToken, type CreatedApiToken } from './tokens.api.js';

const isExpired = (token: ApiToken) => token.expiresAt !== null && new Date(token.expiresAt) <= new Date();

export function TokensPage() {
  const me = useSignedInUser();
  const [everyone, setEveryone] = useState(false);
  const tokens = useApiData<{ tokens: ApiToken[] }>(tokensApi.listPath(everyone));
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
        <CreateTokenForm onCreated={onCreated} />
      )}
      <div className="toolbar">
        <h2>{everyone ? 'Active tokens of all users' : 'Your active tokens'}</h2>
        <label className="checkbox">
          <input type="checkbox" checked={everyone} onChange={(event) => setEveryone(event.target.checked)} />
          Show all users’ tokens
        </label>
      </div>
      <Loaded what="tokens" data={tokens.data} error={tokens.error} onRetry={tokens.reload}>
        {({ tokens: list }) =>
          list.length === 0 ? (
            <Empty title={everyone ? 'No active tokens' : 'You have no active tokens'}>
              Create one above; its secret is shown once.
            </Empty>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Token</th>
                    {everyone && <th>Acts as</th>}
                    <th>Created</th>
                    <th>Expires</th>
                    <th>Last used</th>
                    <th>
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((token) => (
                    <tr key={token.id}>
                      <td className="strong">{token.name}</td>
                      <td>
                        <code>{token.prefix}…</code>
                      </td>
                      {everyone && <td>{token.userId === me.id ? 'you' : token.userEmail}</td>}
                      <td>{formatDateTime(token.createdAt)}</td>
                      <td>
                        {token.expiresAt ? formatDateTime(token.expiresAt) : <span className="muted">Never</span>}
                        {isExpired(token) && <span className="status status-off">Expired</span>}
                      </td>
                      <td>
                        {token.lastUsedAt ? formatDateTime(token.lastUsedAt) : <span className="muted">Not yet</span>}
                      </td>
                      <td className="actions-cell">
                        <div className="row-actions">
                          <ConfirmButton
                            label="Revoke"
                            question={`Revoke “${token.name}”?`}
                            consequence="Anything that uses this token stops working at once. This cannot be undone."
                            danger
                            onConfirm={() => revoke(token)}
                          />
                        </div>
                      </td>
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
