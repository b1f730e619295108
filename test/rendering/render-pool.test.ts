import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { createRenderPool, type RenderTask } from '../../src/rendering/render-pool.js';
import type { Brand } from '../../src/rendering/index.js';
import { brandWithLogo, context, readPdf, solidPng } from './fixtures.js';

const pool = createRenderPool({ threads: 1, budgetMs: 2_000 });
afterAll(() => pool.close());

const notice = {
  cacheKey: 'notice-v1:de',
  bodies: {
    email: {
      subject: 'Hallo {{ customer.givenName }}',
      body: 'Ihr Betrag: {{ data.amount }}',
      format: 'markdown' as const,
    },
    sms: { text: 'Hallo {{ customer.givenName }}' },
  },
  fragments: {},
};
const runaway = {
  bodies: { sms: { text: '{% for a in (1..4000) %}{% for b in (1..4000) %}{% endfor %}{% endfor %}' } },
  fragments: {},
};
const sms = (template: typeof notice | typeof runaway): RenderTask => ({
  kind: 'delivery',
  template,
  context: context(),
  recipientName: 'Anna Müller',
  channel: 'sms',
});

describe('the render pool', () => {
  it('renders a list of deliveries in one message, the email as the exact message with its logo', async () => {
    const email: RenderTask = {
      kind: 'delivery',
      template: notice,
      context: context({ brand: brandWithLogo }),
      recipientName: 'Anna Müller',
      channel: 'email',
      envelope: {
        from: { name: 'Stadtwerke Nord', address: 'service@stadtwerke.example' },
        to: 'anna@example.com',
        messageId: 'c-1@stadtwerke.example',
      },
    };
    const [first, second] = await pool.render([email, sms(notice)], 'each');
    expect(first).toMatchObject({
      status: 'rendered',
      result: { mediaType: 'message/rfc822', messageId: 'c-1@stadtwerke.example' },
    });
    const bytes = first!.status === 'rendered' && 'bytes' in first!.result ? first!.result.bytes : Buffer.alloc(0);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    const parsed = await simpleParser(bytes);
    expect(parsed.subject).toBe('Hallo Anna');
    expect(parsed.attachments.map((attachment) => attachment.contentType)).toEqual(['image/png']);
    expect(second).toMatchObject({
      status: 'rendered',
      result: { text: 'Hallo Anna', mediaType: 'text/plain; charset=utf-8' },
    });
  });

  it('gives each item of a list its own budget: only the one that runs past it fails, the rest render', async () => {
    const outcomes = await pool.render([sms(notice), sms(runaway), sms(notice)], 'each');
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rendered', 'budget_exceeded', 'rendered']);
    expect(outcomes[1]).toEqual({ status: 'budget_exceeded', budgetMs: 2_000 });
  });

  it('shares one budget across the list when asked: everything left fails with it', async () => {
    const outcomes = await pool.render([sms(runaway), sms(notice)], 'all');
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['budget_exceeded', 'budget_exceeded']);
  });

  it('prints each letter with its brand as the message carries it, a brand changed between messages as changed', async () => {
    const letter = {
      cacheKey: 'letter-v1:de',
      bodies: { letter: { body: 'Hallo {{ customer.givenName }}' } },
      fragments: {},
    };
    const red = { ...brandWithLogo, logo: { mimeType: 'image/png' as const, data: solidPng(120, 40, [200, 0, 0]) } };
    const task = (brand: Brand): RenderTask => ({
      kind: 'delivery',
      template: letter,
      context: context({ brand }),
      recipientName: 'Anna Müller',
      channel: 'letter',
    });
    const logos = [];
    for (const brand of [brandWithLogo, red, { ...red, companyName: 'Stadtwerke Süd GmbH' }, brandWithLogo]) {
      const [outcome] = await pool.render([task(brand)], 'each');
      const pdf =
        outcome!.status === 'rendered' && 'bytes' in outcome!.result ? outcome!.result.bytes : Buffer.alloc(0);
      const [page] = await readPdf(pdf);
      logos.push([page!.images[0]?.firstPixel.slice(0, 3), page!.text.includes('Stadtwerke Süd GmbH')]);
    }
    expect(logos).toEqual([
      [[11, 95, 255], false],
      [[200, 0, 0], false],
      [[200, 0, 0], true],
      [[11, 95, 255], false],
    ]);
  });

  it('reports a template error for the item, as the author would fix it', async () => {
    const broken = { bodies: { sms: { text: 'Hallo {{ data.missing }}' } }, fragments: {} };
    const [outcome] = await pool.render([sms(broken)], 'each');
    expect(outcome).toMatchObject({
      status: 'failed',
      error: { field: 'sms.text', message: 'undefined variable data.missing' },
    });
  });
});
