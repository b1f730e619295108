import { useId, useState } from 'react';
import { api } from '../../api/client.js';
import { knowledgeApi, type Article, type SearchHit } from '../../knowledge/knowledge.api.js';
import { AttachmentsField as SharedAttachmentsField } from '../../ui/attachments-field.js';
import { messageOf } from '../../ui/states.js';
import { useApiData, useApiList } from '../../ui/use-api-data.js';
import { ticketsApi, type Attachment, type CannedResponse } from '../tickets.api.js';

/** Files for a reply or a note, uploaded to the ticket attachments as they are picked. */
export const AttachmentsField = (props: {
  attachments: Attachment[];
  onChange: (attachments: Attachment[]) => void;
}) => (
  <SharedAttachmentsField
    {...props}
    label="Attachments"
    upload={ticketsApi.uploadAttachment}
    className="ticket-attachments"
    listClassName="ticket-attachment-list"
  />
);

/** A canned response, filled in for this ticket's customer and the agent, to insert into the reply. */
export function CannedResponsePicker({ ticketId, onInsert }: { ticketId: string; onInsert: (text: string) => void }) {
  const canned = useApiList<'cannedResponses', CannedResponse>(ticketsApi.cannedResponsesPath, 'cannedResponses');
  const [failure, setFailure] = useState<string | null>(null);
  if (!canned.items?.length) return null;
  return (
    <label className="inline-filter">
      Canned response
      <select
        value=""
        onChange={async (event) => {
          setFailure(null);
          if (!event.target.value) return;
          try {
            onInsert((await ticketsApi.renderCanned(event.target.value, ticketId)).body);
          } catch (error) {
            setFailure(messageOf(error));
          }
        }}
      >
        <option value="">insert…</option>
        {canned.items.map((response) => (
          <option key={response.id} value={response.id}>
            {response.name}
          </option>
        ))}
      </select>
      {failure && (
        <span className="field-error" role="alert">
          {failure}
        </span>
      )}
    </label>
  );
}

/** The help-centre address of a public, published article; an internal one has none a customer could open. */
const publicLink = (article: Article) =>
  article.publicPath ? new URL(article.publicPath, window.location.origin).toString() : null;

/**
 * Finds a knowledge article and inserts its link (public articles) or its text into the reply.
 */
export function ArticlePicker({ onInsert }: { onInsert: (text: string) => void }) {
  const id = useId();
  const [q, setQ] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const search = useApiData<{ articles: SearchHit[] }>(
    q.trim().length >= 2 ? knowledgeApi.searchPath(q.trim(), { status: 'published' }) : null,
  );
  const insert = async (hit: SearchHit, as: 'link' | 'text') => {
    setFailure(null);
    try {
      const article = await api.get<Article>(knowledgeApi.articlePath(hit.id));
      const link = publicLink(article);
      onInsert(as === 'link' && link ? `[${article.title}](${link})` : article.body);
    } catch (error) {
      setFailure(messageOf(error));
    }
  };
  return (
    <div className="field ticket-article-picker">
      <label htmlFor={`${id}-article`}>Insert a knowledge article</label>
      <input
        id={`${id}-article`}
        type="search"
        value={q}
        placeholder="Search the knowledge base"
        onChange={(event) => setQ(event.target.value)}
      />
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      {search.data && (
        <ul className="ticket-article-results" aria-label="Articles found">
          {search.data.articles.length === 0 && <li className="muted small">No published article matches.</li>}
          {search.data.articles.map((hit) => (
            <li key={hit.id}>
              <span className="strong">{hit.title}</span>{' '}
              <span className="muted small">{hit.visibility === 'public' ? 'public' : 'internal'}</span>{' '}
              {hit.visibility === 'public' && (
                <button type="button" className="button button-small" onClick={() => void insert(hit, 'link')}>
                  Insert link
                </button>
              )}{' '}
              <button type="button" className="button button-small" onClick={() => void insert(hit, 'text')}>
                Insert text
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
