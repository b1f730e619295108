import { describe, expect, it } from 'vitest';
import { compileTemplate, renderEmail, renderSms, RenderError } from '../../src/rendering/index.js';
import { context } from './fixtures.js';

/** Renders an SMS text, the channel without any escaping: what a template could leak, it leaks here. */
async function smsOutcome(text: string): Promise<{ output?: string; error?: RenderError }> {
  try {
    const template = await compileTemplate({ sms: { text } }, { notice: 'Hinweis' });
    return { output: (await renderSms(template, context())).text };
  } catch (error) {
    if (error instanceof RenderError) return { error };
    throw error;
  }
}

/** What must never come out of a template: code, prototypes, file contents. */
const leaks = /function|\[native code\]|\[object|prototype|root:|"name":\s*"tidings"|process|require/i;

describe('Liquid sandbox', () => {
  it.each([
    '{{ customer.constructor }}',
    '{{ customer.__proto__ }}',
    '{{ customer["__proto__"] }}',
    '{{ "".constructor.constructor }}',
    '{{ customer.name.constructor.constructor }}',
    '{{ data.items.constructor.prototype }}',
    '{{ customer.toString }}',
    '{{ customer.hasOwnProperty }}',
    '{{ customer.constructor.constructor("return process")() }}',
    '{% assign f = customer.constructor %}{{ f }}',
    '{{ data.items | map: "constructor" }}',
    '{{ data.items | map: "__proto__" | json }}',
    '{{ data.items | sort: "constructor" | first | json }}',
  ])('refuses prototype access: %s', async (source) => {
    const { output, error } = await smsOutcome(source);
    if (error) expect(error.field).toBe('sms.text');
    else expect(output).not.toMatch(leaks);
  });

  it('names the property that was refused', async () => {
    const { error } = await smsOutcome('{{ customer.constructor }}');
    expect(error?.message).toBe('undefined variable customer.constructor');
  });

  it.each([
    "{% include '/etc/passwd' %}",
    "{% render '../../package.json' %}",
    "{% layout 'default' %}",
    '{% include data.path %}',
    "{% fragment '../../package.json' %}",
    "{% fragment '/etc/passwd' %}",
    "{% fragment '__proto__' %}",
    "{% fragment 'constructor' %}",
  ])('reads no file: %s', async (source) => {
    const { output, error } = await smsOutcome(source);
    expect(output).toBeUndefined();
    expect(error?.field).toBe('sms.text');
    expect(error?.message).toMatch(/cannot read files|unknown fragment/);
  });

  it('stops a loop over a hundred million numbers at once', async () => {
    const { error } = await smsOutcome('{% for i in (1..100000000) %}{{ i }}{% endfor %}');
    expect(error?.message).toMatch(/too much text/);
  });

  it('stops nested loops that would run for hours after a bounded time', async () => {
    const { error } = await smsOutcome(
      '{% for i in (1..1000000) %}{% for j in (1..1000000) %}x{% endfor %}{% endfor %}',
    );
    expect(error?.message).toMatch(/too long to render|too much text|more than/);
  });

  it('stops a capture that doubles itself', async () => {
    const { error } = await smsOutcome(
      '{% capture x %}ab{% endcapture %}{% for i in (1..60) %}{% capture x %}{{ x }}{{ x }}{% endcapture %}{% endfor %}{{ x | size }}',
    );
    expect(error?.message).toMatch(/too much text/);
  });

  it('stops a template whose output grows past the limit', async () => {
    const { error } = await smsOutcome(`{% for i in (1..1000000) %}${'x'.repeat(50)}{% endfor %}`);
    expect(error?.message).toMatch(/more than 2000000 characters|too long to render/);
  });

  it('reports an undefined variable with its name, field, line and column', async () => {
    const { error } = await smsOutcome('Hallo {{ customer.givenName }},\nIhr Betrag: {{ data.amont }}');
    expect(error).toMatchObject({ field: 'sms.text', message: 'undefined variable data.amont', line: 2, column: 16 });
  });

  it('lets a condition or default test for a variable that is not there', async () => {
    const { output } = await smsOutcome(
      '{% if data.discount %}Rabatt{% else %}Kein Rabatt{% endif %}, {{ data.title | default: "Kundin" }}',
    );
    expect(output).toBe('Kein Rabatt, Kundin');
  });

  it('has a contact only when the communication has one', async () => {
    expect((await smsOutcome('{{ contact.name }}')).error?.message).toBe('undefined variable contact');
    const template = await compileTemplate({ sms: { text: 'z. Hd. {{ contact.name }}' } }, {});
    expect((await renderSms(template, context({ contact: { name: 'Eva Berg' } }))).text).toBe('z. Hd. Eva Berg');
  });

  it('does not show the logo bytes to templates', async () => {
    const template = await compileTemplate({ sms: { text: '{{ brand | json }}' } }, {});
    const ctx = context();
    const output = (
      await renderSms(template, {
        ...ctx,
        brand: { ...ctx.brand, logo: { mimeType: 'image/png', data: Buffer.from('secret-bytes') } },
      })
    ).text;
    expect(output).not.toContain('secret');
    expect(output).toContain('cid:');
  });

  it('escapes Liquid output in HTML but not where the author asks for raw', async () => {
    const body =
      '<mjml><mj-body><mj-section><mj-column><mj-text>A: {{ customer.name }} B: {{ customer.name | escape }} C: {{ data.html | raw }}</mj-text></mj-column></mj-section></mj-body></mjml>';
    const template = await compileTemplate({ email: { subject: '{{ customer.name }}', body, format: 'mjml' } }, {});
    const ctx = context();
    const email = await renderEmail(template, {
      ...ctx,
      customer: { ...ctx.customer, name: '<script>x</script>' },
      data: { html: '<b>fett</b>' },
    });
    expect(email.html).toContain('A: &lt;script&gt;x&lt;/script&gt; B: &lt;script&gt;x&lt;/script&gt; C: <b>fett</b>');
    expect(email.subject).toBe('<script>x</script>');
  });
});
