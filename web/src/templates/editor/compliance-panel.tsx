import { ErrorNotice } from '../../ui/states.js';
import { channelLabels } from '../template-vocabulary.js';
import type { ComplianceFailure } from '../templates.api.js';
import { languageName } from './content-editor.js';
import { placeOf, type Place } from './draft.js';

export type ComplianceState =
  | { status: 'idle' }
  | { status: 'checking'; versionNumber: number }
  | { status: 'done'; versionNumber: number; failures: ComplianceFailure[]; fromSubmit: boolean }
  | { status: 'failed'; versionNumber: number; error: unknown };

/** Where a failure is, in words: "English · Email body · line 3, column 9". */
export function describePlace(path: string): string {
  if (path.startsWith('fragment:')) return `In the fragment ${path.slice('fragment:'.length)}`;
  const place = placeOf(path);
  const parts = [
    place.language && languageName(place.language),
    place.channel && `${channelLabels[place.channel]}${place.field ? ` ${place.field}` : ''}`,
  ];
  if (place.line) parts.push(`line ${place.line}${place.column ? `, column ${place.column}` : ''}`);
  return parts.filter(Boolean).join(' · ') || 'The whole template';
}

/** The compliance rules the saved version breaks, each a link to its place in the editor. */
export function CompliancePanel({
  state,
  savedNumber,
  dirty,
  onCheck,
  onJump,
}: {
  state: ComplianceState;
  savedNumber: number | null;
  dirty: boolean;
  onCheck: () => void;
  onJump: (place: Place, message: string) => void;
}) {
  const canCheck = state.status !== 'checking' && savedNumber !== null;
  return (
    <section className="card compliance-panel" aria-label="Compliance">
      <div className="card-heading">
        <h2>Compliance</h2>
        {canCheck && (
          <button type="button" className="button button-small" onClick={onCheck}>
            {state.status === 'idle' ? `Check version ${savedNumber}` : 'Check again'}
          </button>
        )}
      </div>
      {state.status === 'idle' && (
        <p className="muted">
          {savedNumber === null
            ? 'Save a version to check it against the compliance rules for its purpose.'
            : 'Check the saved version against the compliance rules for its purpose.'}
        </p>
      )}
      {state.status === 'checking' && (
        <p className="muted" role="status">
          <span className="spinner spinner-inline" aria-hidden="true" /> Checking version {state.versionNumber}…
        </p>
      )}
      {state.status === 'failed' && <ErrorNotice error={state.error} onRetry={onCheck} />}
      {state.status === 'done' && (
        <>
          <p
            className={
              state.failures.length
                ? 'compliance-verdict compliance-verdict-bad'
                : 'compliance-verdict compliance-verdict-ok'
            }
          >
            {state.failures.length === 0
              ? `Version ${state.versionNumber} meets every rule for its purpose.`
              : `Version ${state.versionNumber} breaks ${state.failures.length} rule${state.failures.length === 1 ? '' : 's'}${state.fromSubmit ? ', so it cannot go to review yet' : ''}.`}
          </p>
          {dirty && <p className="muted small">You have changed the template since; save to check the changes.</p>}
          {state.failures.length > 0 && (
            <ul className="failure-list">
              {state.failures.map((failure, index) => (
                <li key={`${failure.path}-${index}`}>
                  <button
                    type="button"
                    className="failure"
                    onClick={() => onJump(placeOf(failure.path), failure.message)}
                  >
                    <span className="failure-message">{failure.message}</span>
                    <span className="failure-place">
                      {describePlace(failure.path)}
                      {failure.rule && <> · {failure.rule}</>}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
