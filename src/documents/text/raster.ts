import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Canvas } from '@napi-rs/canvas';
import { AppError } from '../../shared/errors.js';

/** One page or picture as pixels: RGBA, four bytes a pixel, row by row. */
export type RasterPage = {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
  png(): Promise<Buffer>;
};

export type RasterOptions = {
  /** Pixels per PDF point: 2 (144 dpi) reads printed text well. */
  scale?: number;
  /** Pages from the first on; the rest are skipped. */
  maxPages?: number;
};

const require = createRequire(import.meta.url);
// pdf.js loads the standard 14 fonts and CMaps from files of its package, never from the network.
const pdfjsRoot = path.dirname(require.resolve('pdfjs-dist/package.json'));
const assetUrl = (folder: string) => pathToFileURL(path.join(pdfjsRoot, folder) + path.sep).href;

/** The legacy build runs on Node without browser globals; loaded once, on first use. */
let pdfjs: Promise<typeof import('pdfjs-dist/legacy/build/pdf.mjs')> | undefined;
export const loadPdfjs = () => (pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs'));
/** The canvas (a native library), loaded on the first picture drawn, as pdf.js is. */
let canvasLibrary: Promise<typeof import('@napi-rs/canvas')> | undefined;
const loadCanvas = () => (canvasLibrary ??= import('@napi-rs/canvas'));

/** Opens a PDF for reading: fonts from the package, no worker thread, nothing evaluated. */
export async function openPdf(pdf: Buffer) {
  const { getDocument } = await loadPdfjs();
  return getDocument({
    // pdf.js takes ownership of (and detaches) the array it is given: hand it a copy.
    data: new Uint8Array(pdf),
    standardFontDataUrl: assetUrl('standard_fonts'),
    cMapUrl: assetUrl('cmaps'),
    cMapPacked: true,
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: 0,
  }).promise.catch((error: unknown) => {
    throw new AppError(
      'bad_request',
      'document.unreadable_pdf',
      `The PDF cannot be read: ${(error as Error).message}.`,
    );
  });
}

function pageOf(canvas: Canvas): RasterPage {
  const { width, height } = canvas;
  const { data } = canvas.getContext('2d').getImageData(0, 0, width, height);
  return { width, height, rgba: data, png: () => canvas.encode('png') };
}

export type PdfPage = Awaited<ReturnType<Awaited<ReturnType<typeof openPdf>>['getPage']>>;

/** One page of an open PDF drawn on a white canvas, `scale` pixels per point. */
export async function drawPage(page: PdfPage, scale = 2): Promise<RasterPage> {
  const viewport = page.getViewport({ scale });
  const { createCanvas } = await loadCanvas();
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  // pdf.js draws on any canvas with the browser's 2D API, which @napi-rs/canvas implements.
  await page.render({ canvas: canvas as never, canvasContext: context as never, viewport }).promise;
  return pageOf(canvas);
}

/** Each page of a PDF drawn on a white canvas, in page order. */
export async function rasterizePdf(pdf: Buffer, options: RasterOptions = {}): Promise<RasterPage[]> {
  const scale = options.scale ?? 2;
  const document = await openPdf(pdf);
  try {
    const count = Math.min(document.numPages, options.maxPages ?? Number.POSITIVE_INFINITY);
    const pages: RasterPage[] = [];
    for (let number = 1; number <= count; number++) {
      const page = await document.getPage(number);
      pages.push(await drawPage(page, scale));
      page.cleanup();
    }
    return pages;
  } finally {
    await document.destroy();
  }
}

/** A PNG, JPEG, GIF, WebP or BMP picture as pixels, transparency flattened onto white. */
export async function decodeImage(bytes: Buffer): Promise<RasterPage> {
  const { createCanvas, loadImage } = await loadCanvas();
  const image = await loadImage(bytes).catch((error: unknown) => {
    throw new AppError(
      'bad_request',
      'document.unreadable_image',
      `The image cannot be read: ${(error as Error).message}.`,
    );
  });
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, image.width, image.height);
  context.drawImage(image, 0, 0);
  return pageOf(canvas);
}
