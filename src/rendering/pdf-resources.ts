import zlib from 'node:zlib';

type Doc = PDFKit.PDFDocument;

/** A PNG decoded and recompressed once, embedded into each document as ready-made image streams. */
type PreparedPng = { width: number; height: number; rgb: Buffer; alpha?: Buffer };

function chunks(png: Buffer): Map<string, Buffer[]> {
  const found = new Map<string, Buffer[]>();
  for (let at = 8; at + 8 <= png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    found.set(type, [...(found.get(type) ?? []), png.subarray(at + 8, at + 8 + length)]);
    at += 12 + length;
  }
  return found;
}

const paeth = (a: number, b: number, c: number) => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/** 8-bit, non-interlaced PNGs of any colour type; anything else is left to pdfkit. */
function preparePng(png: Buffer): PreparedPng | undefined {
  const found = chunks(png);
  const header = found.get('IHDR')?.[0];
  if (!header || png.readUInt32BE(0) !== 0x89504e47) return undefined;
  const [width, height] = [header.readUInt32BE(0), header.readUInt32BE(4)];
  const [depth, colorType, interlace] = [header[8], header[9], header[12]];
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colorType!];
  if (depth !== 8 || interlace !== 0 || !channels || (found.has('tRNS') && colorType !== 3)) return undefined;
  const raw = zlib.inflateSync(Buffer.concat(found.get('IDAT') ?? []));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? pixels[y * stride + i - channels]! : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + i]! : 0;
      const upLeft = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels]! : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter!] ?? 0;
      pixels[y * stride + i] = (row[i]! + predictor) & 0xff;
    }
  }
  const palette = found.get('PLTE')?.[0];
  const transparency = found.get('tRNS')?.[0];
  const rgb = Buffer.alloc(width * height * 3);
  const alpha = Buffer.alloc(width * height, 255);
  for (let p = 0; p < width * height; p++) {
    const at = p * channels;
    if (colorType === 3) {
      const index = pixels[at]!;
      palette?.copy(rgb, p * 3, index * 3, index * 3 + 3);
      if (transparency && index < transparency.length) alpha[p] = transparency[index]!;
    } else if (channels <= 2) {
      rgb.fill(pixels[at]!, p * 3, p * 3 + 3);
      if (channels === 2) alpha[p] = pixels[at + 1]!;
    } else {
      pixels.copy(rgb, p * 3, at, at + 3);
      if (channels === 4) alpha[p] = pixels[at + 3]!;
    }
  }
  const opaque = alpha.every((a) => a === 255);
  return { width, height, rgb: zlib.deflateSync(rgb), ...(opaque ? {} : { alpha: zlib.deflateSync(alpha) }) };
}

const preparedLogos = new WeakMap<Buffer, PreparedPng | null>();

/** What pdfkit's image() accepts besides bytes: an object with a size that embeds itself. */
type EmbeddableImage = {
  width: number;
  height: number;
  label: string;
  obj?: PDFKit.PDFKitReference;
  embed(this: EmbeddableImage, doc: Doc): void;
};

/**
 * The logo as pdfkit's image() takes it: JPEG bytes as they are (pdfkit passes them through), a
 * PNG as an image object whose streams were decoded and compressed once, not once per letter.
 */
export function logoImage(logo: { mimeType: string; data: Buffer }): Buffer | EmbeddableImage {
  if (logo.mimeType !== 'image/png') return logo.data;
  let prepared = preparedLogos.get(logo.data);
  if (prepared === undefined) {
    prepared = preparePng(logo.data) ?? null;
    preparedLogos.set(logo.data, prepared);
  }
  if (!prepared) return logo.data;
  const { width, height, rgb, alpha } = prepared;
  return {
    width,
    height,
    label: 'Logo',
    embed(doc) {
      const image = doc.ref({
        Type: 'XObject',
        Subtype: 'Image',
        BitsPerComponent: 8,
        Width: width,
        Height: height,
        Filter: 'FlateDecode',
        ColorSpace: 'DeviceRGB',
      });
      if (alpha) {
        const mask = doc.ref({
          Type: 'XObject',
          Subtype: 'Image',
          BitsPerComponent: 8,
          Width: width,
          Height: height,
          Filter: 'FlateDecode',
          ColorSpace: 'DeviceGray',
          Decode: [0, 1],
        });
        mask.end(alpha);
        (image as unknown as { data: Record<string, unknown> }).data.SMask = mask;
      }
      image.end(rgb);
      this.obj = image;
    },
  };
}

/** A pdfkit 0.20 object whose stream is gathered until it is ended. */
type PendingStream = {
  compress: boolean;
  buffer: Uint8Array[];
  data: Record<string, unknown>;
  write(chunk: unknown): void;
  finalize(): void;
};

/**
 * pdfkit deflates every stream at zlib's default level 6, which spends its effort on font subsets
 * whose outlines barely compress: on a letter's streams it took two to three times as long as
 * level 1 for 4 % fewer bytes. pdfkit has no option for the level, so this document's streams are
 * gathered here and deflated at level 1 when each is ended. A page's drawing operators arrive as
 * hundreds of short strings: they are kept as text and encoded once, not one by one.
 * Call it before the first page is added: the page's content is a stream.
 */
export function deflateStreamsFast(doc: Doc): void {
  const ref = doc.ref.bind(doc);
  doc.ref = (data) => {
    const stream = ref(data) as unknown as PendingStream;
    if (!stream.compress) return stream as unknown as PDFKit.PDFKitReference;
    stream.compress = false;
    const parts: Buffer[] = [];
    let text = '';
    stream.write = (chunk) => {
      if (!(chunk instanceof Uint8Array)) text += `${String(chunk)}\n`;
      else {
        if (text) parts.push(Buffer.from(text, 'latin1'));
        text = '';
        parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      }
    };
    const finalize = stream.finalize.bind(stream);
    stream.finalize = () => {
      if (text) parts.push(Buffer.from(text, 'latin1'));
      if (parts.length) {
        stream.buffer = [zlib.deflateSync(Buffer.concat(parts), { level: 1 })];
        stream.data.Filter = 'FlateDecode';
      }
      finalize();
    };
    return stream as unknown as PDFKit.PDFKitReference;
  };
}
