import type { ReactNode } from 'react';
import { ApiError } from '../api/client.js';

export function messageOf(error: unknown): string {
  if (error instanceof ApiError || error instanceof Error) return error.message;
  return 'Something unexpected went wrong.';
}

export function Loading({ what }: { what: string }) {
  return (
    <div className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      Loading {what}…
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <strong>{title}</strong>
      {children && <p>{children}</p>}
    </div>
  );
}

/** A message across the page: an error is announced at once (an alert), success and information politely. */
export function Notice({
  tone,
  className,
  children,
}: {
  tone: 'success' | 'error' | 'info';
  className?: string;
  children: ReactNode;
}) {
  return (
    <div
      className={className ? `notice notice-${tone} ${className}` : `notice notice-${tone}`}
      role={tone === 'error' ? 'alert' : 'status'}
    >
      {children}
    </div>
  );
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <Notice tone="error">
      <span>{messageOf(error)}</span>
      {onRetry && (
        <button type="button" className="button button-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </Notice>
  );
}

/** Shows the loading and error states of a first load; once there is data, renders it. */
export function Loaded<T>({
  what,
  data,
  error,
  onRetry,
  children,
}: {
  what: string;
  data: T | undefined;
  error: unknown;
  onRetry: () => void;
  children: (data: T) => ReactNode;
}) {
  if (data !== undefined) {
    return (
      <>
        {error !== undefined && <ErrorNotice error={error} onRetry={onRetry} />}
        {children(data)}
      </>
    );
  }
  if (error !== undefined) return <ErrorNotice error={error} onRetry={onRetry} />;
  return <Loading what={what} />;
}

/** A state that is on or off: "Active" in green, "Deactivated" in grey. */
export function OnOff({ on, labels }: { on: boolean; labels: readonly [string, string] }) {
  return <span className={on ? 'status status-ok' : 'status status-off'}>{on ? labels[0] : labels[1]}</span>;
}
