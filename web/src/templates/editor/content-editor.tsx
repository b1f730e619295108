import { Segmented } from '../../ui/segmented.js';
import { useState, type FormEvent } from 'react';
import { channelLabels, channels, type Channel } from '../template-vocabulary.js';
import type { EmailBody, Variants } from '../templates.api.js';
import { channelFields, channelUsed, fieldId, fieldValue, withField } from './draft.js';
import { FragmentPicker } from './fragment-picker.js';
import { SourceField, type Cursor, type Highlight } from './source-field.js';

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
export const languageName = (tag: string) => {
  try {
    return languageNames.of(tag) ?? tag;
  } catch {
    return tag;
  }
};
const languageTag = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

function AddLanguage({ existing, onAdd }: { existing: string[]; onAdd: (tag: string) => void }) {
  const [adding, setAdding] = useState(false);
  const [tag, setTag] = useState('');
  const problem =
    tag === ''
      ? null
      : !languageTag.test(tag)
        ? 'Use a language tag such as de or fr-CH.'
        : existing.includes(tag)
          ? 'This language is already there.'
          : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (problem || tag === '') return;
    onAdd(tag);
    setTag('');
    setAdding(false);
  };
  if (!adding) {
    return (
      <button type="button" className="button button-small" onClick={() => setAdding(true)}>
        Add language
      </button>
    );
  }
  return (
    <form className="inline-form" onSubmit={submit}>
      <label className="visually-hidden" htmlFor="new-language">
        Language tag
      </label>
      <input
        id="new-language"
        className="input-small"
        placeholder="de"
        autoFocus
        value={tag}
        onChange={(event) => setTag(event.target.value.trim())}
        aria-invalid={problem ? true : undefined}
      />
      <button type="submit" className="button button-small button-primary" disabled={tag === '' || problem !== null}>
        Add
      </button>
      <button type="button" className="button button-small" onClick={() => setAdding(false)}>
        Cancel
      </button>
      {problem && <span className="field-error">{problem}</span>}
    </form>
  );
}

type Props = {
  variants: Variants;
  defaultLanguage: string;
  language: string;
  channel: Channel;
  highlights: Record<string, Highlight>;
  /** The field someone asked to go to, with a new token per request. */
  focus: { id: string; token: number } | null;
  /** Problems with the channel on screen as a whole, such as a missing required fragment. */
  channelProblems: string[];
  onVariants: (variants: Variants) => void;
  onDefaultLanguage: (language: string) => void;
  onLanguage: (language: string) => void;
  onChannel: (channel: Channel) => void;
  onCursor: (cursor: Cursor) => void;
  onInsertFragment: (key: string) => void;
  /** For those who may read but not write templates. */
  readOnly?: boolean;
};

/** The sources: one tab per language, one per channel, each field a Liquid source. */
export function ContentEditor(props: Props) {
  const { variants, defaultLanguage, language, channel, highlights } = props;
  const languages = [
    defaultLanguage,
    ...Object.keys(variants)
      .filter((tag) => tag !== defaultLanguage)
      .sort(),
  ];
  const bodies = variants[language] ?? {};

  const addLanguage = (tag: string) => {
    // A new language starts as a copy of the one on screen, so translators keep its structure and variables.
    props.onVariants({ ...variants, [tag]: structuredClone(bodies) });
    props.onLanguage(tag);
  };
  const removeLanguage = () => {
    const { [language]: _removed, ...rest } = variants;
    props.onVariants(rest);
    props.onLanguage(defaultLanguage);
  };
  const set = (field: string, value: string) => props.onVariants(withField(variants, language, channel, field, value));

  return (
    <section className="card content-editor" aria-label="Content">
      <div className="language-bar">
        <Segmented
          label="Languages"
          tabs
          choices={languages.map((tag) => ({
            value: tag,
            label: (
              <>
                {languageName(tag)} <span className="muted">({tag})</span>
                {tag === defaultLanguage && <span className="tag">default</span>}
              </>
            ),
          }))}
          value={language}
          onChange={props.onLanguage}
        />
        {!props.readOnly && (
          <div className="language-actions">
            {language !== defaultLanguage && (
              <>
                <button type="button" className="button button-small" onClick={() => props.onDefaultLanguage(language)}>
                  Make default
                </button>
                <button type="button" className="button button-small button-danger-quiet" onClick={removeLanguage}>
                  Remove {languageName(language)}
                </button>
              </>
            )}
            <AddLanguage existing={languages} onAdd={addLanguage} />
          </div>
        )}
      </div>

      <div className="channel-bar">
        <Segmented
          label="Channels"
          tabs
          controls="channel-panel"
          className="channel-tabs"
          itemClassName="channel-tab"
          choices={channels.map((candidate) => ({
            value: candidate,
            label: (
              <>
                {channelLabels[candidate]}
                {channelUsed(bodies, candidate) && (
                  <span className="channel-used" aria-hidden="true" title="Has content" />
                )}
              </>
            ),
          }))}
          value={channel}
          onChange={props.onChannel}
        />
        {!props.readOnly && <FragmentPicker onPick={props.onInsertFragment} />}
      </div>

      <div
        id="channel-panel"
        role="tabpanel"
        aria-label={`${channelLabels[channel]} in ${languageName(language)}`}
        className="channel-panel"
      >
        {props.channelProblems.map((problem) => (
          <div key={problem} className="notice notice-error notice-inline" role="alert">
            {problem}
          </div>
        ))}
        {!channelUsed(bodies, channel) && !props.readOnly && (
          <p className="muted channel-hint">Leave a channel empty and the template does not use it.</p>
        )}
        {channel === 'email' && (
          <div className="field field-inline">
            <label htmlFor="email-format">Format</label>
            <select
              id="email-format"
              className="select-small"
              value={(bodies.email as EmailBody | undefined)?.format ?? 'markdown'}
              disabled={props.readOnly}
              onChange={(event) => set('format', event.target.value)}
            >
              <option value="markdown">Markdown</option>
              <option value="mjml">MJML</option>
            </select>
          </div>
        )}
        {channelFields[channel].map(({ field, label, multiline }) => {
          const id = fieldId(language, channel, field);
          const highlight = highlights[id];
          return (
            <div key={id} className={highlight ? 'field field-invalid' : 'field'}>
              <label htmlFor={id}>
                {channelLabels[channel]} {label.toLowerCase()}
              </label>
              <SourceField
                id={id}
                value={fieldValue(bodies, channel, field)}
                onChange={(value) => set(field, value)}
                onCursor={props.onCursor}
                readOnly={props.readOnly}
                highlight={highlight}
                focusToken={props.focus?.id === id ? props.focus.token : undefined}
                minRows={!multiline ? 1 : channel === 'sms' ? 3 : 8}
                singleLine={!multiline}
                describedBy={highlight ? `${id}-problem` : undefined}
              />
              {highlight && (
                <p className="field-error" id={`${id}-problem`}>
                  {highlight.line
                    ? `Line ${highlight.line}${highlight.column ? `, column ${highlight.column}` : ''}: `
                    : ''}
                  {highlight.message}
                </p>
              )}
            </div>
          );
        })}
      </div>
    </section>
  );
}
