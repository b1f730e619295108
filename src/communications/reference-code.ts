/**
 * The reference code every printed letter carries ("Ref. TDG-7K3QX-M9P2A"), so that a customer's
 * paper answer finds the communication it answers. Ten characters of Crockford's base32 (no I, L,
 * O or U, so nothing reads as something else): nine carry 45 bits of the communication's id, the
 * tenth is a check character that catches every single mistyped or misread character and every
 * swap of two neighbours.
 *
 * The code is derived, not stored: communication ids are random (UUID v4), and the first 45 bits
 * of the id name a range of the primary key that holds that communication. Another communication
 * shares a letter's code with a chance of n / 2^45 (one in 350,000 with ten million
 * communications); a code that names more than one is treated as unresolved and filed by hand.
 */

export const REFERENCE_PREFIX = 'TDG';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DATA_LENGTH = 9;
const BITS = DATA_LENGTH * 5;

/** Crockford's reading rules: case does not matter, I and L are 1, O is 0. */
const valueOf = new Map<string, number>([
  ...[...ALPHABET].map((symbol, value) => [symbol, value] as const),
  ['I', 1],
  ['L', 1],
  ['O', 0],
]);

/**
 * Damm's check over the field of 32 elements (x⁵ + x² + 1): the step c ∗ v = αc ⊕ v is a totally
 * anti-symmetric quasigroup, so any one changed symbol and any swap of two adjacent symbols changes
 * the result; a valid code ends at 0.
 */
const times = (c: number) => ((c << 1) ^ (c & 0x10 ? 0x25 : 0)) & 0x1f;
const checkState = (values: number[]) => values.reduce((c, v) => times(c) ^ v, 0);

/** A communication's code, as printed: "TDG-XXXXX-XXXXX". */
export function referenceCodeOf(communicationId: string): string {
  const hex = communicationId.replaceAll('-', '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a communication id: ${communicationId}`);
  // The first 48 bits of the id, shifted to its first 45.
  let bits = Math.floor(Number.parseInt(hex.slice(0, 12), 16) / 8);
  const values: number[] = [];
  for (let i = 0; i < DATA_LENGTH; i++) {
    values.unshift(bits % 32);
    bits = Math.floor(bits / 32);
  }
  values.push(times(checkState(values)));
  const symbols = values.map((value) => ALPHABET[value]).join('');
  return `${REFERENCE_PREFIX}-${symbols.slice(0, 5)}-${symbols.slice(5)}`;
}

/**
 * The ten symbols of a code as someone typed or a scanner read it ("tdg 7k3qx m9p2a", "7K3QXM9P2A"),
 * normalised, or null when it is not ten base32 symbols whose check character holds.
 */
export function normalReferenceCode(typed: string): string | null {
  const symbols = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(new RegExp(`^${REFERENCE_PREFIX}`), '');
  if (symbols.length !== DATA_LENGTH + 1) return null;
  const values = [...symbols].map((symbol) => valueOf.get(symbol));
  if (values.some((value) => value === undefined)) return null;
  if (checkState(values as number[]) !== 0) return null;
  const canonical = (values as number[]).map((value) => ALPHABET[value]).join('');
  return `${REFERENCE_PREFIX}-${canonical.slice(0, 5)}-${canonical.slice(5)}`;
}

/**
 * The ids a valid code can stand for: every UUID whose first 45 bits are the code's, as the
 * inclusive bounds of a primary-key range (UUIDs compare byte by byte, as their hex reads).
 */
export function communicationIdRange(code: string): { from: string; to: string } | null {
  const normal = normalReferenceCode(code);
  if (!normal) return null;
  const values = [...normal.replace(/^TDG-|-/g, '').slice(0, DATA_LENGTH)].map((symbol) => valueOf.get(symbol)!);
  const bits = values.reduce((sum, value) => sum * 32 + value, 0);
  const prefix = bits * 2 ** (48 - BITS);
  const uuid = (first48: number, fill: string) => {
    const hex = first48.toString(16).padStart(12, '0') + fill.repeat(20);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
  return { from: uuid(prefix, '0'), to: uuid(prefix + 2 ** (48 - BITS) - 1, 'f') };
}

/**
 * What OCR reads one printed symbol as, by mistake: each symbol with the symbols it is taken for
 * (after Crockford's own reading of O as 0 and I or L as 1). U is not a symbol; it is a misread V.
 */
const lookalikes: Record<string, string> = {
  '0': 'DQ986',
  D: '0',
  Q: '0',
  '9': '0S',
  '1': '7TJ',
  '7': '1T',
  T: '71',
  '5': 'S6',
  S: '5',
  '8': 'B30',
  B: '83',
  '3': '8B',
  '2': 'Z',
  Z: '2',
  '6': 'G05',
  G: '68',
  V: 'Y',
  Y: 'V',
  U: 'V',
  W: 'V',
  M: 'NH',
  N: 'MH',
  H: 'NM',
  K: 'X',
  X: 'K',
  '4': 'A',
  A: '4',
  E: 'F60',
  F: 'E',
  P: 'R',
  R: 'P',
  C: 'G',
};

/** What OCR returns for a printed symbol at times that is no symbol at all, and so can be read back. */
const symbolReadAs: Record<string, string> = { '@': '0', Ø: '0', ')': 'J' };

/** How many symbols of one code OCR may have misread and still be corrected (each correction then confirmed). */
const MAX_CORRECTIONS = 2;

/**
 * The code the first ten symbols read make if the check holds (`exact`); else, when `corrected`,
 * every code up to MAX_CORRECTIONS look-alike symbols away whose check holds, fewer corrections
 * first; then, when an eleventh symbol was read (a speck or a symbol read twice), every code one
 * symbol left out; then every code the first nine make with one symbol put in (a symbol OCR lost,
 * or two it read as one, as VV for W).
 */
function codesFor(read: string, corrected: boolean): { exact?: string; corrections: string[] } {
  const symbols = read.slice(0, DATA_LENGTH + 1);
  const exact = normalReferenceCode(symbols);
  if (exact) return { exact, corrections: [] };
  if (!corrected) return { corrections: [] };
  const found = new Set<string>();
  const crockford = (text: string) => text.replace(/O/g, '0').replace(/[IL]/g, '1');
  let level = [crockford(symbols)];
  for (let round = 0; round < MAX_CORRECTIONS; round++) {
    const next: string[] = [];
    for (const variant of level)
      for (let i = 0; i < variant.length; i++)
        for (const other of lookalikes[variant[i]!] ?? '') {
          const changed = variant.slice(0, i) + other + variant.slice(i + 1);
          const code = normalReferenceCode(changed);
          if (code) found.add(code);
          next.push(changed);
        }
    level = next;
  }
  if (read.length > symbols.length)
    for (let i = 0; i < read.length; i++) {
      const code = normalReferenceCode(read.slice(0, i) + read.slice(i + 1));
      if (code) found.add(code);
    }
  const nine = crockford(read.slice(0, DATA_LENGTH));
  const withOneMore = [...Array(nine.length + 1).keys()].flatMap((i) =>
    [...ALPHABET].map((symbol) => nine.slice(0, i) + symbol + nine.slice(i)),
  );
  // Two Vs printed side by side come back as one W.
  const vees = [...nine.matchAll(/W/g)].map(({ index }) => `${nine.slice(0, index)}VV${nine.slice(index + 1)}`);
  for (const changed of [...withOneMore, ...vees]) {
    const code = normalReferenceCode(changed);
    if (code) found.add(code);
  }
  return { corrections: [...found] };
}

/**
 * Every valid code in a text read from paper: the printed "Ref. TDG-XXXXX-XXXXX", with the
 * spacing and the letter/digit look-alikes OCR gets wrong forgiven, and a handwritten code without
 * its prefix too. Only codes whose check character holds are answered, each once, in reading order.
 * With `corrected`, a code whose check fails also answers the codes whose check holds a look-alike
 * symbol or two away, or a symbol lost or read twice away (see codesFor), after every exact one:
 * several may, so whoever uses them must confirm one (that it names a communication that exists).
 */
export function referenceCodesIn(text: string, options: { corrected?: boolean } = {}): string[] {
  const exact = new Set<string>();
  const corrections = new Set<string>();
  const add = (read: string) => {
    const codes = codesFor(read, options.corrected ?? false);
    if (codes.exact) exact.add(codes.exact);
    for (const code of codes.corrections) corrections.add(code);
  };
  const upper = text.toUpperCase().replace(/[@Ø)]/g, (glyph) => symbolReadAs[glyph]!);
  // The prefix as OCR may read it (T, D, G can come back as 7, 0, 6), then ten symbols with any
  // spacing, or one fewer or one more (see codesFor).
  const prefixed = /[T7][D0O][G6]\s*[-–—_.:]?\s*((?:[0-9A-Z]\s*[-–—_.]?\s*){9,11})/g;
  for (const match of upper.matchAll(prefixed)) add(match[1]!.replace(/[^0-9A-Z]/g, ''));
  for (const match of upper.matchAll(/\b([0-9A-Z]{5})[-\s]([0-9A-Z]{5})\b/g)) add(match[1]! + match[2]!);
  return [...exact, ...[...corrections].filter((code) => !exact.has(code))];
}
