import { createRequire } from 'node:module';
import { createCanvas, GlobalFonts, ImageData } from '@napi-rs/canvas';
import { rasterizePdf, type RasterPage } from '../../src/documents/text/raster.js';

const require = createRequire(import.meta.url);
GlobalFonts.registerFromPath(
  require.resolve('@expo-google-fonts/noto-serif/400Regular_Italic/NotoSerif_400Regular_Italic.ttf'),
  'Reply Hand',
);

/** The first page of a real letter PDF as a scanner at `dpi` would see it. */
export async function letterPage(pdf: Buffer, dpi = 200): Promise<RasterPage> {
  const [page] = await rasterizePdf(pdf, { scale: dpi / 72, maxPages: 1 });
  return page!;
}

/** A deterministic sequence in [0, 1), so a test's "noise" is the same on every run. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export type PaperOptions = {
  dpi?: number;
  /** Degrees the sheet lies askew on the glass. */
  skewDegrees?: number;
  /** Upside down, as a sheet fed the wrong way. */
  upsideDown?: boolean;
  /** Cover the QR code with white, as if torn off or stamped over: only the printed reference is left. */
  withoutQr?: boolean;
  /** Cover the QR code and the printed reference: nothing names the letter. */
  withoutReference?: boolean;
  /** What the customer wrote across the letter. */
  handwriting?: string;
  format?: 'png' | 'jpeg';
  /** Specks of dust and toner on the glass: 4000 by default, a dirty scanner. */
  speckles?: number;
};

/**
 * A customer's paper answer as a scanner returns it: their letter's page, the customer's pen over
 * the body, a little askew, with scanner speckle and grey, as a PNG or JPEG.
 */
export function scannedReply(page: RasterPage, options: PaperOptions = {}): Promise<Buffer> {
  const dpi = options.dpi ?? 200;
  const mm = (value: number) => (value * dpi) / 25.4;
  const sheet = createCanvas(page.width, page.height);
  const ink = sheet.getContext('2d');
  ink.putImageData(new ImageData(page.rgba, page.width, page.height), 0, 0);
  ink.fillStyle = '#ffffff';
  // The QR code sits top right (20 mm from the right, 46 mm from the top, 15.75 mm wide); the printed line beneath it.
  if (options.withoutQr || options.withoutReference) ink.fillRect(page.width - mm(37), mm(44), mm(18), mm(18.5));
  if (options.withoutReference) ink.fillRect(page.width - mm(85), mm(62), mm(66), mm(6));
  ink.strokeStyle = '#1a237e';
  ink.fillStyle = '#1a237e';
  ink.lineWidth = mm(0.5);
  ink.font = `${mm(7)}px "Reply Hand"`;
  if (options.handwriting) ink.fillText(options.handwriting, mm(30), mm(150));
  // A signature: loops of the pen.
  ink.beginPath();
  ink.moveTo(mm(40), mm(180));
  for (let x = 0; x < 6; x++)
    ink.bezierCurveTo(mm(45 + x * 9), mm(165), mm(50 + x * 9), mm(195), mm(49 + x * 9), mm(180));
  ink.stroke();

  const scan = createCanvas(page.width, page.height);
  const glass = scan.getContext('2d');
  glass.fillStyle = '#f4f4f1';
  glass.fillRect(0, 0, page.width, page.height);
  glass.translate(page.width / 2, page.height / 2);
  glass.rotate((((options.skewDegrees ?? 0) + (options.upsideDown ? 180 : 0)) * Math.PI) / 180);
  glass.drawImage(sheet, -page.width / 2, -page.height / 2);
  glass.setTransform(1, 0, 0, 1, 0, 0);
  const next = random(17);
  glass.fillStyle = 'rgba(40, 40, 40, 0.6)';
  for (let i = 0; i < (options.speckles ?? 4000); i++)
    glass.fillRect(next() * page.width, next() * page.height, 1 + next() * 2, 1 + next() * 2);
  return options.format === 'jpeg' ? scan.encode('jpeg', 85) : scan.encode('png');
}
