import { describe, expect, it } from 'vitest';
import { compileTemplate, renderPortal } from '../../src/rendering/index.js';
import { context, fragments, tariffLetter } from './fixtures.js';

const portal = async (body: string, overrides: Parameters<typeof context>[0] = {}) => {
  const template = await compileTemplate({ portal: { subject: 'Tarif für {{ customer.name }}', body } }, fragments);
  return renderPortal(template, context(overrides));
};

describe('portal messages', () => {
  it('renders the Markdown body with its table, list and fragment', async () => {
    const message = await portal(tariffLetter);
    expect(message.subject).toBe('Tarif für Anna Müller');
    expect(message.html).toContain('<h1>Ihr neuer Tarif</h1>');
    expect(message.html).toMatch(/<td>Position 10<\/td>\s*<td align="right">100,00\s€<\/td>/);
    expect(message.html).toContain('<li>Grundpreis bleibt gleich</li>');
    expect(message.html).toContain('<strong>widersprechen</strong>');
  });

  it('strips scripts, styles, frames, event handlers and javascript: links written into the body', async () => {
    const { html } = await portal(
      [
        'Hallo <script>alert(1)</script>',
        '<img src="https://x.example/a.png" onerror="alert(2)">',
        '<style>body{display:none}</style><iframe src="https://evil.example"></iframe>',
        '<a href="javascript:alert(3)">klick</a> [auch](javascript:alert(4)) <b onclick="alert(5)">fett</b>',
      ].join('\n\n'),
    );
    expect(html).not.toMatch(/<script|alert\(1\)|onerror|<style|<iframe|javascript:|onclick|<img/i);
    expect(html).toContain('<b>fett</b>');
    expect(html).toContain('klick');
  });

  it('keeps safe links and opens them apart from the portal', async () => {
    const { html } = await portal('Siehe [Tarifrechner](https://stadtwerke.example/tarif).');
    expect(html).toContain(
      '<a href="https://stadtwerke.example/tarif" rel="noopener noreferrer nofollow" target="_blank">Tarifrechner</a>',
    );
  });

  it('escapes customer data, so a name cannot inject markup or Markdown', async () => {
    const ctx = context();
    const { html, subject } = await portal('Hallo {{ customer.name }}', {
      customer: { ...ctx.customer, name: '<img src=x onerror=alert(1)> [Gewinn](https://evil.example)' },
    });
    expect(html).toBe('<p>Hallo &lt;img src=x onerror=alert(1)&gt; [Gewinn](https://evil.example)</p>\n');
    expect(subject).toBe('Tarif für <img src=x onerror=alert(1)> [Gewinn](https://evil.example)');
  });
});
