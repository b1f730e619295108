import { createHash } from 'node:crypto';
import { useLetterFonts } from '../rendering/letter-fonts.js';
import { pdfDocument } from '../rendering/pdf-libraries.js';
import { AppError } from '../shared/errors.js';
import type { dispositionBatches, dispositionItems } from './records.tables.js';

type Batch = typeof dispositionBatches.$inferSelect;
type Item = typeof dispositionItems.$inferSelect;

export type DispositionCertificate = ReturnType<typeof buildCertificate>;

/**
 * What remains of a disposition: which records went, when, on whose approval, the sha256 of every
 * content destroyed (and of the bytes kept because another live object shares them), and the hold
 * check made in the approving transaction. Built from the batch's rows, so it reads the same every time.
 */
export function buildCertificate(batch: Batch, items: Item[]) {
  if (batch.status !== 'approved' || !batch.approvedAt)
    throw new AppError(
      'conflict',
      'disposition.not_approved',
      `Disposition batch ${batch.number} awaits approval; it has no certificate yet.`,
    );
  const destroyed = items.filter((item) => item.status === 'destroyed');
  const contents = destroyed.flatMap((item) => item.destroyed ?? []);
  return {
    certificate: 'Tidings disposition certificate',
    batch: { id: batch.id, number: batch.number, listedOn: batch.listedOn, listedAt: batch.createdAt.toISOString() },
    approvedBy: batch.approvedByLabel,
    approvedAt: batch.approvedAt.toISOString(),
    holdCheck: {
      checkedAt: batch.approvedAt.toISOString(),
      rule: 'Each listed record was checked against every active legal hold in the approving transaction, while no hold could be placed; a held record was kept.',
      held: items
        .filter((item) => item.status === 'held')
        .map((item) => ({ type: item.objectType, id: item.objectId, title: item.title, holds: item.heldBy ?? [] })),
    },
    totals: {
      destroyed: destroyed.length,
      excluded: items.filter((item) => item.status === 'excluded').length,
      held: items.filter((item) => item.status === 'held').length,
      contentsDestroyed: contents.filter((content) => content.blobDeleted).length,
      contentsKeptAsShared: contents.filter((content) => !content.blobDeleted).length,
    },
    items: items.map((item) => ({
      type: item.objectType,
      id: item.objectId,
      title: item.title,
      category: item.categoryName,
      createdAt: item.createdAt.toISOString(),
      retainUntil: item.retainUntil,
      outcome: item.status,
      reason: item.reason,
      decidedBy: item.decidedByLabel,
      contents: item.destroyed ?? [],
    })),
  };
}

/** The certificate as JSON text, and its sha256 (printed on the PDF, so the two can be held together). */
export function certificateJson(certificate: DispositionCertificate) {
  const text = `${JSON.stringify(certificate, null, 2)}\n`;
  return { text, sha256: createHash('sha256').update(text).digest('hex') };
}

/** The certificate as a PDF for the file: a summary, then every item with its hashes. Streamed as it is drawn. */
export function certificatePdf(certificate: DispositionCertificate) {
  const json = certificateJson(certificate);
  const PDFDocument = pdfDocument();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    // No default font: pdfkit would load Helvetica, a standard font that is not embedded.
    font: null as unknown as string,
    info: { Title: `Disposition certificate ${certificate.batch.number}`, Producer: 'Tidings', Creator: 'Tidings' },
  });
  const fonts = useLetterFonts(doc, 'Helvetica');
  const line = (label: string, value: string) =>
    doc.font(fonts.bold).fontSize(10).text(`${label}: `, { continued: true }).font(fonts.regular).text(value);

  doc.font(fonts.bold).fontSize(18).text(`Disposition certificate, batch ${certificate.batch.number}`);
  doc.moveDown();
  line('Listed on', certificate.batch.listedOn);
  line('Approved by', certificate.approvedBy ?? 'unknown');
  line('Approved at', certificate.approvedAt);
  line(
    'Destroyed',
    `${certificate.totals.destroyed} record(s); ${certificate.totals.contentsDestroyed} content(s) deleted, ${certificate.totals.contentsKeptAsShared} kept as shared`,
  );
  line('Excluded', String(certificate.totals.excluded));
  line('Kept under hold', String(certificate.totals.held));
  doc.moveDown(0.5);
  doc
    .font(fonts.regular)
    .fontSize(9)
    .text(`Hold check at ${certificate.holdCheck.checkedAt}: ${certificate.holdCheck.rule}`);
  for (const held of certificate.holdCheck.held)
    doc.text(
      `• ${held.type} ${held.id} "${held.title}" held for ${held.holds.map((hold) => `"${hold.matter}"`).join(', ')}`,
    );
  doc.moveDown();
  doc.font(fonts.bold).fontSize(12).text('Items');
  for (const item of certificate.items) {
    doc.moveDown(0.4);
    doc.font(fonts.bold).fontSize(10).text(`${item.title}`);
    doc
      .font(fonts.regular)
      .fontSize(8.5)
      .text(
        `${item.type} ${item.id} · ${item.category} · created ${item.createdAt.slice(0, 10)} · retained until ${item.retainUntil} · ${item.outcome}${item.reason ? ` (${item.reason})` : ''}`,
      );
    for (const content of item.contents)
      doc
        .font(fonts.code)
        .text(
          `sha256 ${content.sha256} · ${content.size} bytes · ${content.blobDeleted ? 'deleted' : `kept, shared with ${content.sharedWith.join(', ')}`}`,
        );
  }
  doc.moveDown();
  doc.font(fonts.regular).fontSize(8).text(`sha256 of the JSON certificate: ${json.sha256}`);
  doc.end();
  return doc;
}
