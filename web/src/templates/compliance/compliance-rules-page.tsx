import { useState } from 'react';
import { useSignedInUser } from '../../auth/session.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { PageHeader } from '../../ui/page.js';
import { PagedTable } from '../../ui/paged-list.js';
import { ErrorNotice, OnOff } from '../../ui/states.js';
import { useApiList } from '../../ui/use-api-data.js';
import { rulesApi, type ComplianceRule } from '../studio.api.js';
import { purposeLabels } from '../template-vocabulary.js';
import { may } from '../../ui/permissions.js';
import { describeParams, RuleDialog, ruleKindLabels } from './rule-dialog.js';

/** The rules a version must meet before it can go to review; admins change them, everyone reads them. */
export function ComplianceRulesPage() {
  const user = useSignedInUser();
  const canManage = may(user, 'compliance.manage');
  const rules = useApiList<'rules', ComplianceRule>(rulesApi.listPath, 'rules');
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
      <PagedTable
        list={rules}
        what="compliance rules"
        empty={{ title: 'No compliance rules', hint: 'Without rules, any version can go to review.' }}
        label="Compliance rules"
        rowKey={(rule) => rule.id}
        rowClassName={(rule) => (rule.enabled ? undefined : 'row-inactive')}
        columns={(column) => [
          { header: 'Rule', className: 'strong', cell: (rule) => rule.description },
          {
            header: 'Applies to',
            className: 'nowrap',
            cell: (rule) => (rule.purpose ? purposeLabels[rule.purpose] : 'Every purpose'),
          },
          { header: 'Kind', className: 'nowrap', cell: (rule) => ruleKindLabels[rule.kind] },
          { header: 'Settings', cell: describeParams },
          { header: 'Status', cell: (rule) => <OnOff on={rule.enabled} labels={['On', 'Off']} /> },
          canManage &&
            column.actions((rule) => (
              <>
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
              </>
            )),
        ]}
      />
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
