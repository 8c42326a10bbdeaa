/**
 * Metadata inside exported files: PNG text chunks (and the print resolution), SVG `<metadata>`,
 * PDF document information, and small synchronous readers the export guard (`writeOutput`) and
 * the tests use to find the protection mark again (PNG text, PDF info, XLSX document properties).
 */
import { inflateRawSync } from "zlib";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let crcTable: Uint32Array | undefined;
function crc32(buf: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = crcTable[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function isLatin1(s: string): boolean {
  return /^[\u0000-\u00ff]*$/.test(s);
}

/** A PNG's chunks (type, data) in order. */
function pngChunks(png: Uint8Array): Array<{ type: string; start: number; end: number; data: Buffer }> {
  const b = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (b.length < 8 || !b.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error("not a PNG file (signature missing)");
  const out: Array<{ type: string; start: number; end: number; data: Buffer }> = [];
  let at = 8;
  while (at + 12 <= b.length) {
    const len = b.readUInt32BE(at);
    const type = b.toString("latin1", at + 4, at + 8);
    const end = at + 12 + len;
    if (end > b.length) throw new Error(`broken PNG: chunk ${type} at byte ${at} runs past the end`);
    out.push({ type, start: at, end, data: b.subarray(at + 8, at + 8 + len) });
    at = end;
    if (type === "IEND") break;
  }
  return out;
}

/** Options of {@link pngWithText}. */
export interface PngTextOptions {
  /** Print resolution written as `pHYs` chunk (dots per inch; default: none). */
  dpi?: number;
}

/**
 * Adds text chunks to a PNG right after its header (`tEXt` for Latin-1 text, `iTXt` UTF-8
 * otherwise), replacing chunks with the same keywords, and optionally the print resolution
 * (`pHYs`). Keywords: 1–79 Latin-1 characters.
 *
 * @example
 * const marked = pngWithText(png, { Title: "Kinderarmut 2024", "kr-protection": "geschuetzt" }, { dpi: 300 });
 */
export function pngWithText(png: Uint8Array, text: Record<string, string>, options: PngTextOptions = {}): Buffer {
  const chunks = pngChunks(png);
  if (chunks[0]?.type !== "IHDR") throw new Error("broken PNG: first chunk is not IHDR");
  for (const k of Object.keys(text)) if (!/^[\x20-\x7e\xa1-\xff]{1,79}$/.test(k) || /^ | $|  /.test(k)) throw new Error(`invalid PNG text keyword ${JSON.stringify(k)} (expected 1–79 Latin-1 characters, no leading/trailing/double spaces)`);
  const keys = new Set(Object.keys(text));
  const b = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const parts: Buffer[] = [PNG_SIGNATURE, b.subarray(chunks[0].start, chunks[0].end)];
  if (options.dpi !== undefined) {
    if (!(options.dpi > 0)) throw new Error(`invalid dpi ${options.dpi} (expected a positive number)`);
    const ppm = Math.round(options.dpi / 0.0254);
    const d = Buffer.alloc(9);
    d.writeUInt32BE(ppm, 0); d.writeUInt32BE(ppm, 4); d[8] = 1;
    parts.push(chunk("pHYs", d));
  }
  for (const [k, v] of Object.entries(text)) {
    parts.push(isLatin1(v)
      ? chunk("tEXt", Buffer.concat([Buffer.from(k, "latin1"), Buffer.from([0]), Buffer.from(v, "latin1")]))
      // iTXt: keyword, 0, compression flag 0, method 0, empty language tag, 0, empty translated keyword, 0, UTF-8 text
      : chunk("iTXt", Buffer.concat([Buffer.from(k, "latin1"), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(v, "utf8")])));
  }
  for (const c of chunks.slice(1)) {
    if (c.type === "pHYs" && options.dpi !== undefined) continue;
    if ((c.type === "tEXt" || c.type === "iTXt") && keys.has(c.data.toString("latin1", 0, Math.max(0, c.data.indexOf(0))))) continue;
    parts.push(b.subarray(c.start, c.end));
  }
  return Buffer.concat(parts);
}

/**
 * The text chunks (`tEXt`, uncompressed `iTXt`) of a PNG as keyword → text.
 *
 * @example
 * pngText(readFileSync("outputs/06-foerderantrag/karte.png"))["kr-protection"]; // "geschuetzt"
 */
export function pngText(png: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of pngChunks(png)) {
    if (c.type !== "tEXt" && c.type !== "iTXt") continue;
    const z = c.data.indexOf(0);
    if (z < 1) continue;
    const key = c.data.toString("latin1", 0, z);
    if (c.type === "tEXt") out[key] = c.data.toString("latin1", z + 1);
    else {
      if (c.data[z + 1] !== 0) continue; // compressed iTXt: not written by us
      const lang = c.data.indexOf(0, z + 3);
      const tkey = c.data.indexOf(0, lang + 1);
      if (lang < 0 || tkey < 0) continue;
      out[key] = c.data.toString("utf8", tkey + 1);
    }
  }
  return out;
}

/**
 * Width and height in pixels and the print resolution (dpi, from `pHYs`, if any) of a PNG.
 *
 * @example
 * pngInfo(png); // { width: 1890, height: 1181, dpi: 300 }
 */
export function pngInfo(png: Uint8Array): { width: number; height: number; dpi?: number } {
  const chunks = pngChunks(png);
  const ihdr = chunks[0];
  if (ihdr?.type !== "IHDR") throw new Error("broken PNG: first chunk is not IHDR");
  const phys = chunks.find((c) => c.type === "pHYs");
  const dpi = phys && phys.data[8] === 1 ? Math.round(phys.data.readUInt32BE(0) * 0.0254 * 10) / 10 : undefined;
  return { width: ihdr.data.readUInt32BE(0), height: ihdr.data.readUInt32BE(4), ...(dpi !== undefined ? { dpi } : {}) };
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Metadata written into an SVG (see {@link svgWithMetadata}). */
export interface SvgMetadata {
  title?: string;
  /** Description: source, reference date, notes. */
  description?: string;
  /** Further key → value pairs (e.g. `kr-protection`, `kr-provenance`), written as `<kr:meta>` elements. */
  fields?: Record<string, string>;
}

/**
 * Adds `<title>` and `<metadata>` (Dublin Core title/description and `kr:` fields) as first
 * children of the root `<svg>` element.
 *
 * @example
 * svgWithMetadata(svg, { title: "Kinderarmut 2024", fields: { "kr-protection": "geschuetzt" } });
 */
export function svgWithMetadata(svg: string, meta: SvgMetadata): string {
  const m = /<svg\b[^>]*>/.exec(svg);
  if (!m) throw new Error("not an SVG document (no <svg> element)");
  const dc = [
    meta.title ? `<dc:title>${xmlEscape(meta.title)}</dc:title>` : "",
    meta.description ? `<dc:description>${xmlEscape(meta.description)}</dc:description>` : "",
  ].join("");
  const kr = Object.entries(meta.fields ?? {}).map(([k, v]) => `<kr:meta name="${xmlEscape(k)}">${xmlEscape(v)}</kr:meta>`).join("");
  const block = `${meta.title ? `<title>${xmlEscape(meta.title)}</title>` : ""}<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Description>${dc}</rdf:Description></rdf:RDF><kr:export xmlns:kr="urn:kleinraum:export">${kr}</kr:export></metadata>`;
  const at = m.index + m[0].length;
  return svg.slice(0, at) + block + svg.slice(at);
}

/** PDF document information written by {@link pdfWithInfo}. */
export interface PdfInfo {
  title?: string;
  subject?: string;
  keywords?: string[];
  author?: string;
  /** Default `"kleinraum"`. */
  producer?: string;
  creator?: string;
  /** Protection mark, written as the name `/KrProtection` in the document information (the export guard reads it). */
  protection?: "geschuetzt" | "ohne-schutz";
  /** Creation and modification date (default: left as the PDF has them). */
  date?: Date;
  /**
   * Exact page size in mm: every page's MediaBox/CropBox is set to it, anchored at the top left
   * (Chromium rounds `page.pdf` sizes to its internal units, e.g. 160 mm → 160,19 mm). Default: as is.
   */
  pageSizeMm?: { width: number; height: number };
}

/**
 * Sets the document information of a PDF (Title, Subject, Keywords, Author, Producer, Creator,
 * dates) with pdf-lib, plus `/KrProtection /geschuetzt|/ohne-schutz` as an uncompressed name the
 * export guard finds without parsing. The PDF is re-saved without object streams.
 *
 * @example
 * const pdf = await pdfWithInfo(await renderHtmlPdf(html), { title: "Gebietsprofil", keywords: ["kr-protection=geschuetzt"], protection: "geschuetzt" });
 */
export async function pdfWithInfo(pdf: Uint8Array, info: PdfInfo): Promise<Buffer> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { PDFDocument } = require("pdf-lib") as typeof import("pdf-lib");
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  applyPdfInfo(doc, info);
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

function applyPdfInfo(doc: import("pdf-lib").PDFDocument, info: PdfInfo): void {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { PDFName } = require("pdf-lib") as typeof import("pdf-lib");
  if (info.title !== undefined) doc.setTitle(info.title, { showInWindowTitleBar: true });
  if (info.subject !== undefined) doc.setSubject(info.subject);
  if (info.keywords !== undefined) doc.setKeywords(info.keywords);
  if (info.author !== undefined) doc.setAuthor(info.author);
  doc.setProducer(info.producer ?? "kleinraum");
  if (info.creator !== undefined) doc.setCreator(info.creator);
  if (info.date) { doc.setCreationDate(info.date); doc.setModificationDate(info.date); }
  doc.setLanguage("de-DE");
  if (info.pageSizeMm) {
    const w = (info.pageSizeMm.width / 25.4) * 72, h = (info.pageSizeMm.height / 25.4) * 72;
    for (const page of doc.getPages()) {
      const box = page.getMediaBox();
      const top = box.y + box.height;
      page.setMediaBox(box.x, top - h, w, h);
      page.setCropBox(box.x, top - h, w, h);
    }
  }
  if (info.protection) {
    const dict = doc.context.lookup(doc.context.trailerInfo.Info) as import("pdf-lib").PDFDict;
    dict.set(PDFName.of("KrProtection"), PDFName.of(info.protection));
  }
}

/**
 * Splits a PDF into one-page PDFs, page `i` with document information `infos[i]` (see
 * {@link pdfWithInfo}); used to print many figures in one Chromium call. The number of pages
 * must equal `infos.length`.
 *
 * @example
 * const [a, b] = await splitPdfPages(await renderHtmlPdf(twoPages), [{ title: "A" }, { title: "B" }]);
 */
export async function splitPdfPages(pdf: Uint8Array, infos: readonly PdfInfo[]): Promise<Buffer[]> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { PDFDocument } = require("pdf-lib") as typeof import("pdf-lib");
  const src = await PDFDocument.load(pdf, { updateMetadata: false });
  if (src.getPageCount() !== infos.length) throw new Error(`splitPdfPages: the PDF has ${src.getPageCount()} page(s), expected ${infos.length}`);
  const out: Buffer[] = [];
  for (let i = 0; i < infos.length; i++) {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const [page] = await doc.copyPages(src, [i]);
    doc.addPage(page!);
    applyPdfInfo(doc, infos[i]!);
    out.push(Buffer.from(await doc.save({ useObjectStreams: false })));
  }
  return out;
}

/**
 * The protection mark of a PDF written by {@link pdfWithInfo} (`undefined` when absent).
 *
 * @example
 * pdfProtection(readFileSync("karte.pdf")); // "geschuetzt"
 */
export function pdfProtection(pdf: Uint8Array): "geschuetzt" | "ohne-schutz" | undefined {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString("latin1");
  const m = /\/KrProtection\s*\/(geschuetzt|ohne-schutz)\b/.exec(text);
  return m ? (m[1] as "geschuetzt" | "ohne-schutz") : undefined;
}

/**
 * One file of a ZIP archive (e.g. `docProps/core.xml` of an XLSX), read synchronously
 * (stored or deflated entries); `undefined` when absent.
 *
 * @example
 * zipEntry(xlsx, "docProps/core.xml")?.toString("utf8");
 */
export function zipEntry(zip: Uint8Array, name: string): Buffer | undefined {
  const b = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--) if (b.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw new Error("not a ZIP file (no end of central directory)");
  const count = b.readUInt16LE(eocd + 10);
  let at = b.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (b.readUInt32LE(at) !== 0x02014b50) throw new Error("broken ZIP central directory");
    const method = b.readUInt16LE(at + 10);
    const csize = b.readUInt32LE(at + 20);
    const nlen = b.readUInt16LE(at + 28), xlen = b.readUInt16LE(at + 30), clen = b.readUInt16LE(at + 32);
    const local = b.readUInt32LE(at + 42);
    const entry = b.toString("utf8", at + 46, at + 46 + nlen);
    if (entry === name) {
      const lnlen = b.readUInt16LE(local + 26), lxlen = b.readUInt16LE(local + 28);
      const data = b.subarray(local + 30 + lnlen + lxlen, local + 30 + lnlen + lxlen + csize);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`ZIP entry ${name}: unsupported compression method ${method}`);
    }
    at += 46 + nlen + xlen + clen;
  }
  return undefined;
}
