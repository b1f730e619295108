import { describe, expect, it } from 'vitest';
import {
  HIGHLIGHT_START as on,
  HIGHLIGHT_STOP as off,
  plainText,
  slugFromTitle,
  snippetHtml,
} from '../../src/knowledge/article-text.js';

describe('slugFromTitle', () => {
  it.each([
    ['Reset your password', 'reset-your-password'],
    ['Rückzahlung & Gutschrift', 'ruckzahlung-gutschrift'],
    ['Straße / Hausnummer ändern', 'strasse-hausnummer-andern'],
    ['  --Why?!--  ', 'why'],
    ['日本語', 'article'],
    ['a'.repeat(100), 'a'.repeat(80)],
  ])('%s → %s', (title, slug) => {
    expect(slugFromTitle(title)).toBe(slug);
  });
});

describe('snippetHtml', () => {
  it('escapes the text and turns only the highlight markers into <mark>', () => {
    expect(snippetHtml(`Use ${on}<b>${off} & "quotes" <script>x</script>`)).toBe(
      'Use <mark>&lt;b&gt;</mark> &amp; &quot;quotes&quot; &lt;script&gt;x&lt;/script&gt;',
    );
  });

  it('cannot be fooled by markers in the article, which plain text removes', () => {
    expect(snippetHtml(plainText(`${on}<img src=x onerror=alert(1)>${off} fine`))).not.toContain('<mark>');
  });
});
