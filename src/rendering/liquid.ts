import {
  Context,
  Liquid,
  Tag,
  evalQuotedToken,
  toValueSync,
  type Emitter,
  type TagToken,
  type Template,
  type TopLevelToken,
} from 'liquidjs';
import { FragmentFailure, toRenderError } from './errors.js';
import { escapeFor, liquidString, type OutputMode } from './escaping.js';
import { localeRegister, registerRenderingFilters, type FilterImpl, type RenderLocale } from './filters.js';
import { markdownToHtml, markdownToText } from './markdown-blocks.js';
import type { FragmentSources, TemplateField } from './types.js';

/**
 * Bounds that keep one render from holding the server: source size, wall time, the text filters
 * and loops may build (ranges, captures, escaped outputs all count), and the output itself.
 */
// renderLimit is wall-clock time: generous enough that a busy machine never fails a normal template,
// short enough that a runaway loop cannot hold a worker.
const limits = { parseLimit: 1_000_000, renderLimit: 5_000, memoryLimit: 20_000_000 };
const outputLimit = 2_000_000;

/** One field parsed once: render it as often as needed. */
export type CompiledField = { field: TemplateField; mode: OutputMode; templates: Template[] };

type CompileSession = {
  fragments: FragmentSources;
  /** Off when only listing the fragments a template uses: unknown keys are then recorded, not refused. */
  resolve: boolean;
  used: Set<string>;
  parsed: Map<string, Template[]>;
  parsing: string[];
};

/** Parsing is synchronous, so the session of the parse in progress can live here. */
let session: CompileSession | undefined;

const engines = {} as Record<OutputMode, Liquid>;
const modeOf = new Map<Liquid, OutputMode>();

function fragmentTemplates(key: string): Template[] {
  if (!session) throw new Error('fragments can only be used inside a template');
  session.used.add(key);
  if (!Object.hasOwn(session.fragments, key)) {
    if (session.resolve) throw new Error(`unknown fragment '${key}'`);
    return [];
  }
  const known = session.parsed.get(key);
  if (known) return known;
  if (session.parsing.includes(key))
    throw new Error(`fragment '${key}' includes itself (${[...session.parsing, key].join(' → ')})`);
  session.parsing.push(key);
  try {
    const templates = engines.markdown.parse(session.fragments[key]!);
    session.parsed.set(key, templates);
    return templates;
  } catch (err) {
    throw new FragmentFailure(key, err);
  } finally {
    session.parsing.pop();
  }
}

/** What a fragment's rendered Markdown becomes where it is inserted. */
const fragmentOutput: Record<OutputMode, (markdown: string) => string> = {
  html: (markdown) => markdownToHtml(markdown),
  markdown: (markdown) => markdown,
  text: (markdown) => markdownToText(markdown),
};

/** {% fragment 'legal-disclosure' %}: inserts an approved fragment, rendered with the same variables. */
class FragmentTag extends Tag {
  private readonly key: string;
  private readonly templates: Template[];

  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    const quoted = this.tokenizer.readQuoted();
    this.tokenizer.skipBlank();
    if (!quoted || !this.tokenizer.end())
      throw new Error("fragment needs a quoted key, e.g. {% fragment 'legal-disclosure' %}");
    this.key = evalQuotedToken(quoted);
    this.templates = fragmentTemplates(this.key);
  }

  *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    let markdown: unknown;
    try {
      markdown = yield this.liquid.renderer.renderTemplates(this.templates, ctx);
    } catch (err) {
      throw new FragmentFailure(this.key, err);
    }
    emitter.write(fragmentOutput[modeOf.get(this.liquid)!](liquidString(markdown)));
  }
}

/** include, render and layout read files; templates get fragments instead. */
class RefusedTag extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    throw new Error(`{% ${token.name} %} is not available: templates cannot read files; use {% fragment 'key' %}`);
  }

  render(): void {}
}

function createEngine(mode: OutputMode): Liquid {
  const escape = escapeFor(mode);
  const engine = new Liquid({
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    lenientIf: true,
    templates: {},
    cache: false,
    outputEscape(this: FilterImpl, value: unknown) {
      const text = escape(liquidString(value));
      this.context.memoryLimit.use(text.length);
      return text;
    },
    ...limits,
  });
  for (const name of ['include', 'render', 'layout']) engine.registerTag(name, RefusedTag);
  engine.registerTag('fragment', FragmentTag);
  registerRenderingFilters(engine, mode);
  modeOf.set(engine, mode);
  return engine;
}

for (const mode of ['html', 'markdown', 'text'] as const) engines[mode] = createEngine(mode);

function withSession<T>(next: CompileSession, parse: () => T): T {
  const previous = session;
  session = next;
  try {
    return parse();
  } finally {
    session = previous;
  }
}

export const newCompileSession = (fragments: FragmentSources, resolve = true): CompileSession => ({
  fragments,
  resolve,
  used: new Set(),
  parsed: new Map(),
  parsing: [],
});

export type { CompileSession };

/** Parses one field once; Liquid syntax errors, unknown fragments and refused tags become RenderErrors. */
export function parseField(
  compile: CompileSession,
  field: TemplateField,
  mode: OutputMode,
  source: string,
): CompiledField {
  try {
    return { field, mode, templates: withSession(compile, () => engines[mode].parse(source)) };
  } catch (err) {
    throw toRenderError(err, field);
  }
}

class BoundedEmitter implements Emitter {
  buffer = '';

  write(html: unknown): void {
    this.buffer += liquidString(html);
    if (this.buffer.length > outputLimit) throw new Error(`the template produces more than ${outputLimit} characters`);
  }
}

/** Renders a parsed field synchronously: a render takes well under a millisecond, and await would only slow it. */
export function renderField(compiled: CompiledField, scope: Record<string, unknown>, locale: RenderLocale): string {
  const engine = engines[compiled.mode];
  const ctx = new Context(scope, engine.options, { sync: true }, { liquid: engine });
  ctx.setRegister(localeRegister, locale);
  const emitter = new BoundedEmitter();
  try {
    toValueSync(engine.renderer.renderTemplates(compiled.templates, ctx, emitter));
  } catch (err) {
    throw toRenderError(err, compiled.field);
  }
  return emitter.buffer;
}

/** Parses a template's own HTML (our email layout) with HTML escaping. */
export const parseTrustedHtml = (source: string): CompiledField => ({
  field: 'email.body',
  mode: 'html',
  templates: engines.html.parse(source),
});
