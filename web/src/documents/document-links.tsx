import { Link } from 'react-router-dom';
import { useSession } from '../auth/session.js';
import { choicesIn } from '../ui/choices.js';
import { FormError, RunButton, SelectField, TextField, useForm, useSubmission } from '../ui/form.js';
import { may } from '../ui/permissions.js';
import { messageOf } from '../ui/states.js';
import { documentsApi, type DocumentLink, type LinkTarget, type TidingsDocument } from './documents.api.js';

const targetLabels: Record<LinkTarget, string> = {
  customer: 'Customer',
  ticket: 'Ticket',
  communication: 'Communication',
};

const targetPaths: Record<LinkTarget, string> = {
  customer: '/customers',
  ticket: '/tickets',
  communication: '/communications',
};

const sameLink = (a: DocumentLink, b: DocumentLink) => a.targetType === b.targetType && a.targetId === b.targetId;

/** The customers, tickets and communications a document belongs to; writers add and remove them. */
export function DocumentLinks({ document, onChanged }: { document: TidingsDocument; onChanged: () => Promise<void> }) {
  const { user } = useSession();
  const canWrite = user !== null && may(user, 'documents.write');
  const save = async (links: readonly Pick<DocumentLink, 'targetType' | 'targetId'>[]) => {
    await documentsApi.setLinks(
      document.id,
      links.map(({ targetType, targetId }) => ({ targetType, targetId })),
    );
    await onChanged();
  };
  const remove = useSubmission((link: DocumentLink) => save(document.links.filter((other) => !sameLink(other, link))));
  const form = useForm(
    { targetType: 'customer' as LinkTarget, targetId: '' },
    async ({ targetType, targetId }, { reset }) => {
      await save([...document.links, { targetType, targetId: targetId.trim() }]);
      reset();
    },
    { fields: ['targetType', 'targetId', 'links'] },
  );
  return (
    <section className="card" aria-labelledby="document-links">
      <h2 id="document-links">Links</h2>
      {document.links.length === 0 ? (
        <p className="muted">Not linked to a customer, ticket or communication.</p>
      ) : (
        <ul className="documents-links" aria-label="Linked records">
          {document.links.map((link) => (
            <li key={`${link.targetType}:${link.targetId}`}>
              <span className="muted small">{targetLabels[link.targetType]}</span>{' '}
              <Link to={`${targetPaths[link.targetType]}/${link.targetId}`}>{link.label}</Link>
              {canWrite && <RunButton submission={remove} args={[link]} label="Remove" busyLabel="Removing…" />}
            </li>
          ))}
        </ul>
      )}
      <FormError message={remove.error === undefined ? null : messageOf(remove.error)} />
      {canWrite && (
        <form className="form" onSubmit={form.submit} aria-label="Add a link">
          <FormError message={form.errors.general ?? form.errors.fields.links ?? null} />
          <div className="form-row">
            <SelectField form={form} name="targetType" label="Link to" choices={choicesIn(targetLabels)} />
            <TextField form={form} name="targetId" label="Its id" required />
          </div>
          <div className="form-actions">
            <button type="submit" className="button" disabled={form.saving}>
              {form.saving ? 'Adding…' : 'Add link'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
