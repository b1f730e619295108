import QRCode from 'qrcode';

const mm = (value: number) => (value * 72) / 25.4;

/**
 * Where the reference sits: the top of the information block on the right (DIN 5008), below the
 * letterhead's rule and beside the address window, which it never reaches, so it shows neither
 * through the envelope's window nor under the body.
 */
const MODULE = mm(0.75);
const RIGHT = mm(20);
const TOP = mm(46);

/**
 * Draws the letter's reference code as a QR code (as vector squares, a row's adjacent modules as one
 * rectangle, filled at once) and as text beneath it, right-aligned to the margin. Quartile error
 * correction reads back through a quarter of damage: a fold, a stamp, a pen stroke.
 */
export function drawReferenceMark(
  doc: PDFKit.PDFDocument,
  reference: string,
  text: { font: string; color: string },
): void {
  const { modules } = QRCode.create(reference, { errorCorrectionLevel: 'Q' });
  const size = modules.size * MODULE;
  const left = doc.page.width - RIGHT - size;
  for (let row = 0; row < modules.size; row++) {
    let start = -1;
    for (let column = 0; column <= modules.size; column++) {
      const dark = column < modules.size && modules.get(row, column);
      if (dark && start < 0) start = column;
      if (!dark && start >= 0) {
        doc.rect(left + start * MODULE, TOP + row * MODULE, (column - start) * MODULE, MODULE);
        start = -1;
      }
    }
  }
  doc.fillColor('#000000').fill();
  // Set in the monospaced face, a size up from the sender block: each symbol in a cell of its own reads back best by OCR.
  doc
    .font(text.font)
    .fontSize(9.5)
    .fillColor(text.color)
    .text(`Ref. ${reference}`, doc.page.width - RIGHT - mm(70), TOP + size + mm(1.5), {
      width: mm(70),
      align: 'right',
      lineBreak: false,
    });
}
