import { Notice } from '../../ui/states.js';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/client.js';
import { CommentsPanel } from '../../comments/comments-panel.js';
import { useSignedInUser } from '../../auth/session.js';
import { FormError, formErrors } from '../../ui/form.js';
import type { RenderPreview } from '../preview/live-preview.js';
import { LivePreview } from '../preview/live-preview.js';
import { channels, type Channel, type VersionStatus } from '../template-vocabulary.js';
import { may } from '../../ui/permissions.js';
import {
  templatesApi,
  type ComplianceFailure,
  type RenderFailure,
  type TemplateDetail,
  type TemplateVersion,
  type Variants,
  type VersionSummary,
} from '../templates.api.js';
import { CompliancePanel } from './compliance-panel.js';
import { ContentEditor } from './content-editor.js';
import { DataFields } from './data-fields.js';
import {
  channelFields,
  channelUsed,
  draftFrom,
  fieldId,
  fieldValue,
  mainField,
  placeOf,
  variantsToSend,
  versionInputOf,
  withField,
  type Draft,
  type Place,
} from './draft.js';
import { EditorActions } from './editor-actions.js';
import type { Cursor, Highlight } from './source-field.js';
import { blankDetails, TemplateDetailsFields, type TemplateDetails } from './template-details.js';
import { channelKey, problemsInPlace, useCompliance } from './use-compliance.js';
import { VersionHistory } from './version-history.js';

// A version only moves forward, so of two views of one version the further status is the newer.
const progress: Record<VersionStatus, number> = {
  draft: 0,
  in_review: 1,
  changes_requested: 2,
  approved: 2,
  published: 3,
  retired: 4,
};
const newestOf = (versions: VersionSummary[]) =>
  versions.reduce<VersionSummary | undefined>(
    (best, version) =>
      !best ||
      version.number > best.number ||
      (version.number === best.number && progress[version.status] > progress[best.status])
        ? version
        : best,
    undefined,
  );

const noFailures: ComplianceFailure[] = [];
const detailFields = [
  'key',
  'name',
  'purpose',
  'description',
  'dataSchema',
  'sampleData',
  'changeNote',
  'defaultLanguage',
];
const contentOf = (draft: Draft) =>
  JSON.stringify([variantsToSend(draft.variants), draft.defaultLanguage, draft.dataSchemaText, draft.sampleDataText]);

/** The editor with its live preview; a new template when `template` is null. Every save is a new version. */
export function TemplateEditor({
  template,
  version,
  onChanged,
}: {
  template: TemplateDetail | null;
  version: TemplateVersion | null;
  onChanged: () => void;
}) {
  const user = useSignedInUser();
  const navigate = useNavigate();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const [details, setDetails] = useState<TemplateDetails>(blankDetails);
  const [draft, setDraft] = useState<Draft>(() => draftFrom(version));
  const [saved, setSaved] = useState(() => ({
    number: version?.number ?? null,
    variants: version?.variants ?? {},
    content: version ? contentOf(draftFrom(version)) : '',
  }));
  const [saveError, setSaveError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<string | null>((location.state as { notice?: string } | null)?.notice ?? null);
  const [focus, setFocus] = useState<{ id: string; token: number } | null>(null);
  const [previewProblem, setPreviewProblem] = useState<{ id: string; highlight: Highlight } | null>(null);
  const [ownLatest, setOwnLatest] = useState<VersionSummary | null>(null);
  const cursor = useRef<Cursor | null>(null);
  const compliance = useCompliance(template?.key ?? null);
  const dirty = contentOf(draft) !== saved.content;

  const language = draft.variants[params.get('language') ?? ''] ? params.get('language')! : draft.defaultLanguage;
  const bodies = draft.variants[language] ?? {};
  const channel = (channels as readonly string[]).includes(params.get('channel') ?? '')
    ? (params.get('channel') as Channel)
    : (channels.find((candidate) => channelUsed(bodies, candidate)) ?? 'email');
  // The tab lives in the URL (beside ?version=), so it survives a reload and the move from /new to the saved template.
  const showTab = useCallback(
    (nextLanguage: string, nextChannel: Channel) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          next.set('language', nextLanguage);
          next.set('channel', nextChannel);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  const { check } = compliance;
  const [firstCheck] = useState(version?.status === 'draft' ? version.number : null);
  useEffect(() => {
    if (firstCheck !== null) void check(firstCheck);
  }, [check, firstCheck]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const setVariants = (variants: Variants) => {
    setDraft((current) => ({ ...current, variants }));
    setPreviewProblem(null);
  };

  const jump = (place: Place, message?: string, fromPreview = false) => {
    if (!place.language || !draft.variants[place.language] || !place.channel) return;
    const field =
      place.field && channelFields[place.channel].some((entry) => entry.field === place.field)
        ? place.field
        : mainField[place.channel];
    const id = fieldId(place.language, place.channel, field);
    showTab(place.language, place.channel);
    setFocus({ id, token: Date.now() });
    if (fromPreview && message)
      setPreviewProblem({ id, highlight: { line: place.line, column: place.column, message } });
  };
  const showRenderError = (error: RenderFailure) =>
    jump({ ...placeOf(`${language}.${error.field}`), line: error.line, column: error.column }, error.message, true);

  const insertFragment = (key: string) => {
    const tag = `{% fragment '${key}' %}`;
    const prefix = `${language}.${channel}.`;
    // The field last focused on this tab keeps its selection while the picker has focus; read it live.
    const focused = cursor.current?.id.startsWith(prefix)
      ? (document.getElementById(cursor.current.id) as HTMLTextAreaElement | null)
      : null;
    const field = focused ? cursor.current!.id.slice(prefix.length) : mainField[channel];
    const text = fieldValue(bodies, channel, field);
    const start = focused ? focused.selectionStart : text.length;
    const before = text.slice(0, start);
    const after = text.slice(focused ? focused.selectionEnd : text.length);
    // A fragment is a block: at the end of a line it starts a paragraph of its own; inside a line it goes inline.
    const atLineEnd = after === '' || after.startsWith('\n');
    const lead =
      !atLineEnd || before.trim() === '' || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
    const next = before + lead + tag + after;
    const position = before.length + lead.length + tag.length;
    const id = fieldId(language, channel, field);
    setVariants(withField(draft.variants, language, channel, field, next));
    cursor.current = { id, start: position, end: position };
    requestAnimationFrame(() => {
      const element = document.getElementById(id) as HTMLTextAreaElement | null;
      element?.focus();
      element?.setSelectionRange(position, position);
    });
  };

  const save = async () => {
    setSaving(true);
    setSaveError(undefined);
    setNotice(null);
    try {
      const { input, problems } = versionInputOf(draft);
      if (!input)
        throw new ApiError(
          400,
          'client.invalid',
          'Fix the data fields first.',
          Object.entries(problems).map(([path, message]) => ({ path, message })),
        );
      if (!template) {
        const created = await templatesApi.create({
          ...details,
          description: details.description || undefined,
          ...input,
        });
        navigate(`/templates/${created.template.key}${location.search}`, {
          replace: true,
          state: { notice: `Saved version 1 of ${created.template.name} as a draft.` },
        });
        return;
      }
      const next = await templatesApi.saveVersion(template.key, input);
      setSaved({ number: next.number, variants: next.variants, content: contentOf(draft) });
      setOwnLatest(next);
      setDraft((current) => ({ ...current, changeNote: '' }));
      setNotice(`Saved version ${next.number} as a draft.`);
      onChanged();
      void check(next.number);
    } catch (error) {
      setSaveError(error);
    } finally {
      setSaving(false);
    }
  };

  // What this editor did itself counts before the template's reload arrives.
  const latest = newestOf([...(template?.versions ?? []), ...(ownLatest ? [ownLatest] : [])]);
  const submit = async () => {
    if (!template || !latest) return;
    setNotice(null);
    try {
      setOwnLatest(await templatesApi.act(template.key, latest.number, 'submit'));
      setNotice(`Version ${latest.number} is in review. A reviewer can now comment on it and approve it.`);
      onChanged();
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.details.length)
        compliance.refusedSubmission(latest.number, error.details);
      else throw error;
    }
  };

  const errors = formErrors(saveError, detailFields);
  const failures =
    compliance.state.status === 'done' && compliance.state.versionNumber === saved.number
      ? compliance.state.failures
      : noFailures;
  const placed = useMemo(
    () => problemsInPlace(failures, draft.variants, saved.variants),
    [failures, draft.variants, saved.variants],
  );
  const highlights = previewProblem
    ? { ...placed.highlights, [previewProblem.id]: previewProblem.highlight }
    : placed.highlights;
  const previewSource = useMemo(() => {
    const { input } = versionInputOf(draft);
    const sendable =
      input && Object.values(input.variants).some((channelBodies) => Object.keys(channelBodies).length > 0);
    return sendable
      ? { variants: input.variants, defaultLanguage: input.defaultLanguage, sampleData: input.sampleData }
      : null;
  }, [draft]);
  const render = useCallback<RenderPreview>(
    ({ customerId }) => templatesApi.previewDraft({ ...previewSource!, customerId, language }),
    [previewSource, language],
  );

  return (
    <div className="studio">
      <div className="studio-main">
        {notice && (
          <Notice tone="success">
            <span>{notice}</span>
            {template && latest && latest.status !== 'draft' && (
              <Link to={`/templates/${template.key}/versions/${latest.number}`}>Open the review screen</Link>
            )}
          </Notice>
        )}
        {!template && <TemplateDetailsFields details={details} onChange={setDetails} errors={errors.fields} />}
        <FormError message={errors.general} />
        <ContentEditor
          variants={draft.variants}
          defaultLanguage={draft.defaultLanguage}
          language={language}
          channel={channel}
          highlights={highlights}
          channelProblems={placed.channelNotes[channelKey(language, channel)] ?? []}
          focus={focus}
          onVariants={setVariants}
          onDefaultLanguage={(defaultLanguage) => setDraft((current) => ({ ...current, defaultLanguage }))}
          onLanguage={(next) => showTab(next, channel)}
          onChannel={(next) => showTab(language, next)}
          onCursor={(next) => (cursor.current = next)}
          onInsertFragment={insertFragment}
          readOnly={!may(user, 'templates.author')}
        />
        <DataFields
          schemaText={draft.dataSchemaText}
          sampleText={draft.sampleDataText}
          onSchema={(dataSchemaText) => setDraft((current) => ({ ...current, dataSchemaText }))}
          onSample={(sampleDataText) => setDraft((current) => ({ ...current, sampleDataText }))}
          errors={errors.fields}
        />
        <EditorActions
          changeNote={draft.changeNote}
          onChangeNote={(changeNote) => setDraft((current) => ({ ...current, changeNote }))}
          changeNoteError={errors.fields.changeNote}
          canAuthor={may(user, 'templates.author')}
          dirty={dirty || !template}
          saving={saving}
          onSave={save}
          latest={latest}
          onSubmit={submit}
        />
        <CompliancePanel
          state={compliance.state}
          savedNumber={saved.number}
          dirty={dirty}
          onCheck={() => saved.number && void check(saved.number)}
          onJump={(place) => jump(place)}
        />
        {template && <VersionHistory templateKey={template.key} versions={template.versions} editing={saved.number} />}
        {template && <CommentsPanel subject={{ kind: 'template', id: template.id }} />}
      </div>
      <aside className="studio-side">
        <LivePreview
          contentKey={previewSource ? JSON.stringify([previewSource, language]) : null}
          render={render}
          onShowError={showRenderError}
        />
      </aside>
    </div>
  );
}
