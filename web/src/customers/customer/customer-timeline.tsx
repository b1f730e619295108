import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { FormError, TextAreaField, useForm } from '../../ui/form.js';
import { formatDateTime } from '../../ui/format.js';
import { PagedList } from '../../ui/paged-list.js';
import type { CursorPages } from '../../ui/use-cursor-pages.js';
import { customersApi, type TimelineEntry } from '../customers.api.js';

/** How each kind of touchpoint looks; kinds from modules not listed here still show, by name. */
const kindLooks: Record<string, { label: string; icon: string }> = {
  note: { label: 'Note', icon: '✎' },
  consent: { label: 'Consent', icon: '✓' },
  customer: { label: 'Record change', icon: '●' },
  communication: { label: 'Communication', icon: '✉' },
  ticket: { label: 'Ticket', icon: '⚑' },
  document: { label: 'Document', icon: '▤' },
};

/** Record fields in words, for the "Changed …" entries the customer record writes. */
const fieldWords: Record<string, string> = {
  givenName: 'given name',
  familyName: 'family name',
  organizationName: 'organization name',
  lifecycleStage: 'lifecycle stage',
  ownerId: 'owner',
  timeZone: 'time zone',
  externalId: 'external ID',
  channelPreferences: 'channel preferences',
  quietHours: 'quiet hours',
  attributes: 'custom attributes',
};

function titleOf(entry: TimelineEntry) {
  const fields = entry.data.fields;
  if (entry.kind !== 'customer' || !Array.isArray(fields) || !entry.title.startsWith('Changed ')) return entry.title;
  return `Changed ${fields.map((field) => fieldWords[String(field)] ?? String(field)).join(', ')}`;
}

/** Where an entry's subject lives in the app, for subjects that have a page of their own. */
const subjectLinks: Record<string, (id: string) => string> = {
  communication: (id) => `/communications/${encodeURIComponent(id)}`,
  ticket: (id) => `/tickets/${encodeURIComponent(id)}`,
};

/** The entry's title, as a link to its subject when that has a page. */
function linkedTitle(entry: TimelineEntry, title: string): ReactNode {
  const { subjectType, subjectId } = entry;
  if (!subjectType || !subjectId || !Object.hasOwn(subjectLinks, subjectType)) return title;
  return <Link to={subjectLinks[subjectType]!(subjectId)}>{title}</Link>;
}

const lookOf = (kind: string) => kindLooks[kind] ?? { label: kind.charAt(0).toUpperCase() + kind.slice(1), icon: '•' };

function NoteForm({ customerId, onAdded }: { customerId: string; onAdded: () => void }) {
  const form = useForm({ body: '' }, async ({ body }, { reset }) => {
    await customersApi.addNote(customerId, body);
    reset();
    onAdded();
  });
  return (
    <form className="note-form" onSubmit={form.submit}>
      <FormError message={form.errors.general} />
      <TextAreaField
        form={form}
        name="body"
        label="Add a note"
        rows={2}
        placeholder="What happened, what was agreed…"
      />
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary button-small"
          disabled={form.saving || form.values.body.trim() === ''}
        >
          {form.saving ? 'Adding…' : 'Add note'}
        </button>
      </div>
    </form>
  );
}

function Entry({ entry }: { entry: TimelineEntry }) {
  const look = lookOf(entry.kind);
  const title = titleOf(entry);
  return (
    <li className={`timeline-entry timeline-${entry.kind}`}>
      <span className="timeline-icon" aria-hidden="true">
        {look.icon}
      </span>
      <div className="timeline-content">
        {/* A note's title only repeats its kind; its body says it all. */}
        {title !== look.label && <div className="timeline-title">{linkedTitle(entry, title)}</div>}
        {entry.body && <p className="timeline-body">{entry.body}</p>}
        <div className="timeline-meta">
          <span className="badge">{look.label}</span>
          <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
          {entry.actorLabel && <span>by {entry.actorLabel}</span>}
        </div>
      </div>
    </li>
  );
}

type Props = {
  customerId: string;
  timeline: CursorPages<TimelineEntry>;
  kind: string;
  onKindChange: (kind: string) => void;
  canWrite: boolean;
  onNoteAdded: () => void;
};

/** Every touchpoint with the customer, newest first, with a note form on top. */
export function CustomerTimeline({ customerId, timeline, kind, onKindChange, canWrite, onNoteAdded }: Props) {
  return (
    <section className="card" aria-labelledby="timeline-heading">
      <div className="card-header">
        <h2 id="timeline-heading">Timeline</h2>
        <label className="inline-filter">
          Show
          <select value={kind} onChange={(event) => onKindChange(event.target.value)}>
            <option value="">Everything</option>
            {Object.entries(kindLooks).map(([value, look]) => (
              <option key={value} value={value}>
                {look.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {canWrite && <NoteForm customerId={customerId} onAdded={onNoteAdded} />}
      <PagedList
        list={timeline}
        what="the timeline"
        empty={{ title: kind ? 'Nothing of this kind yet' : 'Nothing on the timeline yet' }}
        more="block"
      >
        {(items) => (
          <ol className="timeline" aria-label="Timeline entries">
            {items.map((entry) => (
              <Entry key={entry.id} entry={entry} />
            ))}
          </ol>
        )}
      </PagedList>
    </section>
  );
}
