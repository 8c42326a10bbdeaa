/**
 * Loading area systems (boundary files) into {@link AreaSystem}: shapefiles (`.shp` with
 * sidecars, a folder holding one, or a `.zip`) and GeoJSON (with or without a legacy `crs`
 * member). Every feature keeps its projected coordinates (metres, for measuring) and WGS84
 * coordinates (for display) side by side.
 */
import { createHash } from "crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import * as path from "path";
import JSZip from "jszip";
import type { Feature, FeatureCollection } from "geojson";
import type { AreaSystemConfig } from "../project/config-types";
import type { Finding } from "../validate/report";
import { DataError } from "./errors";
import { looksLikeMojibake } from "./encoding";
import { flatTransformer, metricCrsFor, resolveCrs, ResolvedCrs, transformer, WGS84 } from "./crs";
import { AreaGeometry, BBox, EMPTY_FLAT, flatArea, flatBBox, FlatPolygons, flattenGeometry, flatToGeometry, polygonsOf } from "./geom";
import { parseDbf, parseShpFlat } from "./shapefile";

/**
 * One area of an {@link AreaSystem}. Features made by {@link loadAreaSystem} hold their
 * coordinates in flat typed arrays and build the GeoJSON `projected` and `wgs84` geometries on
 * first access (then keep them); both are ordinary enumerable properties for callers (spread,
 * `JSON.stringify` and assignment work as on plain objects).
 */
export interface AreaFeature {
  /** Area id as a string (leading zeros kept). */
  id: string;
  /** Name (a label, never a key); `""` when the system has no name field. */
  name: string;
  /** Id of the parent area, when the system declares a parent system. */
  parentId?: string;
  /** All attributes of the source feature. */
  properties: Record<string, unknown>;
  /** Geometry in the system's projected CRS (metres). Empty geometry: MultiPolygon without parts. */
  projected: AreaGeometry;
  /** The same geometry in WGS84 longitude/latitude (for maps only). */
  wgs84: AreaGeometry;
  /** Area in m², computed on `projected`. */
  areaM2: number;
  /** Index of the feature in the source file (0-based). */
  index: number;
}

/** A set of areas from one boundary file. */
export interface AreaSystem {
  /** System id, e.g. `"plr"`. */
  id: string;
  /** German label, e.g. `"Planungsräume"`. */
  label: string;
  kind: AreaSystemConfig["kind"];
  /** Boundary vintage, e.g. `"2021-01-01"`. */
  vintage: string;
  /** proj4 definition of the projected CRS the `projected` coordinates are in. */
  crs: string;
  /** EPSG code of `crs`, when recognised. */
  epsg?: number;
  /** Readable CRS name, e.g. `"EPSG:25833"`. */
  crsName: string;
  /** How the projected CRS was chosen. */
  crsSource: "prj" | "geojson-crs" | "option" | "metric-from-wgs84";
  /** Attribute holding the id. */
  idField: string;
  /** Attribute holding the name, if any. */
  nameField?: string;
  /** Parent system declaration (from the configuration). */
  parent?: AreaSystemConfig["parent"];
  features: AreaFeature[];
  /** Names table joined by id (configuration `names`, see `joinAreaNames`): file and SHA-256. */
  names?: { file: string; sha256: string };
  /** Source file, its SHA-256, and the SHA-256 of each sidecar read (by extension). */
  source: { file: string; sha256: string; sidecars?: Record<string, string> };
  /** Findings made while loading (encoding fallbacks, …); `loadDataset` adds them to the report. */
  findings: Finding[];
}

/** Options of {@link loadAreaSystem}. Only `idField` is required. */
export interface LoadAreaSystemOptions {
  /** Attribute holding the area id (read as string; leading zeros kept). Required. */
  idField: string;
  /** Attribute holding the name. Default: none (names `""`). */
  nameField?: string;
  /** System id. Default: the file name without extension. */
  id?: string;
  /** German label. Default: the id. */
  label?: string;
  /** Kind. Default `"other"`. */
  kind?: AreaSystemConfig["kind"];
  /** Vintage. Default `""`. */
  vintage?: string;
  /** `.dbf` encoding when there is no `.cpg`. Default: detect UTF-8 vs Windows-1252. */
  encoding?: string;
  /** CRS of the file when it declares none (no `.prj`, no GeoJSON `crs`). Default: none → error for shapefiles, WGS84 for GeoJSON. */
  crs?: string;
  /** Projected CRS for files in WGS84. Default: EPSG:25832/25833 by the centre in Germany, else the UTM zone. */
  metricCrs?: string;
  /** Parent declaration; computes `parentId` per feature. Default: none. */
  parent?: AreaSystemConfig["parent"];
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

interface RawFeatures {
  /** Geometries in the source CRS, flat; `null` for a missing/empty geometry. */
  geometries: (FlatPolygons | null)[];
  /** The source's own GeoJSON geometries, where it has them (GeoJSON input): reused, not rebuilt. */
  sourceGeometries?: (AreaGeometry | null)[];
  properties: Record<string, unknown>[];
  /** Raw text of the id field where the source has one (dbf numeric fields). */
  rawIds?: string[];
  crs?: ResolvedCrs;
  crsSource?: AreaSystem["crsSource"];
  source: AreaSystem["source"];
  /** File named in errors about features. */
  featureFile: string;
  findings: Finding[];
  fieldNames: string[];
}

/**
 * Loads an area system from a shapefile (`.shp` with `.dbf`/`.prj`/`.cpg` beside it, a folder
 * holding exactly one shapefile, or a `.zip` holding exactly one) or a GeoJSON file.
 *
 * - CRS: from the `.prj` (any WKT proj4 reads) or the GeoJSON `crs` member, else `options.crs`;
 *   a shapefile without either → {@link DataError}. GeoJSON without `crs` is WGS84 (RFC 7946)
 *   and is projected to `options.metricCrs` or the ETRS89/UTM zone of its centre.
 * - Encoding: `.cpg`, else `options.encoding`, else detected; a `.cpg` that says UTF-8 over
 *   Windows-1252 bytes is read as Windows-1252 with a warning in `findings`.
 * - Ids: strings; a missing id field or an empty id throws {@link DataError}; duplicates are
 *   kept (the validator reports them).
 *
 * @example
 * const plr = await loadAreaSystem("../shared/data/berlin-lor-2021-shapes/LOR_2023-01-01_PLR_EPSG_25833_nur_ID.shp", {
 *   idField: "PLR_ID", id: "plr", label: "Planungsräume", vintage: "2021-01-01",
 * });
 * plr.epsg;                 // 25833
 * plr.features[0].id;       // "01100101"
 */
export async function loadAreaSystem(file: string, options: LoadAreaSystemOptions): Promise<AreaSystem> {
  const abs = path.resolve(file);
  if (!existsSync(abs)) throw new DataError(abs, "file does not exist", { expected: "a .shp, .zip, .geojson/.json file or a folder with one shapefile" });
  let raw: RawFeatures;
  const ext = path.extname(abs).toLowerCase();
  if (statSync(abs).isDirectory()) raw = readShapefileFolder(abs, options);
  else if (ext === ".shp") raw = readShapefileFromFiles(abs, options);
  else if (ext === ".zip") raw = await readZip(abs, options);
  else if (ext === ".geojson" || ext === ".json") raw = readGeoJson(abs, readFileSync(abs), options);
  else throw new DataError(abs, `unsupported file type ${JSON.stringify(ext)}`, { expected: ".shp, .zip, .geojson/.json or a folder" });
  return buildSystem(abs, raw, options);
}

function buildSystem(file: string, raw: RawFeatures, options: LoadAreaSystemOptions): AreaSystem {
  const { idField, nameField } = options;
  const ff = raw.featureFile;
  if (!raw.fieldNames.includes(idField)) {
    throw new DataError(ff, `id field ${JSON.stringify(idField)} does not exist`, {
      field: idField, expected: `one of the attributes ${raw.fieldNames.map((f) => JSON.stringify(f)).join(", ") || "(none)"}`,
    });
  }
  if (nameField && !raw.fieldNames.includes(nameField)) {
    throw new DataError(ff, `name field ${JSON.stringify(nameField)} does not exist`, {
      field: nameField, expected: `one of the attributes ${raw.fieldNames.map((f) => JSON.stringify(f)).join(", ")}`,
    });
  }
  const parent = options.parent;
  if (parent?.field && !raw.fieldNames.includes(parent.field)) {
    throw new DataError(ff, `parent field ${JSON.stringify(parent.field)} does not exist`, {
      field: parent.field, expected: `one of the attributes ${raw.fieldNames.map((f) => JSON.stringify(f)).join(", ")}`,
    });
  }
  const parentRe = parent?.idPattern !== undefined ? new RegExp(parent.idPattern) : undefined;

  // Projected CRS and transforms.
  let source = raw.crs;
  let crsSource = raw.crsSource;
  if (!source && options.crs) {
    source = resolveCrsOrThrow(options.crs, ff, "crs");
    crsSource = "option";
  }
  if (!source) throw new DataError(ff, "no CRS: no .prj file and no crs option", { field: "crs", expected: 'a .prj beside the .shp or the option crs, e.g. "EPSG:25832"' });
  let projectedCrs = source;
  let bbox: BBox | undefined;
  let points = 0;
  for (const g of raw.geometries) {
    if (!g || g.xy.length === 0) continue;
    points += g.xy.length / 2;
    const b = flatBBox(g.xy)!;
    bbox = bbox ? [Math.min(bbox[0], b[0]), Math.min(bbox[1], b[1]), Math.max(bbox[2], b[2]), Math.max(bbox[3], b[3])] : b;
  }
  if (source.geographic) {
    raw.geometries.forEach((g, i) => {
      if (g) checkLonLat(flatBBox(g.xy), ff, i, idOf(raw.rawIds?.[i], raw.properties[i]?.[idField]));
    });
    if (options.metricCrs) projectedCrs = resolveCrsOrThrow(options.metricCrs, ff, "metricCrs");
    else {
      let cx = 0, cy = 0, n = 0;
      for (const g of raw.geometries) {
        const bb = g ? flatBBox(g.xy) : undefined;
        if (bb) { cx += (bb[0] + bb[2]) / 2; cy += (bb[1] + bb[3]) / 2; n++; }
      }
      if (n) {
        const toWgs = transformer(source, WGS84);
        const [lon, lat] = toWgs([cx / n, cy / n]);
        projectedCrs = metricCrsFor(lon, lat);
      } else projectedCrs = resolveCrs("EPSG:25832");
    }
    if (projectedCrs.geographic) throw new DataError(ff, `metric CRS ${projectedCrs.name} is geographic`, { field: "metricCrs", expected: "a projected CRS in metres" });
    crsSource = "metric-from-wgs84";
  }
  const toProjected = source.geographic ? flatTransformer(source, projectedCrs) : undefined;
  // Many points in a small area: WGS84 by interpolation on a verified grid (error ≤ 1e-9°, ≈ 0.1 mm).
  const toWgs84 = source.geographic && source.proj4 === WGS84.proj4
    ? undefined
    : flatTransformer(source, WGS84, !source.geographic && bbox ? { bbox, points } : {});

  const features: AreaFeature[] = [];
  raw.geometries.forEach((g, i) => {
    const props = raw.properties[i] ?? {};
    const id = idOf(raw.rawIds?.[i], props[idField]);
    if (id === "") {
      throw new DataError(ff, `field ${JSON.stringify(idField)} is empty`, { row: i, rowKind: "feature", field: idField, expected: "a non-empty area id" });
    }
    const flat = g ?? EMPTY_FLAT;
    const projXY = toProjected ? toProjected(flat.xy) : flat.xy;
    const wgsXY = toWgs84 ? toWgs84(flat.xy) : flat.xy;
    let parentId: string | undefined;
    if (parent?.field) parentId = idOf(undefined, props[parent.field]) || undefined;
    else if (parent?.idPrefixLength) parentId = id.slice(0, parent.idPrefixLength);
    else if (parentRe) parentId = id.replace(parentRe, parent!.idReplacement ?? "$1");
    const name = nameField ? String(props[nameField] ?? "").trim() : "";
    // Placeholders keep the key order of a plain feature object; lazyProperty redefines them in place.
    const f = { id, name, parentId, properties: props, projected: undefined, wgs84: undefined, areaM2: flatArea(flat, projXY), index: i } as unknown as AreaFeature;
    // The source's own GeoJSON object stands for the side whose coordinates are the source's.
    const own = g ? raw.sourceGeometries?.[i] ?? undefined : undefined;
    if (own && !toProjected) f.projected = own;
    else lazyProperty(f, "projected", () => flatToGeometry(flat, projXY));
    if (own && !toWgs84) f.wgs84 = own;
    else lazyProperty(f, "wgs84", () => flatToGeometry(flat, wgsXY));
    features.push(f);
  });
  if (nameField) {
    const bad = features.find((f) => looksLikeMojibake(f.name));
    if (bad) {
      raw.findings.push({
        severity: "warning", check: "encoding", file: ff, areaId: bad.id, row: bad.index, rowKind: "feature", field: nameField,
        message: `Name ${JSON.stringify(bad.name)} sieht nach falsch dekodiertem UTF-8 aus (Mojibake)`,
        expected: "Kodierung in .cpg oder Option encoding korrekt angeben (UTF-8)",
      });
    }
  }
  const sysId = options.id ?? path.basename(file, path.extname(file));
  for (const f of raw.findings) f.areaSystem = f.areaSystem ?? sysId;
  return {
    id: sysId,
    label: options.label ?? sysId,
    kind: options.kind ?? "other",
    vintage: options.vintage ?? "",
    crs: projectedCrs.proj4,
    epsg: projectedCrs.epsg,
    crsName: projectedCrs.name,
    crsSource: crsSource ?? "option",
    idField,
    nameField,
    parent,
    features,
    source: raw.source,
    findings: raw.findings,
  };
}

function idOf(rawText: string | undefined, v: unknown): string {
  if (rawText !== undefined) return rawText.replace(/^(-?\d+)\.0+$/, "$1");
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(v);
  return String(v).trim();
}

function resolveCrsOrThrow(spec: string, file: string, field: string): ResolvedCrs {
  try {
    return resolveCrs(spec);
  } catch (e) {
    throw new DataError(file, (e as Error).message, { field, expected: "an EPSG code, proj4 string or WKT" });
  }
}

/**
 * Defines `obj[key]` as an enumerable property whose value `make()` computes on first read and
 * then keeps (as a plain data property); writing it first replaces it without computing.
 */
function lazyProperty<T extends object, K extends keyof T>(obj: T, key: K, make: () => T[K]): void {
  const settle = (value: T[K]) => Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(obj, key, {
    enumerable: true,
    configurable: true,
    get() {
      const v = make();
      settle(v);
      return v;
    },
    set(v: T[K]) {
      settle(v);
    },
  });
}

function checkLonLat(bb: BBox | undefined, file: string, i: number, id: string): void {
  if (bb && (bb[0] < -180 || bb[2] > 180 || bb[1] < -90 || bb[3] > 90)) {
    throw new DataError(file, `coordinates ${bb.map((v) => Math.round(v)).join(", ")} are not longitude/latitude, but the file declares no CRS (GeoJSON without crs means WGS84)`, {
      row: i, rowKind: "feature", areaId: id, expected: 'a "crs" member or the option crs, e.g. "EPSG:25832"',
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Shapefiles

interface ShapefileParts {
  shp: Uint8Array;
  dbf?: Uint8Array;
  prj?: string;
  cpg?: string;
  shx?: boolean;
}

function shapefileRaw(shpFile: string, parts: ShapefileParts, options: LoadAreaSystemOptions, hashes: Record<string, string>, sourceFile: string, sourceHash: string): RawFeatures {
  const dbfFile = shpFile.replace(/\.shp$/i, ".dbf");
  const geometries = parseShpFlat(parts.shp, shpFile);
  if (!parts.dbf) {
    throw new DataError(dbfFile, "attribute table (.dbf) is missing", { field: options.idField, expected: `${path.basename(dbfFile)} beside ${path.basename(shpFile)} (it holds the ids)` });
  }
  const findings: Finding[] = [];
  const table = parseDbf(parts.dbf, dbfFile, { cpg: parts.cpg, encoding: options.encoding });
  if (table.records.length !== geometries.length) {
    throw new DataError(dbfFile, `has ${table.records.length} records but ${path.basename(shpFile)} has ${geometries.length} shapes`, {
      expected: "one attribute record per shape",
    });
  }
  if (table.encodingSource === "cpg-overridden" && table.encodingProblem) {
    const p = table.encodingProblem;
    findings.push({
      severity: "warning", check: "encoding", file: dbfFile, row: p.record, rowKind: "feature", field: p.field,
      message: `.cpg gibt UTF-8 an, aber Feld ${JSON.stringify(p.field)} in Objekt ${p.record} ist kein gültiges UTF-8; als Windows-1252 gelesen`,
      expected: ".cpg mit der tatsächlichen Kodierung (z. B. 1252)",
    });
  }
  for (const d of table.deleted) {
    findings.push({ severity: "warning", check: "deleted-record", file: dbfFile, row: d, rowKind: "feature", message: `Datensatz ${d} ist in der .dbf als gelöscht markiert, wird aber gelesen`, expected: "keine gelöschten Datensätze" });
  }
  let crs: ResolvedCrs | undefined;
  if (parts.prj !== undefined) {
    crs = resolveCrsOrThrow(parts.prj, shpFile.replace(/\.shp$/i, ".prj"), "prj");
  }
  const idIsNumeric = table.fields.find((f) => f.name === options.idField);
  return {
    geometries,
    properties: table.records,
    rawIds: idIsNumeric ? table.raw.map((r) => r[options.idField] ?? "") : undefined,
    crs,
    crsSource: crs ? "prj" : undefined,
    source: { file: sourceFile, sha256: sourceHash, sidecars: hashes },
    featureFile: shpFile,
    findings,
    fieldNames: table.fields.map((f) => f.name),
  };
}

function sidecar(shpFile: string, ext: string): string | undefined {
  const dir = path.dirname(shpFile);
  const base = path.basename(shpFile, path.extname(shpFile)).toLowerCase();
  const hit = readdirSync(dir).find((n) => n.toLowerCase() === `${base}.${ext}`);
  return hit ? path.join(dir, hit) : undefined;
}

function readShapefileFromFiles(shpFile: string, options: LoadAreaSystemOptions): RawFeatures {
  const shp = readFileSync(shpFile);
  const hashes: Record<string, string> = {};
  const read = (ext: string) => {
    const p = sidecar(shpFile, ext);
    if (!p) return undefined;
    const b = readFileSync(p);
    hashes[ext] = sha256(b);
    return b;
  };
  const dbf = read("dbf");
  const prj = read("prj");
  const cpg = read("cpg");
  return shapefileRaw(shpFile, { shp, dbf, prj: prj?.toString("utf8"), cpg: cpg?.toString("utf8") }, options, hashes, shpFile, sha256(shp));
}

function readShapefileFolder(dir: string, options: LoadAreaSystemOptions): RawFeatures {
  const shps = readdirSync(dir).filter((n) => n.toLowerCase().endsWith(".shp"));
  if (shps.length !== 1) {
    throw new DataError(dir, shps.length ? `folder holds ${shps.length} shapefiles: ${shps.join(", ")}` : "folder holds no shapefile", {
      expected: "exactly one .shp in the folder (or name the .shp file)",
    });
  }
  return readShapefileFromFiles(path.join(dir, shps[0]), options);
}

async function readZip(file: string, options: LoadAreaSystemOptions): Promise<RawFeatures> {
  const buf = readFileSync(file);
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(buf);
  } catch (e) {
    throw new DataError(file, `cannot open the zip archive: ${(e as Error).message}`, { expected: "a valid .zip file" });
  }
  const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir && !n.includes("__MACOSX"));
  const shps = names.filter((n) => n.toLowerCase().endsWith(".shp"));
  if (shps.length === 0) {
    const gj = names.filter((n) => /\.(geo)?json$/i.test(n));
    if (gj.length === 1) {
      const b = await zip.files[gj[0]].async("uint8array");
      const raw = readGeoJson(`${file}/${gj[0]}`, b, options);
      raw.source = { file, sha256: sha256(buf) };
      return raw;
    }
    throw new DataError(file, `archive holds no shapefile${gj.length ? ` but ${gj.length} GeoJSON files` : ""} (${names.join(", ") || "empty"})`, {
      expected: "exactly one .shp (with .dbf, .prj) or one GeoJSON file",
    });
  }
  if (shps.length > 1) {
    throw new DataError(file, `archive holds ${shps.length} shapefiles: ${shps.join(", ")}`, { expected: "exactly one shapefile per archive" });
  }
  const base = shps[0].slice(0, -4).toLowerCase();
  const get = async (ext: string) => {
    const n = names.find((x) => x.toLowerCase() === `${base}.${ext}`);
    return n ? zip.files[n].async("uint8array") : undefined;
  };
  const shp = (await get("shp"))!;
  const dbf = await get("dbf");
  const prj = await get("prj");
  const cpg = await get("cpg");
  const td = new TextDecoder();
  return shapefileRaw(`${file}/${shps[0]}`, { shp, dbf, prj: prj && td.decode(prj), cpg: cpg && td.decode(cpg) }, options, {}, file, sha256(buf));
}

// ---------------------------------------------------------------------------------------------
// GeoJSON

function readGeoJson(file: string, bytes: Uint8Array, options: LoadAreaSystemOptions): RawFeatures {
  if (bytes.byteLength === 0) throw new DataError(file, "file is empty", { expected: "a GeoJSON FeatureCollection" });
  let data: FeatureCollection & { crs?: { type?: string; properties?: { name?: string } } };
  try {
    data = JSON.parse(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new DataError(file, `not valid JSON: ${(e as Error).message}`, { expected: "a GeoJSON FeatureCollection" });
  }
  if (!data || data.type !== "FeatureCollection" || !Array.isArray(data.features)) {
    throw new DataError(file, `top-level type is ${JSON.stringify((data as { type?: unknown })?.type)}`, { expected: 'a GeoJSON "FeatureCollection"' });
  }
  let crs: ResolvedCrs | undefined;
  let crsSource: AreaSystem["crsSource"] | undefined;
  const crsName = data.crs?.properties?.name;
  if (crsName) {
    crs = resolveCrsOrThrow(crsName, file, "crs");
    crsSource = "geojson-crs";
  } else if (options.crs) {
    crs = resolveCrsOrThrow(options.crs, file, "crs");
    crsSource = "option";
  } else {
    crs = WGS84;
    crsSource = "metric-from-wgs84";
  }
  const sourceGeometries: (AreaGeometry | null)[] = [];
  const properties: Record<string, unknown>[] = [];
  const fieldNames = new Set<string>();
  data.features.forEach((f: Feature, i: number) => {
    const g = f.geometry;
    if (g && g.type !== "Polygon" && g.type !== "MultiPolygon") {
      throw new DataError(file, `geometry type is ${g.type}`, { row: i, rowKind: "feature", expected: "Polygon or MultiPolygon" });
    }
    sourceGeometries.push(g && polygonsOf(g as AreaGeometry).length ? (g as AreaGeometry) : null);
    const p = (f.properties ?? {}) as Record<string, unknown>;
    if (f.id !== undefined && !("id" in p)) fieldNames.add("id");
    for (const k of Object.keys(p)) fieldNames.add(k);
    properties.push(f.id !== undefined && !("id" in p) ? { id: f.id, ...p } : p);
  });
  return {
    geometries: sourceGeometries.map((g) => (g ? flattenGeometry(g) : null)),
    sourceGeometries,
    properties,
    crs,
    crsSource,
    source: { file, sha256: sha256(bytes) },
    featureFile: file,
    findings: [],
    fieldNames: [...fieldNames],
  };
}

/**
 * The system as a GeoJSON FeatureCollection (for maps: `"wgs84"`; for GIS export in the
 * system's CRS: `"projected"`). Properties: `id`, `name`, `parentId` (if any), `area_m2`, then
 * the source attributes.
 *
 * @example
 * const fc = areaSystemToFeatureCollection(plr, "wgs84");
 * fc.features.length; // 542
 */
export function areaSystemToFeatureCollection(system: AreaSystem, coordinates: "wgs84" | "projected" = "wgs84"): FeatureCollection<AreaGeometry> {
  return {
    type: "FeatureCollection",
    features: system.features.map((f) => ({
      type: "Feature",
      id: f.id,
      properties: { ...f.properties, id: f.id, name: f.name, ...(f.parentId !== undefined ? { parentId: f.parentId } : {}), area_m2: f.areaM2 },
      geometry: coordinates === "wgs84" ? f.wgs84 : f.projected,
    })),
  };
}
