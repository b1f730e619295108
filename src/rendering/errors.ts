import { LiquidError } from 'liquidjs';

/** A template that cannot be compiled or rendered, said so that its author can fix it. */
export class RenderError extends Error {
  constructor(
    /** Where the problem is: 'email.body', 'sms.text', 'letter.recipient', … */
    readonly field: string,
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'RenderError';
  }
}

/** Raised inside a {% fragment %} tag so that the outer template reports the tag's own position. */
export class FragmentFailure extends Error {
  constructor(
    readonly key: string,
    override readonly cause: unknown,
  ) {
    super(`fragment '${key}' failed`);
    this.name = 'FragmentFailure';
  }
}

type Positioned = { message: string; line?: number; column?: number };

const liquidPosition = (err: LiquidError) => {
  const [line, column] = err.token?.getPosition() ?? [];
  return { line, column };
};

/** liquidjs says "undefined variable: data.amount, line:1, col:4"; authors read "undefined variable data.amount". */
const authorMessage = (raw: string) => {
  const message = raw.replace(/, line:\d+, col:\d+$/, '');
  if (message === 'memory alloc limit exceeded')
    return 'the template builds too much text (a loop or a repeated capture is too large)';
  if (message === 'template render limit exceeded')
    return 'the template takes too long to render (a loop is too large)';
  if (message.startsWith('ENOENT: Failed to lookup')) return "files cannot be included; use {% fragment 'key' %}";
  return message
    .replace(/^undefined variable: (.+)$/, 'undefined variable $1')
    .replace(/^undefined filter: (.+)$/, "unknown filter '$1'");
};

const describe = (err: unknown): Positioned => {
  if (err instanceof FragmentFailure) {
    const inner = describe(err.cause);
    const at = inner.line === undefined ? '' : ` (line ${inner.line}, column ${inner.column})`;
    return { message: `in fragment '${err.key}'${at}: ${inner.message}` };
  }
  if (err instanceof RenderError) return { message: err.message, line: err.line, column: err.column };
  if (LiquidError.is(err)) {
    const position = liquidPosition(err);
    const original: unknown = err.originalError;
    if (original instanceof FragmentFailure || original instanceof RenderError)
      return { ...describe(original), ...position };
    const message = original instanceof Error && !LiquidError.is(original) ? original.message : err.message;
    return { message: authorMessage(message), ...position };
  }
  return { message: err instanceof Error ? err.message : String(err) };
};

/** Any failure while compiling or rendering one field, as a RenderError naming that field. */
export function toRenderError(err: unknown, field: string): RenderError {
  if (err instanceof RenderError && err.field === field) return err;
  const { message, line, column } = describe(err);
  return new RenderError(field, message, line, column);
}
