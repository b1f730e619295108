import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildEmailMessage, compileTemplate, renderEmail, RenderError } from '../../src/rendering/index.js';
import { brandWithLogo, context, fragments, normalizeSpaces, tariffLetter } from './fixtures.js';

const envelope = {
  from: { name: 'Stadtwerke Nord', address: 'service@stadtwerke.example' },
  to: 'anna@example.com',
  replyTo: 'antworten@stadtwerke.example',
  messageId: 'c-42.v7@stadtwerke.example',
  listUnsubscribe: 'https://stadtwerke.example/unsubscribe/abc',
  date: new Date('2026-11-15T10:00:00Z'),
};

const markdownEmail = () =>
  compileTemplate(
    {
      email: {
        subject: 'Ihr neuer Tarif ab {{ data.effective | date: "long" }}, {{ customer.givenName }}',
        body: tariffLetter,
        format: 'markdown',
      },
    },
    fragments,
  );

describe('email', () => {
  it('builds an RFC 5322 message whose parts carry the personalized content', async () => {
    const email = await renderEmail(await markdownEmail(), context());
    const parsed = await simpleParser(await buildEmailMessage(email, envelope));
    expect(parsed.subject).toBe('Ihr neuer Tarif ab 1. Januar 2027, Anna');
    expect(parsed.from?.value[0]).toMatchObject({ name: 'Stadtwerke Nord', address: 'service@stadtwerke.example' });
    expect(parsed.to && 'value' in parsed.to ? parsed.to.value[0]?.address : undefined).toBe('anna@example.com');
    expect(parsed.replyTo?.value[0]?.address).toBe('antworten@stadtwerke.example');
    expect(parsed.messageId).toBe('<c-42.v7@stadtwerke.example>');
    expect(parsed.headers.get('list')).toMatchObject({
      unsubscribe: { url: 'https://stadtwerke.example/unsubscribe/abc' },
    });
    expect(parsed.date?.toISOString()).toBe('2026-11-15T10:00:00.000Z');

    const text = normalizeSpaces(parsed.text ?? '');
    expect(text).toContain('Hallo Anna,');
    expect(text).toContain('1.234,50 € im Jahr');
    expect(parsed.text).toContain('- Grundpreis bleibt gleich');
    expect(parsed.text).toMatch(/Position 10 +100,00\s€/);
    expect(text).toContain('widersprechen');
    expect(text).toContain('Amtsgericht Hamburg HRB 12345');

    const html = parsed.html || '';
    expect(html).toContain('Hallo Anna,');
    expect(html).toContain('<strong>1. Januar 2027</strong>');
    expect(html).toMatch(/<td[^>]*>Position 10<\/td>/);
    expect(html).toContain('Stadtwerke Nord GmbH');
    expect(html).toContain('background-color:#0b5fff');
    expect(html).not.toMatch(/\{\{|\{%/);
  });

  it('leaves out List-Unsubscribe when none is given and adds one-click when asked', async () => {
    const email = await renderEmail(await markdownEmail(), context());
    const plain = await simpleParser(await buildEmailMessage(email, { ...envelope, listUnsubscribe: undefined }));
    expect(plain.headers.has('list')).toBe(false);
    const oneClick = (await buildEmailMessage(email, { ...envelope, listUnsubscribeOneClick: true })).toString();
    expect(oneClick).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  });

  it('writes links as "text (url)" in the text part', async () => {
    const template = await compileTemplate(
      {
        email: {
          subject: 'Links',
          body: 'Rechnen Sie nach: [Tarifrechner]({{ data.url }}) oder {{ data.url }}.',
          format: 'markdown',
        },
      },
      {},
    );
    const email = await renderEmail(
      template,
      context({ data: { url: 'https://stadtwerke.example/rechner?plz=10115&a_b=1' } }),
    );
    expect(email.text).toContain('Tarifrechner (https://stadtwerke.example/rechner?plz=10115&a_b=1)');
    expect(email.html).toContain('href="https://stadtwerke.example/rechner?plz=10115&amp;a_b=1"');
  });

  it('keeps only web, mail and phone links', async () => {
    const template = await compileTemplate(
      {
        email: {
          subject: 's',
          body: '[Zahlen]({{ data.url }}) <a href="JavaScript&#58;alert(2)">x</a> [Web](https://stadtwerke.example)',
          format: 'markdown',
        },
      },
      {},
    );
    const { html } = await renderEmail(template, context({ data: { url: 'javascript:alert(1)' } }));
    expect(html).not.toMatch(/javascript/i);
    expect(html).toContain('<a style="color:#ff6a00" href="#">Zahlen</a>');
    expect(html).toContain('href="https://stadtwerke.example"');
  });

  it('escapes customer data in the HTML part, also against Markdown injection', async () => {
    const ctx = context();
    const hostile = {
      ...ctx,
      customer: { ...ctx.customer, givenName: '<script>alert(1)</script> [win](https://evil.example) **bold**' },
    };
    const email = await renderEmail(await markdownEmail(), hostile);
    expect(email.html).not.toContain('<script>alert(1)');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).not.toContain('href="https://evil.example"');
    expect(email.html).not.toContain('<strong>bold</strong>');
    expect(email.text).toContain('<script>alert(1)</script> [win](https://evil.example) **bold**');
    expect(email.subject).toContain('<script>alert(1)</script>');
  });

  it('sends the brand logo as an inline image that the HTML refers to', async () => {
    const email = await renderEmail(await markdownEmail(), context({ brand: brandWithLogo }));
    expect(email.inlineImages).toHaveLength(1);
    const parsed = await simpleParser(await buildEmailMessage(email, envelope), { keepCidLinks: true });
    const logo = parsed.attachments.find((attachment) => attachment.contentType === 'image/png');
    expect(logo?.cid).toBe(email.inlineImages![0]!.cid);
    expect(parsed.html).toContain(`cid:${logo?.cid}`);
  });

  it('renders an author’s MJML, compiled once, with Liquid inside it', async () => {
    const body = `<mjml><mj-body><mj-section><mj-column>
      <mj-text color="{{ brand.colors.primary }}">Hallo {{ customer.givenName }}, Ihr Betrag: {{ data.amount | money: 'EUR' }}</mj-text>
      <mj-raw>{% if data.amount > 1000 %}</mj-raw><mj-text>Großkunde</mj-text><mj-raw>{% endif %}</mj-raw>
      <mj-button href="https://stadtwerke.example/tarif">Zum Tarif</mj-button>
    </mj-column></mj-section></mj-body></mjml>`;
    const template = await compileTemplate({ email: { subject: 'MJML', body, format: 'mjml' } }, {});
    const email = await renderEmail(template, context());
    expect(email.html).toContain('color:#0b5fff');
    expect(normalizeSpaces(email.text)).toContain('Hallo Anna, Ihr Betrag: 1.234,50 €');
    expect(email.text).toContain('Großkunde');
    expect(email.text).toContain('Zum Tarif (https://stadtwerke.example/tarif)');
    const small = await renderEmail(template, context({ data: { amount: 5 } }));
    expect(small.text).not.toContain('Großkunde');
  });

  it('refuses MJML errors, mj-include and Liquid tags that MJML would drop', async () => {
    const mjml = (body: string) =>
      compileTemplate({ email: { subject: 's', body, format: 'mjml' } }, {}).catch((e: unknown) => e);
    const broken = await mjml('<mjml><mj-body><mj-section><mj-text>x</mj-text></mj-section></mj-body></mjml>');
    expect(broken).toBeInstanceOf(RenderError);
    expect(broken).toMatchObject({
      field: 'email.body',
      message: expect.stringContaining('mj-text cannot be used inside mj-section'),
    });
    expect(await mjml('<mjml><mj-body><mj-include path="../../package.json" /></mj-body></mjml>')).toMatchObject({
      message: expect.stringContaining('mj-include'),
    });
    const dropped = await mjml(
      '<mjml><mj-body><mj-section><mj-column>{% if data.vip %}<mj-text>x</mj-text>{% endif %}</mj-column></mj-section></mj-body></mjml>',
    );
    expect(dropped).toMatchObject({ message: expect.stringContaining('<mj-raw>') });
  });

  // A customer's data of 400,000 spaces took minutes when the subject's line breaks were folded
  // by a backtracking pattern; linear, it renders well within the test's time-out.
  it('folds a subject with 400,000 spaces of customer data onto one line', async () => {
    const spaces = ' '.repeat(400_000);
    const template = await compileTemplate(
      { email: { subject: 'Hallo {{ data.name }}', body: 'Text', format: 'markdown' } },
      {},
    );
    const plain = await renderEmail(template, context({ data: { name: `Anna${spaces}Müller` } }));
    expect(plain.subject).toBe(`Hallo Anna${spaces}Müller`);
    const broken = await renderEmail(
      template,
      context({ data: { name: `Anna${spaces}\r\n${spaces}\nMüller${spaces}` } }),
    );
    expect(broken.subject).toBe('Hallo Anna Müller');
  });
});
