import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  communicationIdRange,
  normalReferenceCode,
  referenceCodeOf,
  referenceCodesIn,
} from '../../src/communications/reference-code.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const symbolsOf = (code: string) => code.replace(/^TDG-|-/g, '');

describe('reference codes', () => {
  it('names its communication: the code leads back to a range that holds exactly that id', () => {
    for (let i = 0; i < 200; i++) {
      const id = randomUUID();
      const code = referenceCodeOf(id);
      expect(code).toMatch(/^TDG-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
      expect(referenceCodeOf(id)).toBe(code);
      const range = communicationIdRange(code)!;
      expect(range.from <= id && id <= range.to).toBe(true);
      expect(referenceCodeOf(range.from)).toBe(code);
      expect(referenceCodeOf(range.to)).toBe(code);
    }
  });

  it('reads a code as people type it: any case, spaces or no dashes, I and L as 1, O as 0', () => {
    const code = referenceCodeOf('0f1c0a2e-3b4d-4e5f-8a6b-7c8d9e0f1a2b');
    const symbols = symbolsOf(code);
    expect(normalReferenceCode(code.toLowerCase())).toBe(code);
    expect(normalReferenceCode(`${symbols.slice(0, 5)} ${symbols.slice(5)}`)).toBe(code);
    expect(normalReferenceCode(symbols)).toBe(code);
    expect(normalReferenceCode(symbols.replaceAll('0', 'O').replaceAll('1', 'l'))).toBe(code);
  });

  it('refuses every code with one character changed and every swap of two neighbours', () => {
    let tried = 0;
    for (let n = 0; n < 50; n++) {
      const symbols = symbolsOf(referenceCodeOf(randomUUID()));
      for (let i = 0; i < symbols.length; i++) {
        for (const other of ALPHABET) {
          if (other === symbols[i]) continue;
          tried++;
          expect(normalReferenceCode(symbols.slice(0, i) + other + symbols.slice(i + 1))).toBeNull();
        }
        if (i + 1 < symbols.length && symbols[i] !== symbols[i + 1]) {
          tried++;
          const swapped = symbols.slice(0, i) + symbols[i + 1] + symbols[i] + symbols.slice(i + 2);
          expect(normalReferenceCode(swapped)).toBeNull();
        }
      }
    }
    expect(tried).toBeGreaterThan(15_000);
    expect(normalReferenceCode('TDG-12345')).toBeNull();
    expect(normalReferenceCode('TDG-UUUUU-UUUUU')).toBeNull();
  });

  it('finds the printed code in text read from paper, forgiving what OCR gets wrong, and nothing else', () => {
    const code = referenceCodeOf(randomUUID());
    const symbols = symbolsOf(code);
    const read = [
      'Stadtwerke Nord GmbH',
      `Ref. 7D6 - ${symbols.slice(0, 5)} ${symbols.slice(5).replaceAll('0', 'O')}`,
      'I do not agree with the new tariff.',
    ].join('\n');
    expect(referenceCodesIn(read)).toEqual([code]);
    // Written by hand without its prefix.
    expect(referenceCodesIn(`my letter ${symbols.slice(0, 5)}-${symbols.slice(5)} thanks`)).toEqual([code]);
    const wrong = symbols.slice(0, 9) + (symbols[9] === 'A' ? 'B' : 'A');
    expect(referenceCodesIn(`Ref. TDG-${wrong.slice(0, 5)}-${wrong.slice(5)}`)).toEqual([]);
  });

  it('offers the codes one OCR look-alike away when the check fails, for the caller to confirm', () => {
    const code = referenceCodeOf('5b8e2f10-0000-4000-8000-000000000000');
    const symbols = symbolsOf(code);
    const misreads: Record<string, string> = { '5': 'S', S: '5', B: '8', '8': 'B', '2': 'Z', Z: '2', '0': 'Q', Q: '0' };
    const at = [...symbols].findIndex((symbol) => symbol in misreads);
    expect(at).toBeGreaterThanOrEqual(0);
    const misread = symbols.slice(0, at) + misreads[symbols[at]!] + symbols.slice(at + 1);
    const text = `Ref. TDG-${misread.slice(0, 5)}-${misread.slice(5)}`;
    expect(referenceCodesIn(text)).toEqual([]);
    const offered = referenceCodesIn(text, { corrected: true });
    expect(offered).toContain(code);
    // A few at most, each to be confirmed by naming a communication.
    expect(offered.length).toBeLessThan(30);
  });

  it('reads a zero OCR took for "@" and a J it took for ")", and offers the code without a symbol read once too often or with one it lost', () => {
    const code = referenceCodeOf('5b8e2f10-0000-4000-8000-000000000000');
    const symbols = symbolsOf(code);
    expect(symbols).toContain('0');
    expect(referenceCodesIn(`Ref. TDG-${symbols.slice(0, 5)}-${symbols.slice(5)}`.replaceAll('0', '@'))).toEqual([
      code,
    ]);
    const withJ = referenceCodeOf('8c8e2f10-0000-4000-8000-000000000000');
    expect(withJ).toContain('J');
    expect(referenceCodesIn(`Ref. ${withJ.replaceAll('J', ')')} thanks`)).toEqual([withJ]);

    const lost = `Ref. TDG-${symbols.slice(0, 3)}${symbols.slice(4, 5)}-${symbols.slice(5)} ~~`;
    expect(referenceCodesIn(lost)).toEqual([]);
    expect(referenceCodesIn(lost, { corrected: true })).toContain(code);
    const vees = referenceCodeOf('dec00000-0000-4000-8000-000000000000');
    expect(vees).toContain('VV');
    expect(referenceCodesIn(`Ref. ${vees.replace('VV', 'W')}`, { corrected: true })).toContain(vees);

    const doubled = symbols.slice(0, 5) + symbols[4] + symbols.slice(5);
    const text = `Ref. TDG-${doubled.slice(0, 6)}-${doubled.slice(6)}\nAnna Miller`;
    expect(referenceCodesIn(text)).toEqual([]);
    const offered = referenceCodesIn(text, { corrected: true });
    expect(offered).toContain(code);
    expect(offered.length).toBeLessThan(30);
  });
});
