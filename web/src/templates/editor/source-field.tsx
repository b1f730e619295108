import { useLayoutEffect, useRef, type ReactNode } from 'react';

export type Cursor = { id: string; start: number; end: number };

/** A problem to point at, from a compliance failure or a render error; with a line, that line is marked. */
export type Highlight = { line?: number; column?: number; message: string };

function lineBounds(text: string, line: number) {
  const lines = text.split('\n');
  const index = Math.min(Math.max(line, 1), lines.length) - 1;
  const start = lines.slice(0, index).reduce((sum, current) => sum + current.length + 1, 0);
  return { start, end: start + (lines[index]?.length ?? 0), index, lines };
}

/**
 * A Liquid source that grows with its text. A highlighted line is marked behind the text (the
 * textarea is transparent over a mirror of itself), so the mark follows wrapped lines.
 */
export function SourceField({
  id,
  value,
  onChange,
  onCursor,
  highlight,
  focusToken,
  minRows = 4,
  readOnly = false,
  singleLine = false,
  describedBy,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  onCursor?: (cursor: Cursor) => void;
  highlight?: Highlight;
  focusToken?: number;
  minRows?: number;
  readOnly?: boolean;
  /** A subject line: Enter does not start a new line. */
  singleLine?: boolean;
  describedBy?: string;
}) {
  const textarea = useRef<HTMLTextAreaElement>(null);

  useLayoutEffect(() => {
    const element = textarea.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${element.scrollHeight + 2}px`;
  }, [value]);

  // Someone asked to go to this field (a new token each time): focus it and select the marked line.
  const line = highlight?.line;
  const column = highlight?.column;
  useLayoutEffect(() => {
    const element = textarea.current;
    if (!element || !focusToken) return;
    element.focus({ preventScroll: true });
    if (line) {
      const { start, end } = lineBounds(element.value, line);
      element.setSelectionRange(start + Math.max((column ?? 1) - 1, 0), end);
    } else {
      element.setSelectionRange(element.value.length, element.value.length);
    }
    element.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [focusToken, line, column]);

  const report = () => {
    const element = textarea.current;
    if (element && onCursor) onCursor({ id, start: element.selectionStart, end: element.selectionEnd });
  };

  let mirror: ReactNode = value;
  if (highlight?.line) {
    const { start, end } = lineBounds(value, highlight.line);
    mirror = (
      <>
        {value.slice(0, start)}
        <mark>{value.slice(start, end) || ' '}</mark>
        {value.slice(end)}
      </>
    );
  }

  return (
    <div className={highlight ? 'source source-flagged' : 'source'}>
      <div className="source-mirror" aria-hidden="true">
        {mirror}
        {'\n'}
      </div>
      <textarea
        ref={textarea}
        id={id}
        rows={minRows}
        value={value}
        readOnly={readOnly}
        spellCheck={false}
        aria-describedby={describedBy}
        aria-invalid={highlight ? true : undefined}
        onChange={(event) => onChange(singleLine ? event.target.value.replace(/\n/g, ' ') : event.target.value)}
        onKeyDown={singleLine ? (event) => event.key === 'Enter' && event.preventDefault() : undefined}
        onSelect={report}
        onFocus={report}
      />
    </div>
  );
}
