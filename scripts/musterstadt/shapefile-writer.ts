/**
 * A small ESRI shapefile writer (polygons only) with full control over the `.prj`, the `.cpg`
 * and the `.dbf` text encoding — what `@mapbox/shp-write` cannot do (it always writes its own
 * WGS84 `.prj` and UTF-8 attributes).
 *
 * Format references: ESRI Shapefile Technical Description (1998) and the dBASE III header
 * layout. Byte order follows the spec: file code/length and record headers big-endian,
 * everything else little-endian.
 */
import { encodeWindows1252 } from "./encoding";

/** A ring of `[x, y]` pairs; closed or not (the writer closes it). */
export type Ring = Array<[number, number]>;
/** Polygon: outer ring first, then holes. */
export type Polygon = Ring[];
/** Multipolygon as produced by polygon-clipping / GeoJSON. */
export type MultiPolygon = Polygon[];

/** A `.dbf` field. Names are at most 10 characters (dBASE limit). */
export interface DbfField {
  name: string;
  /** `C` character, `N` numeric. */
  type: "C" | "N";
  /** Field width in bytes. */
  length: number;
  /** Decimal places for `N` fields (default 0). */
  decimals?: number;
}

/** What to write: geometry + attributes per record, and the sidecar options. */
export interface ShapefileInput {
  fields: DbfField[];
  records: Array<{ geometry: MultiPolygon; attributes: Record<string, string | number> }>;
  /** Content of the `.prj` file (WKT); omitted when undefined. */
  prj?: string;
  /** Text encoding of the `.dbf`: `"windows-1252"` or `"utf-8"`. */
  encoding: "windows-1252" | "utf-8";
  /** Content of the `.cpg` file, e.g. `"1252"`; no `.cpg` is written when undefined. */
  cpg?: string;
  /** Date stored in the `.dbf` header (fixed for reproducible output). */
  date: { year: number; month: number; day: number };
  /**
   * dBASE language driver id in the `.dbf` header (byte 29): 0x57 = ANSI/Windows-1252,
   * 0x00 = not stated (default).
   */
  languageDriverId?: number;
}

/** The bytes of each file of a shapefile, keyed by extension without the dot. */
export type ShapefileFiles = Record<string, Buffer>;

/** ESRI WKT of EPSG:25832 (ETRS89 / UTM zone 32N), as ArcGIS and QGIS write it into `.prj`. */
export const PRJ_EPSG_25832 =
  'PROJCS["ETRS_1989_UTM_Zone_32N",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",9.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

/**
 * Signed shoelace area of a ring (positive = counter-clockwise with y pointing up).
 *
 * @example
 * signedRingArea([[0, 0], [1, 0], [1, 1], [0, 1]]); // 1
 */
export function signedRingArea(ring: ReadonlyArray<readonly [number, number]>): number {
  let s = 0;
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[(i + 1) % n];
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}

function closeRing(ring: Ring): Ring {
  const r = ring.slice();
  const [fx, fy] = r[0];
  const [lx, ly] = r[r.length - 1];
  if (fx !== lx || fy !== ly) r.push([fx, fy]);
  return r;
}

/** Orients rings the shapefile way: outer rings clockwise, holes counter-clockwise. */
function shapefileRings(mp: MultiPolygon): Ring[] {
  const rings: Ring[] = [];
  for (const poly of mp) {
    poly.forEach((ring, k) => {
      const r = closeRing(ring);
      const a = signedRingArea(r);
      const wantClockwise = k === 0;
      rings.push((wantClockwise ? a > 0 : a < 0) ? r.slice().reverse() : r);
    });
  }
  return rings;
}

function bboxOf(rings: Ring[]): [number, number, number, number] {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const r of rings) for (const [x, y] of r) {
    if (x < x0) x0 = x;
    if (y < y0) y0 = y;
    if (x > x1) x1 = x;
    if (y > y1) y1 = y;
  }
  return [x0, y0, x1, y1];
}

function writeHeader(buf: Buffer, fileLengthBytes: number, shapeType: number, bbox: [number, number, number, number]): void {
  buf.writeInt32BE(9994, 0);
  buf.writeInt32BE(fileLengthBytes / 2, 24);
  buf.writeInt32LE(1000, 28);
  buf.writeInt32LE(shapeType, 32);
  buf.writeDoubleLE(bbox[0], 36);
  buf.writeDoubleLE(bbox[1], 44);
  buf.writeDoubleLE(bbox[2], 52);
  buf.writeDoubleLE(bbox[3], 60);
  // z and m ranges stay 0
}

function encodeText(s: string, encoding: ShapefileInput["encoding"]): Buffer {
  return encoding === "utf-8" ? Buffer.from(s, "utf8") : encodeWindows1252(s);
}

/**
 * Builds the `.dbf` (dBASE III) bytes.
 *
 * @example
 * const dbf = writeDbf(
 *   [{ name: "ID", type: "C", length: 4 }],
 *   [{ ID: "0101" }],
 *   "windows-1252", { year: 2024, month: 12, day: 31 }, 0x57,
 * );
 */
export function writeDbf(
  fields: DbfField[],
  rows: Array<Record<string, string | number>>,
  encoding: ShapefileInput["encoding"],
  date: ShapefileInput["date"],
  languageDriverId = 0,
): Buffer {
  for (const f of fields) {
    if (f.name.length > 10) throw new Error(`dbf field name longer than 10 characters: ${f.name}`);
    if (!/^[A-Z0-9_]+$/i.test(f.name)) throw new Error(`invalid dbf field name: ${f.name}`);
  }
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + fields.reduce((s, f) => s + f.length, 0);
  const buf = Buffer.alloc(headerLength + recordLength * rows.length + 1, 0);
  buf[0] = 0x03;
  buf[1] = date.year - 1900;
  buf[2] = date.month;
  buf[3] = date.day;
  buf.writeUInt32LE(rows.length, 4);
  buf.writeUInt16LE(headerLength, 8);
  buf.writeUInt16LE(recordLength, 10);
  buf[29] = languageDriverId;
  fields.forEach((f, i) => {
    const o = 32 + 32 * i;
    buf.write(f.name.toUpperCase(), o, "ascii");
    buf.write(f.type, o + 11, "ascii");
    buf[o + 16] = f.length;
    buf[o + 17] = f.decimals ?? 0;
  });
  buf[headerLength - 1] = 0x0d;
  rows.forEach((row, r) => {
    let o = headerLength + r * recordLength;
    buf[o++] = 0x20;
    for (const f of fields) {
      const v = row[f.name];
      let bytes: Buffer;
      if (f.type === "N") {
        const s = v === undefined || v === "" ? "" : typeof v === "number" ? v.toFixed(f.decimals ?? 0) : String(v);
        if (s.length > f.length) throw new Error(`value ${s} too wide for field ${f.name}`);
        bytes = Buffer.from(s.padStart(f.length, " "), "ascii");
      } else {
        const enc = encodeText(v === undefined ? "" : String(v), encoding);
        if (enc.length > f.length) throw new Error(`value ${String(v)} too wide for field ${f.name} (${enc.length} > ${f.length} bytes)`);
        bytes = Buffer.alloc(f.length, 0x20);
        enc.copy(bytes);
      }
      bytes.copy(buf, o);
      o += f.length;
    }
  });
  buf[buf.length - 1] = 0x1a;
  return buf;
}

/**
 * Writes a polygon shapefile (`.shp`, `.shx`, `.dbf`, optional `.prj` and `.cpg`) into memory.
 * Outer rings are written clockwise and holes counter-clockwise, whatever the input orientation.
 *
 * @example
 * const files = writePolygonShapefile({
 *   fields: [{ name: "STBZ_ID", type: "C", length: 2 }, { name: "STBZ_NAME", type: "C", length: 30 }],
 *   records: [{ geometry: [[[[0, 0], [10, 0], [10, 10], [0, 0]]]], attributes: { STBZ_ID: "01", STBZ_NAME: "Süd" } }],
 *   prj: PRJ_EPSG_25832, encoding: "windows-1252", cpg: "1252", date: { year: 2024, month: 12, day: 31 },
 * });
 * Object.keys(files); // ["shp", "shx", "dbf", "prj", "cpg"]
 */
export function writePolygonShapefile(input: ShapefileInput): ShapefileFiles {
  const recs = input.records.map((r) => {
    const rings = shapefileRings(r.geometry);
    const nPoints = rings.reduce((s, x) => s + x.length, 0);
    const contentBytes = 4 + 32 + 4 + 4 + 4 * rings.length + 16 * nPoints;
    return { rings, nPoints, contentBytes, bbox: bboxOf(rings) };
  });
  const all = recs.filter((r) => r.rings.length > 0);
  const bbox: [number, number, number, number] = all.length
    ? [Math.min(...all.map((r) => r.bbox[0])), Math.min(...all.map((r) => r.bbox[1])), Math.max(...all.map((r) => r.bbox[2])), Math.max(...all.map((r) => r.bbox[3]))]
    : [0, 0, 0, 0];
  const shpLength = 100 + recs.reduce((s, r) => s + 8 + (r.rings.length ? r.contentBytes : 4), 0);
  const shp = Buffer.alloc(shpLength, 0);
  const shx = Buffer.alloc(100 + 8 * recs.length, 0);
  writeHeader(shp, shpLength, 5, bbox);
  writeHeader(shx, shx.length, 5, bbox);
  let o = 100;
  recs.forEach((r, i) => {
    const content = r.rings.length ? r.contentBytes : 4;
    shx.writeInt32BE(o / 2, 100 + 8 * i);
    shx.writeInt32BE(content / 2, 104 + 8 * i);
    shp.writeInt32BE(i + 1, o);
    shp.writeInt32BE(content / 2, o + 4);
    o += 8;
    if (!r.rings.length) {
      shp.writeInt32LE(0, o); // null shape
      o += 4;
      return;
    }
    shp.writeInt32LE(5, o);
    shp.writeDoubleLE(r.bbox[0], o + 4);
    shp.writeDoubleLE(r.bbox[1], o + 12);
    shp.writeDoubleLE(r.bbox[2], o + 20);
    shp.writeDoubleLE(r.bbox[3], o + 28);
    shp.writeInt32LE(r.rings.length, o + 36);
    shp.writeInt32LE(r.nPoints, o + 40);
    o += 44;
    let start = 0;
    for (const ring of r.rings) {
      shp.writeInt32LE(start, o);
      o += 4;
      start += ring.length;
    }
    for (const ring of r.rings) for (const [x, y] of ring) {
      shp.writeDoubleLE(x, o);
      shp.writeDoubleLE(y, o + 8);
      o += 16;
    }
  });
  const files: ShapefileFiles = {
    shp,
    shx,
    dbf: writeDbf(input.fields, input.records.map((r) => r.attributes), input.encoding, input.date, input.languageDriverId ?? 0),
  };
  if (input.prj !== undefined) files.prj = Buffer.from(input.prj, "ascii");
  if (input.cpg !== undefined) files.cpg = Buffer.from(input.cpg, "ascii");
  return files;
}
