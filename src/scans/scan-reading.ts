import { createCanvas, ImageData, type Canvas } from '@napi-rs/canvas';
import jsQRModule from 'jsqr';
import UTIF from 'utif';
import { normalReferenceCode, referenceCodesIn } from '../communications/reference-code.js';
import { recognizeText } from '../documents/text/ocr.js';
import { decodeImage, rasterizePdf, type RasterPage } from '../documents/text/raster.js';
import { AppError } from '../shared/errors.js';
import type { ScanMediaType } from './scans.tables.js';

/**
 * What reading a scan found: the reference codes in the order found (by OCR, also the corrections
 * of a misread symbol, to be confirmed by naming a communication), how, and the text OCR read.
 */
export type ScanReading = { references: string[]; method: 'qr' | 'text' | null; text: string | null; pages: number };

/** A reply is a page or two, perhaps with the letter behind it; more pages are not read. */
const MAX_PAGES = 4;
/**
 * PDF pages are drawn at 200 dpi: the QR code's 0.75 mm modules become 6 pixels and the 8 pt
 * reference line is large enough for OCR.
 */
const PDF_SCALE = 200 / 72;
/** A photo or a 600 dpi scan is shrunk to this many pixels on its longer side before looking for a QR code. */
const QR_LONGEST_SIDE = 1800;

// A CommonJS module whose typings declare a default export: the function is its `default`, at run time too.
const jsQR = jsQRModule.default;

function canvasPage(canvas: Canvas): RasterPage {
  const { width, height } = canvas;
  return {
    width,
    height,
    rgba: canvas.getContext('2d').getImageData(0, 0, width, height).data,
    png: () => canvas.encode('png'),
  };
}

/**
 * The page drawn anew: scaled by `scale`, turned by `turn` (radians), and of what results only the
 * part from `left` (a fraction of the width) rightwards and above `band` (a fraction of the height).
 */
type View = { scale?: number; turn?: number; band?: number; left?: number };
function redrawn(page: RasterPage, { scale = 1, turn = 0, band = 1, left = 0 }: View) {
  const source = createCanvas(page.width, page.height);
  source.getContext('2d').putImageData(new ImageData(page.rgba, page.width, page.height), 0, 0);
  const width = Math.round(page.width * scale);
  const height = Math.round(page.height * scale);
  const target = createCanvas(Math.round(width * (1 - left)), Math.round(height * band));
  const context = target.getContext('2d');
  context.translate(width / 2 - width * left, height / 2);
  context.rotate(turn);
  context.drawImage(source, -width / 2, -height / 2, width, height);
  return canvasPage(target);
}

/** A scanner's TIFF (often several pages, often fax-compressed), page by page; reduced-size previews left out. */
function tiffPages(bytes: Buffer): RasterPage[] {
  let images: UTIF.IFD[];
  try {
    images = UTIF.decode(bytes);
  } catch (error) {
    throw new AppError('bad_request', 'scan.unreadable_tiff', `The TIFF cannot be read: ${(error as Error).message}.`);
  }
  const pages = images.filter((image) => !(Number((image.t254 as number[] | undefined)?.[0]) & 1)).slice(0, MAX_PAGES);
  return pages.map((image) => {
    UTIF.decodeImage(bytes, image);
    const canvas = createCanvas(image.width, image.height);
    const rgba = new Uint8ClampedArray(UTIF.toRGBA8(image).buffer);
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, image.width, image.height);
    // Drawn over white, so that a transparent page reads as paper.
    const layer = createCanvas(image.width, image.height);
    layer.getContext('2d').putImageData(new ImageData(rgba, image.width, image.height), 0, 0);
    context.drawImage(layer, 0, 0);
    return canvasPage(canvas);
  });
}

async function pagesOf(bytes: Buffer, mediaType: ScanMediaType): Promise<RasterPage[]> {
  if (mediaType === 'application/pdf') return rasterizePdf(bytes, { scale: PDF_SCALE, maxPages: MAX_PAGES });
  if (mediaType === 'image/tiff') return tiffPages(bytes);
  return [await decodeImage(bytes)];
}

/** The reference codes a page's QR codes carry. */
function qrReferences(page: RasterPage): string[] {
  const longest = Math.max(page.width, page.height);
  const looked = longest > QR_LONGEST_SIDE ? redrawn(page, { scale: QR_LONGEST_SIDE / longest }) : page;
  const found = jsQR(looked.rgba, looked.width, looked.height, { inversionAttempts: 'dontInvert' });
  const code = found && normalReferenceCode(found.data);
  return code ? [code] : [];
}

/**
 * Where OCR looks for a code, cheapest first: the letter prints it in the information block (the
 * top third, right of the address window), so that part, enlarged for its small type, of the page
 * upright, then of the page turned over (a sheet fed upside down); then the whole page, for a code
 * written anywhere by hand.
 */
const ocrViews: View[] = [
  { band: 0.34, left: 0.45, scale: 2 },
  { band: 0.34, left: 0.45, scale: 2, turn: Math.PI },
  // The same part larger: OCR misreads other symbols at another size.
  { band: 0.34, left: 0.45, scale: 3 },
  { band: 0.34, left: 0.45, scale: 3, turn: Math.PI },
  { band: 1 },
];

/**
 * Reads a scan for the reference code of the letter it answers: each page's QR code first (fast,
 * exact, at any angle); without one, OCR of each page's views (see `ocrViews`) until `confirm` says
 * a code found so far names a communication (without `confirm`, until any valid code is found).
 * Answers every code found, exact ones first, and the text of the views read.
 */
export async function readScan(
  bytes: Buffer,
  mediaType: ScanMediaType,
  confirm: (codes: string[]) => Promise<boolean> = async (codes) => codes.length > 0,
): Promise<ScanReading> {
  const pages = await pagesOf(bytes, mediaType);
  const byQr = [...new Set(pages.flatMap(qrReferences))];
  if (byQr.length && (await confirm(byQr))) return { references: byQr, method: 'qr', text: null, pages: pages.length };
  const texts: string[] = [];
  const codes = () => referenceCodesIn(texts.join('\n\n'), { corrected: true });
  let confirmed = false;
  reading: for (const page of pages)
    for (const view of ocrViews) {
      const text = await recognizeText(redrawn(page, view));
      texts.push(text);
      confirmed = referenceCodesIn(text, { corrected: true }).length > 0 && (await confirm(codes()));
      if (confirmed) break reading;
    }
  // A QR code that named nothing comes after what OCR confirmed, before what it merely read.
  const references = [...new Set(confirmed ? [...codes(), ...byQr] : [...byQr, ...codes()])];
  const method = confirmed ? 'text' : byQr.length ? 'qr' : references.length ? 'text' : null;
  return { references, method, text: texts.join('\n\n'), pages: pages.length };
}
