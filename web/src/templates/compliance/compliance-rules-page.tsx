import { useState } from 'react';
import { useSignedInUser } from '../../auth/session.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { PageHeader } from '../../ui/page.js';
import { ErrorNotice, Empty, Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { rulesApi, type ComplianceRule } from '../studio.api.js';
import { may, purposeLabels } from '../template-vocabulary.js';
import { describeParams, RuleDialog, ruleKindLabels } from './rule-dialog.js';

/** The rules a version must meet before it can go to review; admins change them, everyone reads them. */
export function ComplianceRulesPage() {
  const user = useSignedInUser();
  const canManage = may(user, 'compliance.manage');
  const rules = useApiData<{ rules: ComplianceRule[] }>(rulesApi.listPath);
  const [editing, setEditing] = useState<ComplianceRule | 'new' | null>(null);
  const [failure, setFailure] = useState<unknown>();

  const change = async (action: () => Promise<unknown>) => {
    setFailure(undefined);
    try {
      await action();
      rules.reload();
    } catch (error) {
      setFailure(error);
    }
  };

  return (
    <>
      <PageHeader
        title="Compliance rules"
        description={`Checked when a version is submitted for review, and in the editor on demand.${canManage ? '' : ' Admins change them.'}`}
        actions={
          canManage && (
            <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
              New rule
            </button>
          )
        }
      />
      {failure !== undefined && <ErrorNotice error={failure} />}
      <Loaded what="compliance rules" data={rules.data} error={rules.error} onRetry={rules.reload}>
        {({ rules: list }) =>
          list.length === 0 ? (
            <Empty title="No compliance rules">Without rules, any version can go to review.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label="Compliance rules">
                <thead>
                  <tr>
                    <th>Rule</th>
                    <th>Applies to</th>
                    <th>Kind</th>
                    <th>Settings</th>
                    <th>Status</th>
                    {canManage && (
                      <th>
                        <span className="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {list.map((rule) => (
                    <tr key={rule.id} className={rule.enabled ? undefined : 'row-inactive'}>
                      <td className="strong">{rule.description}</td>
                      <td className="nowrap">{rule.purpose ? purposeLabels[rule.purpose] : 'Every purpose'}</td>
                      <td className="nowrap">{ruleKindLabels[rule.kind]}</td>
                      <td>{describeParams(rule)}</td>
                      <td>
                        {rule.enabled ? (
                          <span className="status status-ok">On</span>
                        ) : (
                          <span className="status status-off">Off</span>
                        )}
                      </td>
                      {canManage && (
                        <td className="actions-cell">
                          <div className="row-actions">
                            <button type="button" className="button button-small" onClick={() => setEditing(rule)}>
                              Edit
                            </button>
                            <button
                              type="button"
                              className="button button-small"
                              onClick={() => void change(() => rulesApi.update(rule.id, { enabled: !rule.enabled }))}
                            >
                              {rule.enabled ? 'Turn off' : 'Turn on'}
                            </button>
                            <ConfirmButton
                              label="Delete"
                              question="Delete this rule?"
                              consequence={`“${rule.description}” stops being checked. Turning it off keeps it for later instead.`}
                              danger
                              onConfirm={() => change(() => rulesApi.remove(rule.id))}
                            />
                          </div>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
      {editing && (
        <RuleDialog
          rule={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            rules.reload();
          }}
        />
      )}
    </>
  );
}
