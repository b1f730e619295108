import { useRef, useState } from 'react';
import type { CreatedApiToken } from './tokens.api.js';

/** The one moment the secret is visible: after creating a token, until the admin dismisses it. */
export function TokenSecret({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'manual'>('idle');

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.secret);
      setCopyState('copied');
    } catch {
      // The clipboard API needs a secure context (https or localhost); elsewhere the admin copies by hand.
      input.current?.select();
      setCopyState('manual');
    }
  };

  return (
    <section className="secret" aria-label="New API token">
      <h2>Token “{token.name}” created</h2>
      <p>
        Copy the secret now and keep it somewhere safe. <strong>You will not see it again.</strong> Send it as{' '}
        <code>Authorization: Bearer &lt;secret&gt;</code>.
      </p>
      <div className="secret-row">
        <input
          ref={input}
          className="secret-value"
          aria-label="Token secret"
          readOnly
          value={token.secret}
          onFocus={(event) => event.target.select()}
        />
        <button type="button" className="button button-primary" onClick={copy}>
          {copyState === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      {copyState === 'manual' && (
        <p className="muted">The secret is selected: press Ctrl+C (⌘C on a Mac) to copy it.</p>
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </section>
  );
}
