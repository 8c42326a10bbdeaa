/**
 * A small, strict reader for ESRI shapefiles (`.shp` polygons + `.dbf` attributes).
 *
 * Why not shpjs: shpjs 6 is ESM-only and its CommonJS entry (`dist/shp.js`) is a browser
 * bundle that fails under `require` in Node 20 (`self is not defined`, no exports), which is how
 * tslab loads `src/`. It also reprojects to WGS84 while we need the raw projected coordinates,
 * and it skips truncated or missing parts silently. This reader keeps the projected
 * coordinates, checks every length against the file, and names file, feature and field in
 * each error. (Measured on Berlin's PLR file, 542 polygons: see scripts/bench.ts.)
 */
import { DataError } from "./errors";
import { decodeText, normalizeEncoding, textDecoder } from "./encoding";
import type { AreaGeometry, FlatPolygons } from "./geom";
import { flatRingSignedArea, flatToGeometry } from "./geom";

const POLYGON_TYPES = new Set([5, 15, 25]);
const SHAPE_TYPE_NAMES: Record<number, string> = {
  0: "Null", 1: "Point", 3: "PolyLine", 5: "Polygon", 8: "MultiPoint", 11: "PointZ", 13: "PolyLineZ",
  15: "PolygonZ", 18: "MultiPointZ", 21: "PointM", 23: "PolyLineM", 25: "PolygonM", 28: "MultiPointM", 31: "MultiPatch",
};

/**
 * Parses the polygons of a `.shp` buffer, keeping the file's own coordinates. Rings are
 * assembled into polygons (holes go to the smallest outer ring containing them) and written in
 * RFC 7946 orientation (outer rings counter-clockwise). Null shapes become empty
 * MultiPolygons. Throws {@link DataError} for a truncated file or non-polygon shapes.
 * (GeoJSON nesting built from {@link parseShpFlat}.)
 *
 * @example
 * const geoms = parseShp(readFileSync("plr.shp"), "plr.shp"); // AreaGeometry[]
 */
export function parseShp(buf: Uint8Array, file: string): AreaGeometry[] {
  return parseShpFlat(buf, file).map((g) => flatToGeometry(g));
}

/**
 * Parses the polygons of a `.shp` buffer like {@link parseShp}, but returns each shape as
 * {@link FlatPolygons} (one `Float64Array` of coordinates per shape, no array per point): the
 * form `loadAreaSystem` works on.
 *
 * @example
 * const flat = parseShpFlat(readFileSync("plr.shp"), "plr.shp");
 * flat[0].xy.length / 2; // points of the first shape
 */
export function parseShpFlat(buf: Uint8Array, file: string): FlatPolygons[] {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.byteLength < 100) {
    throw new DataError(file, `file is ${buf.byteLength} bytes long`, { expected: "a shapefile header of 100 bytes" });
  }
  if (dv.getInt32(0, false) !== 9994) {
    throw new DataError(file, `file code is ${dv.getInt32(0, false)}`, { expected: "9994 (an ESRI shapefile)" });
  }
  const declared = dv.getInt32(24, false) * 2;
  if (declared > buf.byteLength) {
    throw new DataError(file, `file is truncated: header declares ${declared} bytes, file has ${buf.byteLength}`, {
      expected: "a complete .shp file",
    });
  }
  const fileType = dv.getInt32(32, true);
  if (fileType !== 0 && !POLYGON_TYPES.has(fileType)) {
    throw new DataError(file, `shape type is ${SHAPE_TYPE_NAMES[fileType] ?? fileType}`, { expected: "polygons (type 5, 15 or 25)" });
  }
  const out: FlatPolygons[] = [];
  let off = 100;
  while (off < declared) {
    const idx = out.length;
    if (off + 8 > declared) {
      throw new DataError(file, `record header is cut off at byte ${off}`, { row: idx, rowKind: "feature", expected: "a complete .shp file" });
    }
    const len = dv.getInt32(off + 4, false) * 2;
    const start = off + 8;
    const end = start + len;
    if (len < 4 || end > declared) {
      throw new DataError(file, `record is cut off: ${len} bytes declared at byte ${off}, file ends at ${declared}`, {
        row: idx, rowKind: "feature", expected: "a complete .shp file",
      });
    }
    const type = dv.getInt32(start, true);
    if (type === 0) {
      out.push({ type: "MultiPolygon", xy: new Float64Array(0), ringStart: new Uint32Array(1), polyStart: new Uint32Array(1) });
    } else if (!POLYGON_TYPES.has(type)) {
      throw new DataError(file, `shape type is ${SHAPE_TYPE_NAMES[type] ?? type}`, { row: idx, rowKind: "feature", expected: "a polygon" });
    } else {
      if (len < 44) throw new DataError(file, `polygon record is ${len} bytes long`, { row: idx, rowKind: "feature", expected: "at least 44 bytes" });
      const numParts = dv.getInt32(start + 36, true);
      const numPoints = dv.getInt32(start + 40, true);
      const ptsOff = start + 44 + 4 * numParts;
      if (numParts < 0 || numPoints < 0 || ptsOff + 16 * numPoints > end) {
        throw new DataError(file, `polygon record declares ${numParts} parts and ${numPoints} points, more than its ${len} bytes hold`, {
          row: idx, rowKind: "feature", expected: "a consistent polygon record",
        });
      }
      // Copy the points into an aligned Float64Array once (records are only 2-byte aligned).
      const xy = new Float64Array(2 * numPoints);
      new Uint8Array(xy.buffer).set(buf.subarray(ptsOff, ptsOff + 16 * numPoints));
      const ringStart = new Uint32Array(numParts + 1);
      for (let p = 0; p < numParts; p++) {
        const from = dv.getInt32(start + 44 + 4 * p, true);
        const to = p + 1 < numParts ? dv.getInt32(start + 44 + 4 * (p + 1), true) : numPoints;
        if (from < 0 || to > numPoints || from > to) {
          throw new DataError(file, `part ${p} has point range ${from}..${to} of ${numPoints}`, { row: idx, rowKind: "feature", expected: "ascending part offsets" });
        }
        if (p === 0 && from !== 0) {
          throw new DataError(file, `part 0 starts at point ${from}`, { row: idx, rowKind: "feature", expected: "the first part to start at point 0" });
        }
        ringStart[p] = from;
        // Shapefile outer rings run clockwise, holes counter-clockwise; GeoJSON (RFC 7946) wants
        // the opposite, so every ring is reversed.
        reversePoints(xy, from, to);
      }
      ringStart[numParts] = numPoints;
      out.push(assembleRings(xy, ringStart));
    }
    off = end;
  }
  return out;
}

/** Reverses the points `from..to-1` of interleaved coordinates in place. */
function reversePoints(xy: Float64Array, from: number, to: number): void {
  for (let i = 2 * from, j = 2 * (to - 1); i < j; i += 2, j -= 2) {
    const x = xy[i], y = xy[i + 1];
    xy[i] = xy[j];
    xy[i + 1] = xy[j + 1];
    xy[j] = x;
    xy[j + 1] = y;
  }
}

/** Whether point `pt` of `xy` lies inside ring `from..to-1` (even-odd rule, as {@link pointInRing}). */
function flatPointInRing(xy: Float64Array, pt: number, from: number, to: number): boolean {
  let inside = false;
  const x = xy[2 * pt], y = xy[2 * pt + 1];
  for (let i = from, j = to - 1; i < to; j = i++) {
    const xi = xy[2 * i], yi = xy[2 * i + 1], xj = xy[2 * j], yj = xy[2 * j + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Groups reversed shapefile rings (now outer counter-clockwise, holes clockwise) into polygons:
 * each hole goes to the smallest outer ring holding its first point; a hole outside every outer
 * ring (an error in the file) stays visible as its own polygon. Rings are reordered (outer, its
 * holes, next outer, …) only when the file has them in another order.
 */
function assembleRings(xy: Float64Array, ringStart: Uint32Array): FlatPolygons {
  const nRings = ringStart.length - 1;
  if (nRings === 1) {
    // The common case: one ring. A lone clockwise ring is a hole outside every outer ring.
    const a = flatRingSignedArea(xy, 0, ringStart[1]);
    if (a < 0) reversePoints(xy, 0, ringStart[1]);
    return { type: "Polygon", xy, ringStart, polyStart: Uint32Array.of(0, 1) };
  }
  const outers: { ring: number; area: number; holes: number[] }[] = [];
  const holes: number[] = [];
  for (let r = 0; r < nRings; r++) {
    const a = flatRingSignedArea(xy, ringStart[r], ringStart[r + 1]);
    if (a >= 0) outers.push({ ring: r, area: a, holes: [] });
    else holes.push(r);
  }
  for (const h of holes) {
    let best: (typeof outers)[number] | undefined;
    const from = ringStart[h], to = ringStart[h + 1];
    for (const o of outers) {
      if (to > from && flatPointInRing(xy, from, ringStart[o.ring], ringStart[o.ring + 1]) && (!best || o.area < best.area)) best = o;
    }
    if (best) best.holes.push(h);
    else {
      reversePoints(xy, from, to);
      outers.push({ ring: h, area: Math.abs(flatRingSignedArea(xy, from, to)), holes: [] });
    }
  }
  const order: number[] = [];
  const polyStart = new Uint32Array(outers.length + 1);
  outers.forEach((o, p) => {
    polyStart[p] = order.length;
    order.push(o.ring, ...o.holes);
  });
  polyStart[outers.length] = order.length;
  const type = outers.length === 1 ? "Polygon" : "MultiPolygon";
  if (order.every((r, k) => r === k)) return { type, xy, ringStart, polyStart };
  const xy2 = new Float64Array(xy.length);
  const rs2 = new Uint32Array(nRings + 1);
  let o = 0;
  order.forEach((r, k) => {
    rs2[k] = o;
    const from = ringStart[r], to = ringStart[r + 1];
    xy2.set(xy.subarray(2 * from, 2 * to), 2 * o);
    o += to - from;
  });
  rs2[nRings] = o;
  return { type, xy: xy2, ringStart: rs2, polyStart };
}

/** A `.dbf` field descriptor. */
export interface DbfField {
  name: string;
  /** dBASE type letter: C (character), N/F (number), L (logical), D (date), … */
  type: string;
  length: number;
  decimals: number;
}

/** Result of {@link parseDbf}. */
export interface DbfTable {
  fields: DbfField[];
  /** One object per record: character fields as trimmed strings, numbers as numbers (null when blank). */
  records: Record<string, string | number | boolean | null>[];
  /** The raw trimmed text of every field per record (to read numeric ids without losing digits). */
  raw: Record<string, string>[];
  /** Indices of records flagged as deleted (kept, to stay aligned with the `.shp`). */
  deleted: number[];
  /** WHATWG name of the encoding used for character fields. */
  encoding: string;
  /** How the encoding was chosen. */
  encodingSource: "cpg" | "option" | "detected" | "cpg-overridden";
  /** When the `.cpg` said UTF-8 but the bytes are not: the first offending record and field. */
  encodingProblem?: { record: number; field: string };
}

/** Options of {@link parseDbf}. */
export interface ParseDbfOptions {
  /** Content of the `.cpg` file, if any (wins over `encoding`). */
  cpg?: string;
  /** Encoding to use when there is no `.cpg` (default: detect UTF-8 vs Windows-1252). */
  encoding?: string;
}

const utf8Stream = () => new TextDecoder("utf-8", { fatal: true });

/**
 * Parses a dBASE `.dbf` attribute table. The encoding comes from the `.cpg`, else the option,
 * else detection (every character field valid UTF-8 → UTF-8, else Windows-1252). When the
 * `.cpg` says UTF-8 but a field is not valid UTF-8, the file is read as Windows-1252 (the only
 * single-byte encoding German municipal GIS writes) and `encodingSource` is
 * `"cpg-overridden"` with the offending record in `encodingProblem`: the loader reports it as
 * a warning instead of returning mojibake.
 *
 * @example
 * const t = parseDbf(readFileSync("plr.dbf"), "plr.dbf", { cpg: "UTF-8" });
 * t.records[0].PLR_ID; // "01100101"
 */
export function parseDbf(buf: Uint8Array, file: string, options: ParseDbfOptions = {}): DbfTable {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.byteLength < 32) throw new DataError(file, `file is ${buf.byteLength} bytes long`, { expected: "a dBASE header of 32 bytes" });
  const nRecords = dv.getUint32(4, true);
  const headerLen = dv.getUint16(8, true);
  const recordLen = dv.getUint16(10, true);
  if (headerLen < 33 || headerLen > buf.byteLength) {
    throw new DataError(file, `header length ${headerLen} does not fit the file (${buf.byteLength} bytes)`, { expected: "a dBASE file" });
  }
  const rawFields: { nameBytes: Uint8Array; type: string; length: number; decimals: number; offset: number }[] = [];
  let fo = 1;
  for (let p = 32; p + 32 <= headerLen && buf[p] !== 0x0d; p += 32) {
    let nameEnd = p;
    while (nameEnd < p + 11 && buf[nameEnd] !== 0) nameEnd++;
    const length = buf[p + 16];
    rawFields.push({ nameBytes: buf.subarray(p, nameEnd), type: String.fromCharCode(buf[p + 11]), length, decimals: buf[p + 17], offset: fo });
    fo += length;
  }
  if (headerLen + nRecords * recordLen > buf.byteLength) {
    throw new DataError(file, `file is truncated: ${nRecords} records of ${recordLen} bytes need ${headerLen + nRecords * recordLen} bytes, file has ${buf.byteLength}`, {
      expected: "a complete .dbf file",
    });
  }
  // Choose the encoding.
  let encoding: string;
  let encodingSource: DbfTable["encodingSource"];
  let encodingProblem: DbfTable["encodingProblem"];
  const charFields = rawFields.filter((f) => f.type === "C" || f.type === "M");
  const firstInvalidUtf8 = (): { record: number; field: string } | undefined => {
    for (let r = 0; r < nRecords; r++) {
      const base = headerLen + r * recordLen;
      for (const f of charFields) {
        const bytes = buf.subarray(base + f.offset, base + f.offset + f.length);
        let ascii = true;
        for (let i = 0; i < bytes.length; i++) if (bytes[i] > 0x7f) { ascii = false; break; }
        if (ascii) continue;
        try {
          utf8Stream().decode(bytes, { stream: true }); // a sequence cut by the field width is fine
        } catch {
          return { record: r, field: textDecoder("windows-1252")(f.nameBytes) };
        }
      }
    }
    return undefined;
  };
  const cpgEnc = options.cpg !== undefined && options.cpg.trim() ? normalizeEncoding(options.cpg) : undefined;
  if (options.cpg !== undefined && options.cpg.trim() && !cpgEnc) {
    throw new DataError(file.replace(/\.dbf$/i, ".cpg"), `unknown code page ${JSON.stringify(options.cpg.trim())}`, { expected: 'e.g. "UTF-8" or "1252"' });
  }
  if (cpgEnc) {
    encoding = cpgEnc;
    encodingSource = "cpg";
    if (cpgEnc === "utf-8") {
      encodingProblem = firstInvalidUtf8();
      if (encodingProblem) {
        encoding = "windows-1252";
        encodingSource = "cpg-overridden";
      }
    }
  } else if (options.encoding) {
    const e = normalizeEncoding(options.encoding);
    if (!e) throw new DataError(file, `unknown encoding ${JSON.stringify(options.encoding)}`, { field: "encoding", expected: 'e.g. "UTF-8" or "windows-1252"' });
    encoding = e;
    encodingSource = "option";
  } else {
    encoding = firstInvalidUtf8() ? "windows-1252" : "utf-8";
    encodingSource = "detected";
  }
  const dec = textDecoder(encoding);
  const fields: DbfField[] = rawFields.map((f) => ({
    name: decodeText(f.nameBytes, encoding).text.trim(),
    type: f.type,
    length: f.length,
    decimals: f.decimals,
  }));
  const records: DbfTable["records"] = [];
  const raw: DbfTable["raw"] = [];
  const deleted: number[] = [];
  for (let r = 0; r < nRecords; r++) {
    const base = headerLen + r * recordLen;
    if (buf[base] === 0x2a) deleted.push(r); // kept, so records stay aligned with the .shp
    const rec: DbfTable["records"][number] = {};
    const rawRec: Record<string, string> = {};
    rawFields.forEach((f, i) => {
      const bytes = buf.subarray(base + f.offset, base + f.offset + f.length);
      let end = bytes.length;
      while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0)) end--;
      const text = dec(bytes.subarray(0, end)).trim();
      const name = fields[i].name;
      rawRec[name] = text;
      switch (f.type) {
        case "N":
        case "F": {
          if (text === "" || /^\*+$/.test(text)) rec[name] = null;
          else {
            const v = Number(text);
            rec[name] = Number.isFinite(v) ? v : null;
          }
          break;
        }
        case "L":
          rec[name] = /^[YyTt]$/.test(text) ? true : /^[NnFf]$/.test(text) ? false : null;
          break;
        case "D":
          rec[name] = /^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` : text || null;
          break;
        default:
          rec[name] = text;
      }
    });
    records.push(rec);
    raw.push(rawRec);
  }
  return { fields, records, raw, deleted, encoding, encodingSource, encodingProblem };
}
