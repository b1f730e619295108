import { Liquid } from 'liquidjs';
import PDFDocument from 'pdfkit';
import { randomUUID } from 'node:crypto';
import { referenceCodeOf } from '../../src/communications/reference-code.js';
import { buildEmailMessage, composeEmailMessage } from '../../src/rendering/mime.js';
import {
  compileTemplate,
  renderEmail,
  renderLetter,
  renderSms,
  type Brand,
  type ChannelBodies,
  type RenderContext,
} from '../../src/rendering/index.js';
import { generatedPerson } from '../support/names.js';
import type { Section, SectionContext } from '../support/report.js';
import { elapsedMs, now, ratio } from '../support/stats.js';

/** Each measurement runs this long in total (in slices alternating with its baseline), after a shorter unmeasured warm-up, one render at a time. */
const MEASURE_S = Number(process.env.BENCH_RENDER_SECONDS ?? 3);
const WARMUP_S = 0.5;
const SLICE_MS = 250;
const CONTEXTS = 100;
const ITEMS = 10;

const brand: Brand = {
  companyName: 'Stadtwerke Nord GmbH',
  colors: { primary: '#0b5fff', accent: '#ff6a00', text: '#1f2937' },
  font: 'Helvetica',
  senders: { emailFrom: 'service@stadtwerke.example', emailName: 'Stadtwerke Nord', smsSender: 'SWNord' },
  returnAddress: { lines: ['Hafenstraße 1'], postalCode: '20457', city: 'Hamburg', country: 'DE' },
  website: 'stadtwerke.example',
  legalFooter: 'Sitz Hamburg · Amtsgericht Hamburg HRB 12345 · Geschäftsführung: Erika Muster',
};

// One Liquid source per field, used both by Tidings and by the bare liquidjs baseline. Only
// filters both can run: `date` with a strftime pattern and `money` (registered on the bare engine too).
const subject = 'Ihre Rechnung {{ data.invoiceNumber }} vom {{ now | date: "%d.%m.%Y" }}';
const body = `# Rechnung {{ data.invoiceNumber }}

Guten Tag {{ customer.givenName }} {{ customer.familyName }},

vielen Dank für Ihr Vertrauen. Mit diesem Schreiben erhalten Sie die Rechnung für den Abrechnungszeitraum {{ data.period }}. Die einzelnen Positionen finden Sie in der folgenden Aufstellung.

| Position | Menge | Betrag |
|:---|--:|--:|
{% for item in data.items %}| {{ item.description }} | {{ item.quantity }} | {{ item.amount | money: 'EUR' }} |
{% endfor %}| **Gesamt** | | **{{ data.total | money: 'EUR' }}** |

Bitte überweisen Sie den Gesamtbetrag bis zum **{{ data.dueDate | date: '%d.%m.%Y' }}** unter Angabe der Rechnungsnummer auf das unten genannte Konto. Bei Fragen erreichen Sie uns unter {{ brand.senders.emailFrom }}.

Mit freundlichen Grüßen

Ihr Kundenservice der {{ brand.companyName }}`;
const smsText =
  'Hallo {{ customer.givenName }}, Ihre Rechnung {{ data.invoiceNumber }} über {{ data.total | money: "EUR" }} ist am {{ data.dueDate | date: "%d.%m.%Y" }} fällig. {{ brand.companyName }}';

const bodies: ChannelBodies = {
  email: { subject, body, format: 'markdown' },
  sms: { text: smsText },
  letter: { body },
};

function contextFor(g: number): RenderContext {
  const person = generatedPerson(g);
  const items = Array.from({ length: ITEMS }, (_, i) => ({
    description:
      ['Grundpreis Strom', 'Arbeitspreis Strom', 'Grundpreis Gas', 'Arbeitspreis Gas', 'Messstellenbetrieb'][i % 5]! +
      ` ${1 + Math.floor(i / 5)}`,
    quantity: 1 + ((g + i) % 12),
    amount: Math.round(((g * 31 + i * 17) % 20_000) + 99) / 100,
  }));
  return {
    customer: {
      name: person.name,
      givenName: person.given,
      familyName: person.family,
      emails: [person.email],
      phones: [person.phone],
      address: { lines: [person.street], postalCode: person.postalCode, city: person.city, country: person.country },
      language: 'de',
      timeZone: 'Europe/Berlin',
      attributes: { lifetimeValue: person.lifetimeValue },
    },
    brand,
    data: {
      invoiceNumber: `R-2026-${String(g).padStart(6, '0')}`,
      period: '01.10.2026 – 31.10.2026',
      items,
      total: Math.round(items.reduce((sum, item) => sum + item.amount, 0) * 100) / 100,
      dueDate: '2026-12-15',
    },
    language: 'de',
    timeZone: 'Europe/Berlin',
    now: new Date('2026-11-15T10:00:00Z'),
  };
}

type Work = (i: number) => unknown;

/**
 * Renders that failed on Tidings' wall-clock render limit (liquidjs `renderLimit`, a deadline),
 * per channel: on a machine this busy a stalled process can miss it. Counted, not fatal.
 */
const limitHits = { email: 0, sms: 0, letter: 0 };
const isLimitError = (error: unknown) => error instanceof Error && /render limit exceeded/.test(error.message);
const tolerant =
  (channel: keyof typeof limitHits, work: (i: number) => Promise<unknown>): Work =>
  (i) =>
    work(i).catch((error: unknown) => {
      if (!isLimitError(error)) throw error;
      limitHits[channel]++;
    });

/** Calls `work` one at a time until `limitMs` has passed; returns the calls made and the time taken. */
async function slice(work: Work, limitMs: number, offset: number) {
  const start = now();
  let count = 0;
  while (elapsedMs(start) < limitMs) {
    const result = work(offset + count);
    if (result instanceof Promise) await result;
    count++;
  }
  return { count, ms: elapsedMs(start) };
}

/**
 * Calls per second of each of `works`, measured in alternating slices of SLICE_MS (after a warm-up
 * of each) until each has run `seconds`: other load on the machine then weighs on both sides of a
 * ratio alike.
 */
async function rates(works: Work[], seconds = MEASURE_S): Promise<{ perSecond: number; count: number }[]> {
  for (const work of works) await slice(work, WARMUP_S * 1000, 0);
  const totals = works.map(() => ({ count: 0, ms: 0 }));
  for (let round = 0; round < Math.ceil((seconds * 1000) / SLICE_MS); round++) {
    for (const [index, work] of works.entries()) {
      const { count, ms } = await slice(work, SLICE_MS, totals[index]!.count);
      totals[index]!.count += count;
      totals[index]!.ms += ms;
    }
  }
  return totals.map(({ count, ms }) => ({ perSecond: count / (ms / 1000), count }));
}

/** The bare liquidjs engine: defaults, the same two filters as plain functions with cached formatters. */
function bareLiquid() {
  const engine = new Liquid();
  const money = new Map<string, Intl.NumberFormat>();
  engine.registerFilter('money', (value: number, currency: string) => {
    let format = money.get(currency);
    if (!format) money.set(currency, (format = new Intl.NumberFormat('de', { style: 'currency', currency })));
    return format.format(value);
  });
  return engine;
}

const mm = (value: number) => (value * 72) / 25.4;

/**
 * The same one-page letter drawn with bare pdfkit: letterhead, sender block, window with return
 * line and address, date, heading, three paragraphs, the 10-row table with a total, closing, footer.
 */
function bareLetter(ctx: RenderContext): Promise<Buffer> {
  const customer = ctx.customer as {
    name: string;
    givenName: string;
    familyName: string;
    address: { lines: string[]; postalCode: string; city: string };
  };
  const data = ctx.data as {
    invoiceNumber: string;
    period: string;
    items: { description: string; quantity: number; amount: number }[];
    total: number;
    dueDate: string;
  };
  const euro = new Intl.NumberFormat('de', { style: 'currency', currency: 'EUR' });
  const doc = new PDFDocument({ size: 'A4', margins: { top: mm(20), left: mm(25), right: mm(20), bottom: mm(20) } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const left = mm(25);
  const width = mm(165);
  doc.font('Helvetica-Bold').fontSize(18).fillColor('#0b5fff').text(brand.companyName, left, mm(15));
  doc
    .font('Helvetica')
    .fontSize(8)
    .fillColor('#5f6670')
    .text(
      `${brand.returnAddress.lines.join(', ')}\n${brand.returnAddress.postalCode} ${brand.returnAddress.city}\n${brand.website}`,
      mm(120),
      mm(12),
      { width: mm(70), align: 'right' },
    );
  doc
    .moveTo(left, mm(40))
    .lineTo(left + width, mm(40))
    .lineWidth(0.75)
    .strokeColor('#ff6a00')
    .stroke();
  doc
    .fontSize(6.5)
    .fillColor('#1f2937')
    .text(
      `${brand.companyName} · ${brand.returnAddress.lines[0]} · ${brand.returnAddress.postalCode} ${brand.returnAddress.city}`,
      mm(25),
      mm(57.6),
      { width: mm(75), lineBreak: false },
    );
  doc.font('Helvetica-Bold').fontSize(10).text(customer.name, mm(25), mm(62.7));
  doc
    .font('Helvetica')
    .text(`${customer.address.lines.join('\n')}\n${customer.address.postalCode} ${customer.address.city}`);
  doc.fontSize(10.5).text('15. November 2026', left, mm(97), { width, align: 'right' });
  doc
    .font('Helvetica-Bold')
    .fontSize(14)
    .fillColor('#0b5fff')
    .text(`Rechnung ${data.invoiceNumber}`, left, mm(107), { width });
  doc.moveDown(0.5).font('Helvetica').fontSize(10.5).fillColor('#1f2937');
  doc.text(`Guten Tag ${customer.givenName} ${customer.familyName},`, { width }).moveDown(0.5);
  doc
    .text(
      `vielen Dank für Ihr Vertrauen. Mit diesem Schreiben erhalten Sie die Rechnung für den Abrechnungszeitraum ${data.period}. Die einzelnen Positionen finden Sie in der folgenden Aufstellung.`,
      { width },
    )
    .moveDown(0.5);
  const columns = [
    { x: left, w: mm(95) },
    { x: left + mm(95), w: mm(30) },
    { x: left + mm(125), w: mm(40) },
  ];
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
    cells.forEach((cell, i) =>
      doc.text(cell, columns[i]!.x + 3, y + 3, {
        width: columns[i]!.w - 6,
        align: i === 0 ? 'left' : 'right',
        lineBreak: false,
      }),
    );
    doc.y = y + 16;
    doc
      .moveTo(left, doc.y)
      .lineTo(left + width, doc.y)
      .lineWidth(0.5)
      .strokeColor('#9aa1ab')
      .stroke();
  };
  doc.rect(left, doc.y, width, 16).fill('#eef0f3').fillColor('#1f2937');
  row(['Position', 'Menge', 'Betrag'], true);
  for (const item of data.items) row([item.description, String(item.quantity), euro.format(item.amount)]);
  row(['Gesamt', '', euro.format(data.total)], true);
  doc.font('Helvetica').text('', left, doc.y + 8);
  doc
    .text(
      `Bitte überweisen Sie den Gesamtbetrag bis zum 15.12.2026 unter Angabe der Rechnungsnummer auf das unten genannte Konto. Bei Fragen erreichen Sie uns unter ${brand.senders.emailFrom}.`,
      { width },
    )
    .moveDown(0.5);
  doc.text('Mit freundlichen Grüßen', { width }).moveDown(0.5);
  doc.text(`Ihr Kundenservice der ${brand.companyName}`, { width });
  doc
    .moveTo(left, mm(270))
    .lineTo(left + width, mm(270))
    .lineWidth(0.5)
    .strokeColor('#9aa1ab')
    .stroke();
  doc
    .fontSize(7.5)
    .fillColor('#5f6670')
    .text(`${brand.companyName} · ${brand.returnAddress.lines[0]} · ${brand.website}`, left, mm(272), {
      width: mm(120),
      lineBreak: false,
    });
  doc.text('Seite 1 von 1', left + mm(130), mm(272), { width: mm(35), align: 'right', lineBreak: false });
  doc.fontSize(7).text(brand.legalFooter!, left, mm(276), { width, lineBreak: false });
  doc.end();
  return done;
}

async function measure(context: SectionContext) {
  const contexts = Array.from({ length: CONTEXTS }, (_, i) => contextFor(i + 1));
  const ctxAt = (i: number) => contexts[i % CONTEXTS]!;
  // Every delivered letter prints its communication's reference code and QR code.
  const references = contexts.map(() => referenceCodeOf(randomUUID()));
  const letterOf = (i: number) => ({ reference: references[i % CONTEXTS]! });

  let start = now();
  const compiled = await compileTemplate(bodies, {});
  const compileMs = elapsedMs(start);

  // Check once that each channel renders what it should before timing it.
  const sampleEmail = await renderEmail(compiled, ctxAt(0));
  const sampleSms = await renderSms(compiled, ctxAt(0));
  const sampleLetter = await renderLetter(compiled, ctxAt(0), letterOf(0));
  const sampleBare = await bareLetter(ctxAt(0));
  if (!sampleEmail.html.includes(String((ctxAt(0).data as { invoiceNumber: string }).invoiceNumber)))
    throw new Error('the rendered email lacks the invoice number');
  const rowsInText = sampleEmail.text
    .split('\n')
    .filter((line) => /Grundpreis|Arbeitspreis|Messstellenbetrieb/.test(line)).length;
  if (rowsInText !== ITEMS) throw new Error(`the email's text part shows ${rowsInText} table rows, expected ${ITEMS}`);

  // Baselines: bare liquidjs on the same sources, bare pdfkit on an equivalent letter.
  const liquid = bareLiquid();
  const parsed = { subject: liquid.parse(subject), body: liquid.parse(body), sms: liquid.parse(smsText) };
  const bareBodyText = liquid.renderSync(parsed.body, ctxAt(0));
  context.log(
    `rendering: liquidjs parse + render, then each channel against its baseline, ${MEASURE_S} s each in alternating ${SLICE_MS} ms slices`,
  );
  const [bareRender, bareParse] = await rates([
    (i) => {
      liquid.renderSync(parsed.subject, ctxAt(i));
      liquid.renderSync(parsed.body, ctxAt(i));
    },
    (i) => {
      liquid.parseAndRenderSync(subject, ctxAt(i));
      liquid.parseAndRenderSync(body, ctxAt(i));
    },
  ]);
  context.record({
    name: 'bare liquidjs parseAndRenderSync, subject + body (reference)',
    value: bareParse!.perSecond,
    unit: 'renders/s',
    baseline: { name: 'pre-parsed', value: bareRender!.perSecond, unit: 'renders/s' },
    ratio: ratio(bareParse!.perSecond, bareRender!.perSecond),
    details: { renders: bareParse!.count },
  });

  const [bareEmail, email] = await rates([
    (i) => {
      liquid.renderSync(parsed.subject, ctxAt(i));
      liquid.renderSync(parsed.body, ctxAt(i));
    },
    tolerant('email', (i) => renderEmail(compiled, ctxAt(i))),
  ]);
  context.record({
    name: 'bare liquidjs renderSync, subject + body (pre-parsed) (baseline)',
    value: bareEmail!.perSecond,
    unit: 'renders/s',
    details: { output: `${bareBodyText.length} chars`, renders: bareEmail!.count },
  });
  context.record({
    name: 'renderEmail (HTML + text)',
    value: email!.perSecond,
    unit: 'renders/s',
    baseline: { name: 'bare liquidjs', value: bareEmail!.perSecond, unit: 'renders/s' },
    ratio: ratio(email!.perSecond, bareEmail!.perSecond),
    details: {
      html: `${(sampleEmail.html.length / 1024).toFixed(1)} KB`,
      text: `${sampleEmail.text.length} chars`,
      renders: email!.count,
      'ms/render': (1000 / email!.perSecond).toFixed(3),
    },
  });

  // The MIME message around the rendered parts: MailComposer per message, or the sender's skeleton.
  const envelopeAt = (i: number) => ({
    from: { name: brand.senders.emailName, address: brand.senders.emailFrom },
    to: `customer${i}@example.com`,
    messageId: `<c-${i}@stadtwerke.example>`,
    date: ctxAt(i).now,
  });
  const [composed, skeleton] = await rates([
    (i) => composeEmailMessage(sampleEmail, envelopeAt(i)),
    (i) => buildEmailMessage(sampleEmail, envelopeAt(i)),
  ]);
  context.record({
    name: 'MIME message by nodemailer MailComposer (baseline)',
    value: composed!.perSecond,
    unit: 'messages/s',
    details: { messages: composed!.count, 'ms/message': (1000 / composed!.perSecond).toFixed(3) },
  });
  context.record({
    name: 'buildEmailMessage (MIME from the sender skeleton)',
    value: skeleton!.perSecond,
    unit: 'messages/s',
    baseline: { name: 'MailComposer', value: composed!.perSecond, unit: 'messages/s' },
    ratio: ratio(skeleton!.perSecond, composed!.perSecond),
    details: {
      message: `${((await buildEmailMessage(sampleEmail, envelopeAt(0))).length / 1024).toFixed(1)} KB`,
      messages: skeleton!.count,
      'ms/message': (1000 / skeleton!.perSecond).toFixed(3),
    },
  });

  const [bareSms, sms] = await rates([
    (i) => liquid.renderSync(parsed.sms, ctxAt(i)),
    tolerant('sms', (i) => renderSms(compiled, ctxAt(i))),
  ]);
  context.record({
    name: 'bare liquidjs renderSync, SMS text (baseline)',
    value: bareSms!.perSecond,
    unit: 'renders/s',
    details: { renders: bareSms!.count },
  });
  context.record({
    name: 'renderSms',
    value: sms!.perSecond,
    unit: 'renders/s',
    baseline: { name: 'bare liquidjs', value: bareSms!.perSecond, unit: 'renders/s' },
    ratio: ratio(sms!.perSecond, bareSms!.perSecond),
    details: {
      text: `${sampleSms.characters} chars, ${sampleSms.encoding}, ${sampleSms.segments} segment(s)`,
      renders: sms!.count,
    },
  });

  const [barePdf, letter, bareBody] = await rates([
    (i) => bareLetter(ctxAt(i)),
    tolerant('letter', (i) => renderLetter(compiled, ctxAt(i), letterOf(i))),
    (i) => liquid.renderSync(parsed.body, ctxAt(i)),
  ]);
  context.record({
    name: 'bare pdfkit one-page letter with 10-row table (baseline)',
    value: barePdf!.perSecond,
    unit: 'letters/s',
    details: { pdf: `${(sampleBare.length / 1024).toFixed(1)} KB`, renders: barePdf!.count },
  });
  context.record({
    name: 'renderLetter (PDF)',
    value: letter!.perSecond,
    unit: 'letters/s',
    baseline: { name: 'bare pdfkit', value: barePdf!.perSecond, unit: 'letters/s' },
    ratio: ratio(letter!.perSecond, barePdf!.perSecond),
    details: {
      pages: sampleLetter.pages,
      pdf: `${(sampleLetter.pdf.length / 1024).toFixed(1)} KB`,
      renders: letter!.count,
      'ms/letter': (1000 / letter!.perSecond).toFixed(2),
      // The bare body render and the bare drawing, one after the other.
      'vs bare Liquid + pdfkit':
        ratio(letter!.perSecond, 1 / (1 / barePdf!.perSecond + 1 / bareBody!.perSecond))?.toFixed(2) ?? '—',
    },
  });
  const hits = Object.entries(limitHits).filter(([, count]) => count > 0);
  if (hits.length) {
    context.note(
      `rendering: renders failed with "template render limit exceeded" (the 500 ms wall-clock renderLimit): ${hits.map(([channel, count]) => `${channel} ${count}`).join(', ')}; they count as renders in the rates above.`,
    );
  }
  if (sampleLetter.pages !== 1)
    context.note(
      `rendering: the letter came out at ${sampleLetter.pages} pages, not one; the bare pdfkit letter is one page.`,
    );

  start = now();
  await compileTemplate(bodies, {});
  context.note(
    `rendering: one core, one render at a time, ${MEASURE_S} s per measurement in ${SLICE_MS} ms slices alternating with its baseline, after ${WARMUP_S} s of warm-up, cycling through ${CONTEXTS} customers; ` +
      `template compiled once (${compileMs.toFixed(0)} ms the first time incl. the email layout, ${elapsedMs(start).toFixed(0)} ms again), Markdown email, a letter body of 3 paragraphs + a ${ITEMS}-row table loop with money and date filters; brand without a logo. ` +
      `Baselines: bare liquidjs (defaults incl. its own date filter, same sources, a plain cached Intl money filter) and bare pdfkit drawing the same letter by hand; ratio = Tidings/bare, higher is better.`,
  );
}

export const renderingSection: Section = {
  name: 'rendering',
  title: 'Rendering: email, SMS and letter PDF renders/s against bare liquidjs and bare pdfkit',
  run: measure,
};
