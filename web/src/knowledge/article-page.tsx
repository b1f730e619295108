import { Link, useNavigate, useParams } from 'react-router-dom';
import { useSignedInUser } from '../auth/session.js';
import { listOf, textOf } from '../customers/text-lists.js';
import { choicesIn, namedChoices, Radios } from '../ui/choices.js';
import { ConfirmButton } from '../ui/confirm-button.js';
import {
  FieldGroup,
  FormActions,
  FormError,
  SelectField,
  TextAreaField,
  TextField,
  RunButton,
  useForm,
  useSubmission,
} from '../ui/form.js';
import { formatDateTime } from '../ui/format.js';
import { PageHeader } from '../ui/page.js';
import { PagedList } from '../ui/paged-list.js';
import { may } from '../ui/permissions.js';
import { ErrorNotice, Loaded } from '../ui/states.js';
import { useApiData, useApiList, useInvalidate } from '../ui/use-api-data.js';
import { useCursorPages } from '../ui/use-cursor-pages.js';
import { ArticleStatusBadge } from './article-status-badge.js';
import { knowledgeApi, type Article, type ArticleVersion, type Category } from './knowledge.api.js';
import {
  articleActionLabels,
  visibilityLabels,
  type ArticleAction,
  type ArticleVisibility,
} from './knowledge-vocabulary.js';

type Draft = {
  title: string;
  categoryId: string;
  visibility: ArticleVisibility;
  tags: string;
  body: string;
  changeNote: string;
};

const draftOf = (article: Article | undefined): Draft => ({
  title: article?.title ?? '',
  categoryId: article?.categoryId ?? '',
  visibility: article?.visibility ?? 'internal',
  tags: textOf(article?.tags ?? []),
  body: article?.body ?? '',
  changeNote: '',
});

/**
 * The article's fields. Saving a new article writes version 1; saving an existing one writes its
 * category and visibility, and a new version when the title, tags or text changed (refused when
 * someone saved a newer version meanwhile).
 */
function ArticleForm({
  article,
  categories,
  editable,
  onSaved,
}: {
  article?: Article;
  categories: Category[];
  editable: boolean;
  onSaved: (article: Article) => void;
}) {
  const saved = draftOf(article);
  const form = useForm(saved, async (values) => {
    const content = {
      title: values.title,
      tags: listOf(values.tags),
      body: values.body,
      changeNote: values.changeNote,
    };
    if (!article) {
      onSaved(
        await knowledgeApi.create({
          ...content,
          categoryId: values.categoryId || undefined,
          visibility: values.visibility,
        }),
      );
      return;
    }
    let latest = article;
    if (values.categoryId !== saved.categoryId || values.visibility !== saved.visibility)
      latest = await knowledgeApi.update(article.id, {
        categoryId: values.categoryId || null,
        visibility: values.visibility,
      });
    if (values.title !== saved.title || values.tags !== saved.tags || values.body !== saved.body)
      await knowledgeApi.saveVersion(article.id, { ...content, baseVersion: article.currentVersion });
    onSaved(latest);
  });
  const changed = (Object.keys(saved) as (keyof Draft)[]).some((name) => form.values[name] !== saved[name]);

  return (
    <form className="form card kb-editor" onSubmit={form.submit} noValidate aria-label="Article">
      <FormError message={form.errors.general} />
      <TextField form={form} name="title" label="Title" maxLength={200} required disabled={!editable} />
      <div className="form-row">
        <SelectField
          form={form}
          name="categoryId"
          label="Category"
          empty="No category"
          choices={namedChoices(categories)}
          disabled={!editable}
        />
        <TextField form={form} name="tags" label="Tags" hint="Separated by commas." disabled={!editable} />
      </div>
      <FieldGroup label="Visibility" error={form.errors.fields.visibility}>
        <Radios
          name="visibility"
          choices={choicesIn(visibilityLabels).map((choice) => ({
            ...choice,
            title: editable ? undefined : 'Your role reads articles only',
          }))}
          value={form.values.visibility}
          onChange={(value) => editable && form.set('visibility', value)}
        />
      </FieldGroup>
      <TextAreaField
        form={form}
        name="body"
        label="Text (Markdown)"
        className="kb-body"
        rows={16}
        spellCheck
        readOnly={!editable}
        hint="**bold**, _italic_, # headings, - lists and [links](https://…). Images and scripts are left out."
      />
      {editable && (
        <>
          <TextField
            form={form}
            name="changeNote"
            label="Change note"
            hint="What this version changes, for the history."
          />
          <FormActions
            label={article ? 'Save as a new version' : 'Create draft'}
            busyLabel="Saving…"
            saving={form.saving}
            disabled={!changed}
          />
        </>
      )}
    </form>
  );
}

/** The article's saved versions, newest first; an older one can be brought back as a new version. */
function Versions({ article, onRestored }: { article: Article; onRestored: () => Promise<void> }) {
  const user = useSignedInUser();
  const versions = useCursorPages<'versions', ArticleVersion>(knowledgeApi.versionsPath(article.id), 'versions');
  return (
    <section className="card" aria-labelledby="versions-heading">
      <h2 id="versions-heading">Versions</h2>
      <PagedList list={versions} what="versions" more="block" empty={{ title: 'No versions' }}>
        {(items) => (
          <ol className="kb-versions" aria-label="Versions">
            {items.map((version) => (
              <li key={version.id} className="kb-version">
                <div>
                  <span className="strong">Version {version.number}</span>
                  {version.number === article.currentVersion && <span className="badge">Current</span>}
                  <div className="muted small">
                    {version.author} · {formatDateTime(version.createdAt)}
                    {version.restoredFrom !== null && ` · restored version ${version.restoredFrom}`}
                  </div>
                  {version.changeNote && <div className="small">{version.changeNote}</div>}
                </div>
                {version.number !== article.currentVersion && may(user, 'knowledge.write') && (
                  <ConfirmButton
                    label="Restore"
                    question={`Restore version ${version.number}?`}
                    consequence={`Its title, tags and text are saved again as version ${article.currentVersion + 1}; nothing is lost.`}
                    onConfirm={async () => {
                      await knowledgeApi.restore(article.id, version.number, article.currentVersion);
                      await onRestored();
                    }}
                  />
                )}
              </li>
            ))}
          </ol>
        )}
      </PagedList>
    </section>
  );
}

function StatusActions({ article, onAct }: { article: Article; onAct: (action: ArticleAction) => Promise<void> }) {
  const act = useSubmission(onAct);
  return (
    <>
      {article.actions.map((action) => (
        <RunButton
          key={action}
          primary={action === 'publish'}
          submission={act}
          args={[action]}
          label={articleActionLabels[action]}
        />
      ))}
      {act.error !== undefined && <ErrorNotice error={act.error} />}
    </>
  );
}

function ArticleView({ article, categories }: { article: Article; categories: Category[] }) {
  const user = useSignedInUser();
  const invalidate = useInvalidate();
  const editable = may(user, 'knowledge.write');
  const refresh = () => invalidate('/api/knowledge');
  return (
    <>
      <p className="breadcrumb">
        <Link to="/knowledge">← Knowledge base</Link>
      </p>
      <PageHeader
        title={article.title}
        description={
          <span className="kb-headline">
            <ArticleStatusBadge status={article.status} />
            <span className="muted">
              {visibilityLabels[article.visibility]} · version {article.currentVersion} · changed{' '}
              {formatDateTime(article.updatedAt)}
            </span>
            {article.publicPath && (
              <a href={article.publicPath} target="_blank" rel="noreferrer">
                Open in the help centre
              </a>
            )}
          </span>
        }
        actions={
          editable && (
            <StatusActions
              article={article}
              onAct={async (action) => {
                await knowledgeApi.act(article.id, action);
                await refresh();
              }}
            />
          )
        }
      />
      <div className="kb-layout">
        <ArticleForm
          key={`${article.currentVersion}:${article.updatedAt}`}
          article={article}
          categories={categories}
          editable={editable}
          onSaved={() => void refresh()}
        />
        <aside className="kb-side">
          <Versions article={article} onRestored={refresh} />
          <section className="card" aria-labelledby="feedback-heading">
            <h2 id="feedback-heading">Help-centre feedback</h2>
            <p>
              {article.helpful} found it helpful, {article.notHelpful} did not.
            </p>
          </section>
        </aside>
      </div>
    </>
  );
}

/** /knowledge/new and /knowledge/:id: write an article, change it as new versions, publish it. */
export function ArticlePage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const categories = useApiList<'categories', Category>(knowledgeApi.categoriesPath, 'categories');
  const article = useApiData<Article>(id ? knowledgeApi.articlePath(id) : null);

  if (!id)
    return (
      <>
        <p className="breadcrumb">
          <Link to="/knowledge">← Knowledge base</Link>
        </p>
        <PageHeader title="New article" description="It starts as a draft; publish it when it is ready." />
        <ArticleForm
          categories={categories.items ?? []}
          editable
          onSaved={(created) => navigate(`/knowledge/${created.id}`, { replace: true })}
        />
      </>
    );
  const shown = article.data?.id === id ? article.data : undefined;
  return (
    <Loaded what="the article" data={shown} error={article.error} onRetry={article.reload}>
      {(loaded) => <ArticleView article={loaded} categories={categories.items ?? []} />}
    </Loaded>
  );
}
