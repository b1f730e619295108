import { describe, expect, it } from 'vitest';
import {
  compileTemplate,
  fragmentKeysUsed,
  renderLetter,
  renderPortal,
  renderSms,
  RenderError,
} from '../../src/rendering/index.js';
import { context } from './fixtures.js';

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('compiling a template', () => {
  it('lists the channels it can render and every fragment it uses, also through other fragments', async () => {
    const template = await compileTemplate(
      {
        sms: { text: 'Hallo' },
        letter: { body: "{% fragment 'letter-closing' %}" },
        portal: { subject: 'x', body: 'y' },
      },
      { 'letter-closing': "Grüße\n\n{% fragment 'legal-disclosure' %}", 'legal-disclosure': 'Widerruf', unused: 'x' },
    );
    expect(template.channels).toEqual(['sms', 'letter', 'portal']);
    expect(template.fragmentKeys).toEqual(['legal-disclosure', 'letter-closing']);
  });

  it('names the field, line and column of an unknown fragment', async () => {
    const error = await failure(
      compileTemplate(
        { sms: { text: 'ok' }, letter: { body: "Hallo\n\n  {% fragment 'disclosure' %}" } },
        { 'legal-disclosure': 'x' },
      ),
    );
    expect(error).toBeInstanceOf(RenderError);
    expect(error).toMatchObject({ field: 'letter.body', message: "unknown fragment 'disclosure'", line: 3, column: 3 });
  });

  it.each([
    ['an unclosed output', '{{ customer.name', 'output "{{ customer.name" not closed', 1],
    ['an unclosed block', 'x\n{% if data.vip %}VIP', 'tag {% if data.vip %} not closed', 2],
    ['an unknown filter', 'x {{ data.amount | mony: "EUR" }}', "unknown filter 'mony'", 1],
    ['an unknown tag', '{% fragmnt "x" %}', 'tag "fragmnt" not found', 1],
    [
      'a fragment without a quoted key',
      '{% fragment legal %}',
      "fragment needs a quoted key, e.g. {% fragment 'legal-disclosure' %}",
      1,
    ],
  ])('refuses %s with a message an author understands', async (_, text, message, line) => {
    const error = await failure(compileTemplate({ portal: { subject: 'ok', body: text } }, {}));
    expect(error).toMatchObject({ field: 'portal.body', message, line });
  });

  it('names the subject when the error is there', async () => {
    const error = await failure(
      compileTemplate({ email: { subject: 'Ihr Tarif {{ data.tarif', body: 'ok', format: 'markdown' } }, {}),
    );
    expect(error).toMatchObject({ field: 'email.subject', line: 1, message: expect.stringContaining('not closed') });
  });

  it('points an error inside a fragment at the fragment tag and says where in the fragment', async () => {
    const template = await compileTemplate(
      { sms: { text: "Hallo\n{% fragment 'stop' %}" } },
      { stop: 'Abmelden: {{ data.stopNumber }}' },
    );
    const error = await failure(renderSms(template, context()));
    expect(error).toMatchObject({
      field: 'sms.text',
      line: 2,
      message: "in fragment 'stop' (line 1, column 14): undefined variable data.stopNumber",
    });
    const broken = await failure(
      compileTemplate({ sms: { text: "{% fragment 'stop' %}" } }, { stop: 'Abmelden: {{ data.stop' }),
    );
    expect(broken).toMatchObject({ field: 'sms.text', message: expect.stringContaining("in fragment 'stop'") });
  });

  it('refuses fragments that include each other', async () => {
    const error = await failure(
      compileTemplate({ sms: { text: "{% fragment 'a' %}" } }, { a: "{% fragment 'b' %}", b: "{% fragment 'a' %}" }),
    );
    expect(error).toMatchObject({
      field: 'sms.text',
      message: expect.stringContaining("fragment 'a' includes itself (a → b → a)"),
    });
  });

  it('says so when a template has no version for the channel asked', async () => {
    const template = await compileTemplate({ sms: { text: 'x' } }, {});
    expect(await failure(renderLetter(template, context()))).toMatchObject({
      field: 'letter.body',
      message: 'this template has no letter version',
    });
    expect(await failure(renderPortal(template, context()))).toMatchObject({
      field: 'portal.body',
      message: 'this template has no portal message version',
    });
  });
});

describe('fragmentKeysUsed', () => {
  it('finds the fragment keys of every channel, not those in comments or raw blocks', () => {
    const keys = fragmentKeysUsed({
      email: {
        subject: 'x',
        body: '{% fragment \'letterhead\' %}\n{% if data.marketing %}{% fragment "unsubscribe" %}{% endif %}',
        format: 'markdown',
      },
      sms: { text: "{%- fragment 'stop' -%}" },
      letter: {
        body: "{% comment %}{% fragment 'old-disclosure' %}{% endcomment %}{% raw %}{% fragment 'example' %}{% endraw %}",
      },
    });
    expect(keys).toEqual(['letterhead', 'stop', 'unsubscribe']);
  });

  it('follows fragments into other fragments when their sources are given', () => {
    const bodies = { letter: { body: "{% fragment 'closing' %}" } };
    expect(fragmentKeysUsed(bodies)).toEqual(['closing']);
    expect(fragmentKeysUsed(bodies, { closing: "{% fragment 'legal-disclosure' %}", 'legal-disclosure': 'x' })).toEqual(
      ['closing', 'legal-disclosure'],
    );
  });

  it('still lists the keys of a draft that does not parse yet', () => {
    expect(fragmentKeysUsed({ letter: { body: "{% fragment 'legal-disclosure' %} {{ broken" } })).toEqual([
      'legal-disclosure',
    ]);
  });
});
