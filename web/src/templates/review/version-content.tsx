import { Segmented } from '../../ui/segmented.js';
import { useState } from 'react';
import { channelFields, channelUsed, fieldValue } from '../editor/draft.js';
import { languageName } from '../editor/content-editor.js';
import { channelLabels, channels } from '../template-vocabulary.js';
import type { TemplateVersion } from '../templates.api.js';

/** The version's sources as saved, one language at a time, every channel it uses. */
export function VersionContent({ version }: { version: TemplateVersion }) {
  const languages = Object.keys(version.variants);
  const [language, setLanguage] = useState(version.defaultLanguage);
  const bodies = version.variants[language] ?? {};
  return (
    <section className="card" aria-label="Content">
      <div className="card-heading">
        <h2>Content</h2>
        {languages.length > 1 && (
          <Segmented
            label="Languages"
            tabs
            className="segmented segmented-small"
            choices={languages.map((tag) => ({ value: tag, label: languageName(tag) }))}
            value={language}
            onChange={setLanguage}
          />
        )}
      </div>
      {channels
        .filter((channel) => channelUsed(bodies, channel))
        .map((channel) => (
          <div key={channel} className="source-view">
            <h3>
              {channelLabels[channel]}
              {channel === 'email' && bodies.email && (
                <span className="muted small"> · {bodies.email.format === 'mjml' ? 'MJML' : 'Markdown'}</span>
              )}
            </h3>
            {channelFields[channel].map(({ field, label }) => (
              <div key={field} className="source-view-field">
                <div className="muted small">{label}</div>
                <pre className="code-view">{fieldValue(bodies, channel, field) || ' '}</pre>
              </div>
            ))}
          </div>
        ))}
      {Object.keys(version.sampleData).length > 0 && (
        <details className="source-view">
          <summary className="muted small">Sample data</summary>
          <pre className="code-view">{JSON.stringify(version.sampleData, null, 2)}</pre>
        </details>
      )}
    </section>
  );
}
