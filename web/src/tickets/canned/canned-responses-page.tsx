import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client.js';
import { useSignedInUser } from '../../auth/session.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { DataTable } from '../../ui/data-table.js';
import { DialogForm } from '../../ui/dialog-form.js';
import { TextAreaField, TextField, useForm } from '../../ui/form.js';
import { PageHeader, PrimaryAction } from '../../ui/page.js';
import { may } from '../../ui/permissions.js';
import { Empty, Loaded } from '../../ui/states.js';
import { useApiData, useInvalidate } from '../../ui/use-api-data.js';
import { ticketsApi, type CannedResponse } from '../tickets.api.js';

const cannedPath = (id: string) => `${ticketsApi.cannedResponsesPath}/${encodeURIComponent(id)}`;

/** Creates a canned response, or (given one) changes its name and text. */
function CannedResponseDialog({
  canned,
  onClose,
  onSaved,
}: {
  canned?: CannedResponse;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const form = useForm({ name: canned?.name ?? '', body: canned?.body ?? '' }, async (input) => {
    await (canned ? api.patch(cannedPath(canned.id), input) : api.post(ticketsApi.cannedResponsesPath, input));
    await onSaved();
    onClose();
  });
  return (
    <DialogForm
      title={canned ? `Edit ${canned.name}` : 'New canned response'}
      onClose={onClose}
      form={form}
      submitLabel={canned ? 'Save' : 'Create'}
    >
      <TextField form={form} name="name" label="Name" required maxLength={100} />
      <TextAreaField
        form={form}
        name="body"
        label="Text (Markdown)"
        rows={8}
        required
        hint="Placeholders: {{ customer.name }}, {{ customer.givenName }}, {{ ticket.number }}, {{ ticket.subject }}, {{ agent.name }}."
      />
    </DialogForm>
  );
}

/** /tickets/canned-responses: the answers agents insert into replies; managers keep them. */
export function CannedResponsesPage() {
  const user = useSignedInUser();
  const canManage = may(user, 'canned_responses.manage');
  const list = useApiData<{ cannedResponses: CannedResponse[] }>(ticketsApi.cannedResponsesPath);
  const invalidate = useInvalidate();
  const [editing, setEditing] = useState<CannedResponse | 'new' | null>(null);
  const reload = () => invalidate(ticketsApi.cannedResponsesPath);
  return (
    <>
      <p className="breadcrumb">
        <Link to="/tickets">← Inbox</Link>
      </p>
      <PageHeader
        title="Canned responses"
        description="Answers agents insert into a reply, filled in for the ticket's customer in the same sandbox as templates."
        actions={
          <PrimaryAction permission="canned_responses.manage" onClick={() => setEditing('new')}>
            New canned response
          </PrimaryAction>
        }
      />
      <Loaded what="the canned responses" data={list.data} error={list.error} onRetry={list.reload}>
        {({ cannedResponses }) =>
          cannedResponses.length === 0 ? (
            <Empty title="No canned response yet">Managers write them; agents insert them into replies.</Empty>
          ) : (
            <DataTable
              label="Canned responses"
              rows={cannedResponses}
              rowKey={(canned) => canned.id}
              columns={(column) => [
                { header: 'Name', cell: (canned) => <span className="strong">{canned.name}</span> },
                { header: 'Text', cell: (canned) => <span className="muted">{canned.body.slice(0, 140)}</span> },
                column.date('Changed', (canned) => canned.updatedAt),
                ...(canManage
                  ? [
                      column.actions((canned) => (
                        <>
                          <button type="button" className="button button-small" onClick={() => setEditing(canned)}>
                            Edit
                          </button>{' '}
                          <ConfirmButton
                            label="Delete"
                            question={`Delete “${canned.name}”?`}
                            consequence="Agents can no longer insert it; replies already sent keep their text."
                            danger
                            onConfirm={async () => {
                              await api.delete(cannedPath(canned.id));
                              await reload();
                            }}
                          />
                        </>
                      )),
                    ]
                  : []),
              ]}
            />
          )
        }
      </Loaded>
      {editing && (
        <CannedResponseDialog
          canned={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={reload}
        />
      )}
    </>
  );
}
