import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildEmailMessage, composeEmailMessage, type EmailEnvelope } from '../../src/rendering/mime.js';
import type { InlineImage } from '../../src/rendering/types.js';

/** Boundaries are random per skeleton and per MailComposer message: the only bytes that may differ. */
const sameBoundaries = (message: Buffer) => message.toString('latin1').replace(/_NmP-[0-9a-f]+-Part_/g, '_NmP-*-Part_');

const logo: InlineImage = {
  cid: 'logo@tidings',
  filename: 'logo.png',
  contentType: 'image/png',
  content: Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256)),
};
const envelope: EmailEnvelope = {
  from: { name: 'Stadtwerke Köln', address: 'service@stadtwerke.example' },
  to: 'ada.lovelace@example.com',
  messageId: 'c-1@stadtwerke.example',
  date: new Date('2026-11-23T09:00:00Z'),
};
const longLine = 'Your annual statement shows what you really used rather than an estimate, '.repeat(4);

const emails = {
  'plain ASCII text and HTML': { subject: 'Meter reading due', text: 'Dear Ada,\nplease.', html: '<p>Dear Ada</p>' },
  'umlauts and a euro sign': { subject: 'Grüße aus Köln', text: 'Abschlag: 84,50 €', html: '<p>Grüße, Jürgen</p>' },
  'lines longer than 76': { subject: longLine, text: longLine, html: `<p>${longLine}</p>\n<p>${longLine}</p>` },
  'mostly Cyrillic and Greek': {
    subject: 'Счёт за электроэнергию',
    text: 'Здравствуйте, Αθηνά',
    html: '<p>Ваш счёт</p>',
  },
  'an emoji, trailing spaces and CRLF already': {
    subject: 'Thanks 🎉',
    text: 'Line with trailing space \r\nNext\n',
    html: '<p>🎉</p>  \n',
  },
  'empty text': { subject: '', text: '', html: '' },
};

const envelopes: Record<string, Partial<EmailEnvelope>> = {
  'a plain sender': {},
  'a reply-to, one-click unsubscribe and a name to quote': {
    from: { name: 'Doe, "Jane" GmbH', address: 'jane@example.com' },
    replyTo: 'help@stadtwerke.example',
    listUnsubscribe: 'https://stadtwerke.example/unsubscribe?c=1&t=2',
    listUnsubscribeOneClick: true,
  },
  'an address on an international domain': { to: 'jürgen@bücher.example' },
};

describe('the email message built from a skeleton', () => {
  for (const [what, email] of Object.entries(emails))
    for (const [who, extra] of Object.entries(envelopes))
      for (const images of [[], [logo]])
        it(`is what MailComposer writes: ${what}, ${who}, ${images.length ? 'with' : 'without'} a logo`, async () => {
          const rendered = { ...email, inlineImages: images.length ? images : undefined };
          const built = await buildEmailMessage(rendered, { ...envelope, ...extra });
          const composed = await composeEmailMessage(rendered, { ...envelope, ...extra });
          expect(sameBoundaries(built)).toBe(sameBoundaries(composed));
        });

  it('reads back as what was rendered, with the logo as an inline part', async () => {
    const email = emails['umlauts and a euro sign'];
    const parsed = await simpleParser(
      await buildEmailMessage({ ...email, inlineImages: [logo] }, { ...envelope, replyTo: 'help@stadtwerke.example' }),
    );
    expect(parsed).toMatchObject({
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: '<c-1@stadtwerke.example>',
      from: { text: '"Stadtwerke Köln" <service@stadtwerke.example>' },
      replyTo: { text: 'help@stadtwerke.example' },
    });
    expect(parsed.attachments).toEqual([
      expect.objectContaining({ cid: 'logo@tidings', contentType: 'image/png', content: logo.content }),
    ]);
  });

  it('falls back to MailComposer for text that quotes its boundary', async () => {
    const first = await buildEmailMessage(emails['plain ASCII text and HTML'], envelope);
    const boundary = /boundary="(--_NmP-[0-9a-f]+)-Part_1"/.exec(first.toString('latin1'))![1]!;
    const sneaky = await buildEmailMessage({ subject: 'x', text: `${boundary}-Part_1--`, html: '<p>x</p>' }, envelope);
    const parsed = await simpleParser(sneaky);
    expect(parsed.text).toBe(`${boundary}-Part_1--`);
    expect(parsed.html).toBe('<p>x</p>');
  });
});
