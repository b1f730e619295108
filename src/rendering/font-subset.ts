/**
 * TrueType subsets for embedding, built from glyph records read once per process. fontkit's own
 * subsetter decodes every outline of every glyph again for each document, a third of a letter's
 * cost; the outlines never change, so here each glyph's bytes are sliced out of the font once and
 * a document's subset is only their concatenation. The tables are those fontkit writes for PDF
 * embedding (ISO 32000 9.9: glyf, loca, head, hhea, hmtx, maxp and the hinting programs).
 */

type Table = { offset: number; length: number };
/** A glyph's outline padded to four bytes, with its checksum, and its horizontal metrics. */
type GlyphRecord = { bytes: Buffer; checksum: number; metrics: Buffer; components: { at: number; glyph: number }[] };

const MORE_COMPONENTS = 0x20;
const ARGS_ARE_WORDS = 0x01;
const HAS_SCALE = 0x08;
const HAS_XY_SCALE = 0x40;
const HAS_2X2 = 0x80;

/** The component glyphs of a composite glyph, with where each one's glyph index sits in its bytes. */
function componentsOf(bytes: Buffer): GlyphRecord['components'] {
  if (bytes.length < 10 || bytes.readInt16BE(0) >= 0) return [];
  const components: GlyphRecord['components'] = [];
  let at = 10;
  for (;;) {
    const flags = bytes.readUInt16BE(at);
    components.push({ at: at + 2, glyph: bytes.readUInt16BE(at + 2) });
    at += 4 + (flags & ARGS_ARE_WORDS ? 4 : 2);
    if (flags & HAS_SCALE) at += 2;
    else if (flags & HAS_XY_SCALE) at += 4;
    else if (flags & HAS_2X2) at += 8;
    if (!(flags & MORE_COMPONENTS)) return components;
  }
}

const checksum = (data: Buffer) => {
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) sum = (sum + data.readUInt32BE(i)) >>> 0;
  return sum;
};

const padded = (data: Buffer) =>
  data.length % 4 === 0 ? data : Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]);

/** A TrueType font file, read for subsetting. */
export class TrueTypeSource {
  private readonly tables = new Map<string, Table>();
  private readonly glyphs = new Map<number, GlyphRecord>();
  private readonly longLoca: boolean;
  private readonly horizontalMetrics: number;

  constructor(private readonly file: Buffer) {
    if (file.readUInt32BE(0) !== 0x00010000) throw new Error('not a TrueType font with glyph outlines');
    const count = file.readUInt16BE(4);
    for (let i = 0; i < count; i++) {
      const record = 12 + 16 * i;
      this.tables.set(file.toString('latin1', record, record + 4), {
        offset: file.readUInt32BE(record + 8),
        length: file.readUInt32BE(record + 12),
      });
    }
    for (const tag of ['head', 'hhea', 'maxp', 'loca', 'glyf', 'hmtx'])
      if (!this.tables.has(tag)) throw new Error(`the font has no ${tag} table`);
    this.longLoca = file.readInt16BE(this.table('head').offset + 50) === 1;
    this.horizontalMetrics = file.readUInt16BE(this.table('hhea').offset + 34);
  }

  private table(tag: string): Table {
    return this.tables.get(tag)!;
  }

  private raw(tag: string): Buffer | undefined {
    const table = this.tables.get(tag);
    return table && this.file.subarray(table.offset, table.offset + table.length);
  }

  glyph(id: number): GlyphRecord {
    let record = this.glyphs.get(id);
    if (!record) {
      const loca = this.table('loca').offset;
      const [from, to] = this.longLoca
        ? [this.file.readUInt32BE(loca + 4 * id), this.file.readUInt32BE(loca + 4 * id + 4)]
        : [this.file.readUInt16BE(loca + 2 * id) * 2, this.file.readUInt16BE(loca + 2 * id + 2) * 2];
      const bytes = padded(this.file.subarray(this.table('glyf').offset + from, this.table('glyf').offset + to));
      record = { bytes, checksum: checksum(bytes), metrics: this.metrics(id), components: componentsOf(bytes) };
      this.glyphs.set(id, record);
    }
    return record;
  }

  /** Advance width and left side bearing, as the hmtx table stores them. */
  private metrics(id: number): Buffer {
    const hmtx = this.table('hmtx').offset;
    const metrics = Buffer.alloc(4);
    const last = this.horizontalMetrics - 1;
    metrics.writeUInt16BE(this.file.readUInt16BE(hmtx + 4 * Math.min(id, last)), 0);
    const bearing =
      id <= last ? hmtx + 4 * id + 2 : hmtx + 4 * this.horizontalMetrics + 2 * (id - this.horizontalMetrics);
    metrics.writeInt16BE(this.file.readInt16BE(bearing), 2);
    return metrics;
  }

  createSubset(): TrueTypeSubset {
    return new TrueTypeSubset(this);
  }

  /** The font file for these glyphs, numbered in the subset's order (composite glyphs' parts appended). */
  encode(glyphIds: number[], include: (id: number) => number): Buffer {
    const glyf: Buffer[] = [];
    const hmtx: Buffer[] = [];
    let glyfChecksum = 0;
    for (let i = 0; i < glyphIds.length; i++) {
      const record = this.glyph(glyphIds[i]!);
      hmtx.push(record.metrics);
      if (record.components.length === 0) {
        glyf.push(record.bytes);
        glyfChecksum += record.checksum;
        continue;
      }
      const copy = Buffer.from(record.bytes);
      for (const { at, glyph } of record.components) copy.writeUInt16BE(include(glyph), at);
      glyf.push(copy);
      glyfChecksum += checksum(copy);
    }
    const count = glyphIds.length;
    const loca = Buffer.alloc(4 * (count + 1));
    let offset = 0;
    glyf.forEach((bytes, i) => {
      loca.writeUInt32BE(offset, 4 * i);
      offset += bytes.length;
    });
    loca.writeUInt32BE(offset, 4 * count);
    const head = Buffer.from(this.raw('head')!);
    head.writeUInt32BE(0, 8);
    head.writeInt16BE(1, 50);
    const hhea = Buffer.from(this.raw('hhea')!);
    hhea.writeUInt16BE(count, 34);
    const maxp = Buffer.from(this.raw('maxp')!);
    maxp.writeUInt16BE(count, 4);
    const tables: { tag: string; data: Buffer | undefined; checksum?: number }[] = [
      { tag: 'cvt ', data: this.raw('cvt ') },
      { tag: 'fpgm', data: this.raw('fpgm') },
      { tag: 'glyf', data: Buffer.concat(glyf), checksum: glyfChecksum >>> 0 },
      { tag: 'head', data: head },
      { tag: 'hhea', data: hhea },
      { tag: 'hmtx', data: Buffer.concat(hmtx) },
      { tag: 'loca', data: loca },
      { tag: 'maxp', data: maxp },
      { tag: 'prep', data: this.raw('prep') },
    ];
    return assemble(tables.filter((table): table is SubsetTable => table.data !== undefined));
  }
}

/** A table to write, with its checksum when it is already known. */
type SubsetTable = { tag: string; data: Buffer; checksum?: number };

/**
 * An sfnt file of the given tables (sorted by tag), with their checksums and the head's checksum
 * adjustment. Every part is padded to four bytes, so the file's checksum is the sum of its parts'.
 */
function assemble(tables: SubsetTable[]): Buffer {
  const entrySelector = Math.floor(Math.log2(tables.length));
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + 16 * tables.length);
  header.writeUInt32BE(0x00010000, 0);
  header.writeUInt16BE(tables.length, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(tables.length * 16 - searchRange, 10);
  let offset = header.length;
  let fileChecksum = 0;
  const bodies = tables.map(({ tag, data, checksum: known }, i) => {
    const body = padded(data);
    const sum = known ?? checksum(body);
    const record = 12 + 16 * i;
    header.write(tag, record, 'latin1');
    header.writeUInt32BE(sum, record + 4);
    header.writeUInt32BE(offset, record + 8);
    header.writeUInt32BE(data.length, record + 12);
    offset += body.length;
    fileChecksum += sum;
    return body;
  });
  fileChecksum += checksum(header);
  const file = Buffer.concat([header, ...bodies]);
  const head = tables.findIndex(({ tag }) => tag === 'head');
  file.writeUInt32BE((0xb1b0afba - fileChecksum) >>> 0, header.readUInt32BE(12 + 16 * head + 8) + 8);
  return file;
}

/** The glyphs one document uses, in the order pdfkit numbers them (glyph 0, .notdef, first). */
export class TrueTypeSubset {
  private readonly glyphs: number[] = [];
  private readonly numbers = new Map<number, number>();

  constructor(private readonly source: TrueTypeSource) {
    this.includeGlyph(0);
  }

  includeGlyph(id: number): number {
    let number = this.numbers.get(id);
    if (number === undefined) {
      number = this.glyphs.length;
      this.glyphs.push(id);
      this.numbers.set(id, number);
    }
    return number;
  }

  encode(): Buffer {
    return this.source.encode(this.glyphs, (id) => this.includeGlyph(id));
  }
}
