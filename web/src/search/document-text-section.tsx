import { useState } from 'react';
import { Loaded, Notice } from '../ui/states.js';
import { useApiData } from '../ui/use-api-data.js';
import { searchApi, type DocumentText } from './search.api.js';
import './search.css';

/** How often the page asks again while the text is still being read. */
const PENDING_REFRESH_MS = 2_000;

const methodWords = { text: 'read from the file', ocr: 'recognized by OCR', none: 'none found' } as const;

/** The document page's word on its current version's text: being extracted, found (and how), none, or failed. */
export function DocumentTextSection({ documentId, version }: { documentId: string; version: string }) {
  const [pending, setPending] = useState(true);
  const text = useApiData<DocumentText>(`${searchApi.textPath(documentId)}?version=${encodeURIComponent(version)}`, {
    refreshEveryMs: pending ? PENDING_REFRESH_MS : undefined,
  });
  const current = text.data;
  // Asks again only while the text is still being read (state kept from the answer before).
  const stillPending = current === undefined || current.status === 'pending';
  if (stillPending !== pending) setPending(stillPending);
  return (
    <section className="card" aria-labelledby="document-text">
      <h2 id="document-text">Text for search</h2>
      {/* Loading shows only before the first answer: each poll keeps the answer before it on screen. */}
      <Loaded what="the text" data={current} error={text.error} onRetry={text.reload}>
        {(answer) =>
          answer.status === 'pending' ? (
            <Notice tone="info">Text being extracted; the document is found by it once this is done.</Notice>
          ) : answer.status === 'failed' ? (
            <Notice tone="error">The text could not be read: {answer.reason}</Notice>
          ) : answer.method === 'none' ? (
            <p>No text found in version {answer.version}; search finds it by its title, tags and metadata.</p>
          ) : (
            <>
              <p>
                {answer.characters.toLocaleString()} characters {methodWords[answer.method ?? 'text']} (version{' '}
                {answer.version}).
              </p>
              <details>
                <summary>Show the beginning</summary>
                <pre className="document-text-excerpt">{answer.excerpt}</pre>
              </details>
            </>
          )
        }
      </Loaded>
    </section>
  );
}
