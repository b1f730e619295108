import fs from 'node:fs';
import { createRequire } from 'node:module';
import type * as Fontkit from 'fontkit';
import { TrueTypeSource } from './font-subset.js';
import { fontkit } from './pdf-libraries.js';
import type { Brand } from './types.js';

type Doc = PDFKit.PDFDocument;

/** The fonts a letter is set in, by the name each is registered under in a document. */
export type FontSet = { regular: string; bold: string; italic: string; boldItalic: string; code: string };

/**
 * The brand kit names a classic PDF face; letters print with the Noto face of the same kind, which
 * covers Latin (every European language, Turkish, Vietnamese), Greek and Cyrillic. Each is embedded
 * as a subset with a ToUnicode map, so the PDF carries exactly the characters it shows.
 */
const faces: Record<Brand['font'], Record<keyof FontSet, string>> = {
  Helvetica: {
    regular: 'noto-sans/400Regular/NotoSans_400Regular.ttf',
    bold: 'noto-sans/700Bold/NotoSans_700Bold.ttf',
    italic: 'noto-sans/400Regular_Italic/NotoSans_400Regular_Italic.ttf',
    boldItalic: 'noto-sans/700Bold_Italic/NotoSans_700Bold_Italic.ttf',
    code: 'noto-sans-mono/400Regular/NotoSansMono_400Regular.ttf',
  },
  'Times-Roman': {
    regular: 'noto-serif/400Regular/NotoSerif_400Regular.ttf',
    bold: 'noto-serif/700Bold/NotoSerif_700Bold.ttf',
    italic: 'noto-serif/400Regular_Italic/NotoSerif_400Regular_Italic.ttf',
    boldItalic: 'noto-serif/700Bold_Italic/NotoSerif_700Bold_Italic.ttf',
    code: 'noto-sans-mono/400Regular/NotoSansMono_400Regular.ttf',
  },
  // Noto Sans Mono has no italic: emphasis in a typewriter letter stays upright, as it did in Courier.
  Courier: {
    regular: 'noto-sans-mono/400Regular/NotoSansMono_400Regular.ttf',
    bold: 'noto-sans-mono/700Bold/NotoSansMono_700Bold.ttf',
    italic: 'noto-sans-mono/400Regular/NotoSansMono_400Regular.ttf',
    boldItalic: 'noto-sans-mono/700Bold/NotoSansMono_700Bold.ttf',
    code: 'noto-sans-mono/400Regular/NotoSansMono_400Regular.ttf',
  },
};

/**
 * Line spacing in em of the PDF standard face each Noto family replaces (its bounding box, as pdfkit
 * spaced it). Noto's own is 1.362 em, with room for stacked Vietnamese accents; kept, it would make
 * every letter longer than before and push one-page letters onto a second sheet.
 */
const lineHeights: Record<string, number> = { 'noto-sans': 1.156, 'noto-serif': 1.116, 'noto-sans-mono': 1.055 };

/** pdfkit's laid-out words of one font (glyphs and positions at 1000 units per em), by their text. */
type WordCache = Record<string, unknown>;

type LoadedFont = { font: Fontkit.Font; characters: Set<number>; words: WordCache; documents: number };

const require = createRequire(import.meta.url);
/** Font files are read and parsed once per process; pdfkit takes the parsed font and makes each document its own subset. */
const loaded = new Map<string, LoadedFont>();

/**
 * Glyphs stay one to one with characters: a ligature ("fi") or a composed glyph would share one
 * glyph between different texts, and a PDF maps each glyph back to one text only, so copying or
 * extracting the letter would no longer give the customer's exact words. Kerning and mark placement stay.
 */
const shaping = { liga: false, clig: false, ccmp: false };

/** Words kept per font; past this, checked every WORDS_CHECK documents, the font starts over with an empty cache. */
const SHAPED_WORDS = 20_000;
const WORDS_CHECK = 200;

/**
 * Shaping a word through the font's kerning and mark tables and scaling its positions is most of
 * a letter's layout, and the same words (the letterhead, the template's prose) come back in every
 * letter. pdfkit keeps laid-out words per document and never changes one once laid out; each
 * document gets the font's cache of the whole process instead of an empty one.
 */
function sharedWords(font: LoadedFont): WordCache {
  if (++font.documents % WORDS_CHECK === 0 && Object.keys(font.words).length > SHAPED_WORDS)
    font.words = Object.create(null) as WordCache;
  return font.words;
}

function load(name: string): LoadedFont {
  let font = loaded.get(name);
  if (!font) {
    const file = fs.readFileSync(require.resolve(`@expo-google-fonts/${name}`));
    const parsed = fontkit().create(file);
    if (!('characterSet' in parsed)) throw new Error(`${name} is a font collection, not a font`);
    const shape = parsed.layout.bind(parsed);
    parsed.layout = (text: string, features?: string[] | Record<string, boolean>) => shape(text, features ?? shaping);
    const lineHeight = lineHeights[name.split('/')[0]!]! * parsed.unitsPerEm;
    // pdfkit spaces lines by ascent, descent and line gap; the gap is its only use, so it carries the spacing.
    Object.defineProperty(parsed, 'lineGap', { value: lineHeight - (parsed.ascent - parsed.descent) });
    const source = new TrueTypeSource(file);
    parsed.createSubset = () => source.createSubset() as unknown as Fontkit.Subset;
    // fontkit keeps one glyph object per glyph, holding the characters it was first asked for; one
    // first reached another way (as a part of a composite glyph) would hold none, and every later
    // letter would print that character so that it reads back as nothing. Each glyph is asked for by its character first.
    for (const codePoint of parsed.characterSet) parsed.glyphForCodePoint(codePoint);
    font = {
      font: parsed,
      characters: new Set(parsed.characterSet),
      words: Object.create(null) as WordCache,
      documents: 0,
    };
    loaded.set(name, font);
  }
  return font;
}

/** pdfkit 0.20's font object of a document, as far as the shared word cache needs it. */
type OpenedFont = { _font: { layoutCache?: WordCache } };

/** Registers the brand's fonts in a new document and says which name is which. */
export function useLetterFonts(doc: Doc, face: Brand['font']): FontSet {
  const set = faces[face] ?? faces.Helvetica;
  for (const name of new Set(Object.values(set))) {
    const font = load(name);
    // pdfkit 0.20 takes a parsed fontkit font where its types say only file or bytes.
    doc.registerFont(name, font.font as unknown as Buffer);
    // Opened now so that its word cache can be swapped; a font the document never writes with is not embedded.
    doc.font(name);
    (doc as unknown as OpenedFont)._font.layoutCache = sharedWords(font);
  }
  return set;
}

const scripts = [
  'Arabic',
  'Hebrew',
  'Syriac',
  'Thaana',
  'Armenian',
  'Georgian',
  'Ethiopic',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Khmer',
  'Mongolian',
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
  'Latin',
  'Greek',
  'Cyrillic',
].map((name) => ({ name, pattern: new RegExp(`\\p{Script=${name}}`, 'u') }));

/** A character the letter's font has no glyph for: printing it would put a blank box where the customer's text was. */
export class UnprintableText extends Error {
  constructor(
    readonly text: string,
    readonly character: string,
  ) {
    const script = scripts.find(({ pattern }) => pattern.test(character))?.name;
    const code = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    super(script ? `${script} script ("${character}", ${code})` : `the character "${character}" (${code})`);
    this.name = 'UnprintableText';
  }

  /** The words around the character, so that an author can find it. */
  get excerpt(): string {
    const line = this.text.split('\n').find((candidate) => candidate.includes(this.character)) ?? this.character;
    const at = line.indexOf(this.character);
    const from = Math.max(0, line.lastIndexOf(' ', Math.max(0, at - 20)) + 1);
    const to = line.indexOf(' ', at + 20);
    return `${from > 0 ? '…' : ''}${line.slice(from, to < 0 ? undefined : to)}${to < 0 ? '' : '…'}`;
  }
}

const plain = /^[\n\x20-\x7e]*$/;
/** Invisible characters (zero-width spaces, direction marks, controls): left out where the font has no glyph for them. */
const invisible = /[\p{Default_Ignorable_Code_Point}\p{Cc}]/u;

/**
 * The text exactly as it is to be printed in `font` (named as in the document's FontSet), in Unicode
 * composed form. A character the font cannot print is refused, never replaced by a look-alike.
 */
export function printable(text: string, font: string): string {
  if (plain.test(text)) return text;
  const { characters } = load(font);
  let out = '';
  for (const character of text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, '    ')) {
    if (character === '\n' || characters.has(character.codePointAt(0)!)) out += character;
    else if (!invisible.test(character)) throw new UnprintableText(text, character);
  }
  return out;
}
