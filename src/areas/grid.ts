/**
 * The Zensus 2011 1 km grid ("Spitze Werte im ein Kilometer-Gitter", Destatis) as building
 * blocks: read the cells (the project's derived CSV or the parquet files via hyparquet), keep
 * the sentinels apart (`-1` no inhabitants / not applicable, `-9` suppressed: never used as
 * values), and estimate population, age shares and mean age for any area system from the
 * cells — as points (cell centres: a cell goes wholly to the area containing its centre) or as
 * 1 km squares (a cell's inhabitants spread evenly over its square and shared by area).
 *
 * Cell coordinates are EPSG:3035 (ETRS89-LAEA) cell **centres**; the INSPIRE id names the
 * lower-left corner: `CRS3035RES1000mN{y − 500}E{x − 500}`.
 */
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import Flatbush from "flatbush";
import type { AreaGeometry } from "../load/geom";
import { geometryArea, geometryBBox, pointInRing, polygonsOf } from "../load/geom";
import { resolveCrs, transformer, WGS84 } from "../load/crs";
import type { AreaFeature, AreaSystem } from "../load/geometry";
import type { BlockPoint } from "./crosswalk";
import { assertSameCrs, overlapAreas } from "./overlay";

/** CRS of the census grid. */
export const ZENSUS_GRID_CRS = "EPSG:3035";
/** Sentinel: no inhabitants, or the attribute does not apply. */
export const GRID_NONE = -1;
/** Sentinel: value suppressed (confidentiality). */
export const GRID_SUPPRESSED = -9;
/** The attributes of the Zensus 2011 1 km grid (besides `Einwohner`). */
export const ZENSUS_GRID_ATTRIBUTES = ["Frauen_A", "Alter_D", "unter18_A", "ab65_A", "Auslaender_A", "HHGroesse_D", "Leerstandsquote", "Wohnfl_Bew_D", "Wohnfl_Whg_D"] as const;

/** Grid cells with their values; sentinels are NaN in `values` and kept in `status`. */
export interface ZensusGrid {
  /** Cell size in metres (1000). */
  cellSize: number;
  /** INSPIRE cell ids (`CRS3035RES1000mN…E…`). */
  ids: string[];
  /** Cell centres in EPSG:3035. */
  x: Float64Array;
  y: Float64Array;
  /** Inhabitants per cell; `-1` (no inhabitants) is read as 0 (its status stays −1). */
  population: Float64Array;
  /** Further attributes by name: the value, NaN where the cell has a sentinel. */
  values: Record<string, Float64Array>;
  /** Per attribute (and `Einwohner`): 0 = value, −1 = no inhabitants / not applicable, −9 = suppressed. */
  status: Record<string, Int8Array>;
  /** File or folder read. */
  source: string;
}

/**
 * INSPIRE id of the 1 km cell with centre (x, y) in EPSG:3035.
 *
 * @example
 * gridCellId(4096500, 3153500); // "CRS3035RES1000mN3153000E4096000"
 */
export function gridCellId(x: number, y: number, size = 1000): string {
  return `CRS3035RES${size}mN${Math.round(y - size / 2)}E${Math.round(x - size / 2)}`;
}

/**
 * Centre and size of a cell from its INSPIRE id.
 *
 * @throws `invalid grid cell id: …` for anything else
 * @example
 * parseGridCellId("CRS3035RES1000mN3153000E4096000"); // { x: 4096500, y: 3153500, size: 1000 }
 */
export function parseGridCellId(id: string): { x: number; y: number; size: number } {
  const m = /^CRS3035RES(\d+)mN(\d+)E(\d+)$/.exec(id);
  if (!m) throw new Error(`invalid grid cell id: ${JSON.stringify(id)} (expected CRS3035RES<size>mN<y>E<x>)`);
  const size = Number(m[1]);
  return { x: Number(m[3]) + size / 2, y: Number(m[2]) + size / 2, size };
}

type Bbox3035 = [number, number, number, number];

function makeGrid(n: number, attrs: readonly string[], source: string): ZensusGrid {
  const values: Record<string, Float64Array> = {}, status: Record<string, Int8Array> = { Einwohner: new Int8Array(n) };
  for (const a of attrs) { values[a] = new Float64Array(n); status[a] = new Int8Array(n); }
  return { cellSize: 1000, ids: new Array(n), x: new Float64Array(n), y: new Float64Array(n), population: new Float64Array(n), values, status, source };
}

function setValue(g: ZensusGrid, attr: string, i: number, v: number, where: string): void {
  if (!Number.isFinite(v)) throw new Error(`${where}: ${attr} is ${v} (expected a number or a sentinel −1/−9)`);
  const st = v === GRID_NONE ? -1 : v === GRID_SUPPRESSED ? -9 : v < 0 ? -9 : 0;
  if (v < 0 && st === -9 && v !== GRID_SUPPRESSED) throw new Error(`${where}: ${attr} is ${v} (expected ≥ 0 or a sentinel −1/−9)`);
  if (attr === "Einwohner") {
    if (st === -9) throw new Error(`${where}: Einwohner is suppressed (−9), which the grid does not use for inhabitants`);
    g.status.Einwohner![i] = st;
    g.population[i] = st === 0 ? v : 0;
    return;
  }
  g.status[attr]![i] = st;
  g.values[attr]![i] = st === 0 ? v : NaN;
}

const inBox = (b: Bbox3035 | undefined, x: number, y: number) => !b || (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3]);

/**
 * Parses the project's derived grid CSV (`;`-separated, decimal point; columns `Gitter_ID_1km`,
 * `x_mp_1km`, `y_mp_1km`, `Einwohner`, then the attributes). Checks that every id matches its
 * centre coordinates.
 *
 * @param options.bbox keep only cells whose centre lies in [xmin, ymin, xmax, ymax] (EPSG:3035)
 * @throws with file and line on a missing column, a bad number or an id that does not match x/y
 * @example
 * const g = parseZensusGridCsv(readFileSync(file, "utf8"), file);
 * g.ids.length; // 594
 */
export function parseZensusGridCsv(text: string, source = "<text>", options: { bbox?: Bbox3035 } = {}): ZensusGrid {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = (lines[0] ?? "").split(";").map((h) => h.trim());
  const col = (n: string) => {
    const i = header.indexOf(n);
    if (i < 0) throw new Error(`${source}: column ${n} missing (columns: ${header.join(", ")})`);
    return i;
  };
  const cId = col("Gitter_ID_1km"), cx = col("x_mp_1km"), cy = col("y_mp_1km"), cPop = col("Einwohner");
  const attrs = header.filter((h) => (ZENSUS_GRID_ATTRIBUTES as readonly string[]).includes(h));
  const rows = lines.slice(1).map((l) => l.split(";"));
  const keep = rows.map((r) => inBox(options.bbox, Number(r[cx]), Number(r[cy])));
  const g = makeGrid(keep.filter(Boolean).length, attrs, source);
  let i = 0;
  rows.forEach((r, k) => {
    if (!keep[k]) return;
    const where = `${source} line ${k + 2}`;
    const x = Number(r[cx]), y = Number(r[cy]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`${where}: coordinates ${r[cx]}/${r[cy]} (expected numbers)`);
    const id = String(r[cId] ?? "").trim();
    const c = parseGridCellId(id);
    if (c.x !== x || c.y !== y) throw new Error(`${where}: id ${id} names centre ${c.x}/${c.y} (row says ${x}/${y})`);
    g.ids[i] = id; g.x[i] = x; g.y[i] = y;
    setValue(g, "Einwohner", i, Number(r[cPop]), where);
    for (const a of attrs) setValue(g, a, i, Number(r[header.indexOf(a)]), where);
    i++;
  });
  return g;
}

/** Reads the derived grid CSV (see {@link parseZensusGridCsv}). */
export function readZensusGridCsv(file: string, options: { bbox?: Bbox3035 } = {}): ZensusGrid {
  if (!existsSync(file)) throw new Error(`grid file not found: ${file}`);
  return parseZensusGridCsv(readFileSync(file, "utf8"), file, options);
}

// hyparquet is an ES module; the project compiles to CommonJS, so it is loaded with a real dynamic import.
const esmImport = new Function("s", "return import(s)") as (s: string) => Promise<any>;

/**
 * Reads the grid from the parquet files of the z22data layout (`continuous_<attr>.parquet`
 * with columns `<attr>`, `x`, `y`, all in the same row order) with hyparquet (zstd via
 * hyparquet-compressors), keeping the cells inside `bbox` (EPSG:3035 centres).
 *
 * @param dir folder holding `continuous_Einwohner.parquet` and the attribute files
 * @example
 * const g = await readZensusGridParquet("../shared/data/zensus2011-1km", { bbox: [4530000, 3250000, 4580000, 3290000], attributes: ["unter18_A", "ab65_A"] });
 */
export async function readZensusGridParquet(dir: string, options: { bbox?: Bbox3035; attributes?: readonly string[] } = {}): Promise<ZensusGrid> {
  const attrs = [...(options.attributes ?? ["unter18_A", "ab65_A", "Alter_D"])];
  for (const a of attrs) if (!(ZENSUS_GRID_ATTRIBUTES as readonly string[]).includes(a)) throw new Error(`invalid attribute: ${JSON.stringify(a)} (expected one of ${ZENSUS_GRID_ATTRIBUTES.join(", ")})`);
  const { asyncBufferFromFile, parquetReadObjects } = await esmImport("hyparquet");
  const { compressors } = await esmImport("hyparquet-compressors");
  const read = async (attr: string): Promise<Record<string, unknown>[]> => {
    const file = path.join(dir, `continuous_${attr}.parquet`);
    if (!existsSync(file)) throw new Error(`grid file not found: ${file}`);
    return parquetReadObjects({ file: await asyncBufferFromFile(file), compressors, columns: [attr, "x", "y"] });
  };
  const pop = await read("Einwohner");
  const idx: number[] = [];
  pop.forEach((r, k) => { if (inBox(options.bbox, Number(r.x), Number(r.y))) idx.push(k); });
  const g = makeGrid(idx.length, attrs, dir);
  idx.forEach((k, i) => {
    const r = pop[k]!;
    g.x[i] = Number(r.x); g.y[i] = Number(r.y); g.ids[i] = gridCellId(g.x[i]!, g.y[i]!);
    setValue(g, "Einwohner", i, Number(r.Einwohner), `${dir} row ${k}`);
  });
  for (const a of attrs) {
    const rows = await read(a);
    if (rows.length !== pop.length) throw new Error(`${dir}: continuous_${a}.parquet has ${rows.length} rows (expected ${pop.length}, the row order of Einwohner)`);
    idx.forEach((k, i) => {
      const r = rows[k]!;
      if (Number(r.x) !== g.x[i] || Number(r.y) !== g.y[i]) throw new Error(`${dir}: continuous_${a}.parquet row ${k} is cell ${r.x}/${r.y} (expected ${g.x[i]}/${g.y[i]}: same row order as Einwohner)`);
      setValue(g, a, i, Number(r[a]), `${dir} continuous_${a}.parquet row ${k}`);
    });
  }
  return g;
}

/** The EPSG:3035 box around an area system's extent, with a margin (for {@link readZensusGridParquet}). */
export function gridBBoxFor(system: Pick<AreaSystem, "features">, margin = 1500): Bbox3035 {
  const to = transformer(WGS84, resolveCrs(ZENSUS_GRID_CRS));
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const f of system.features) {
    const b = geometryBBox(f.wgs84);
    if (!b) continue;
    for (const [lon, lat] of [[b[0], b[1]], [b[0], b[3]], [b[2], b[1]], [b[2], b[3]]] as const) {
      const [x, y] = to([lon, lat]);
      x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
    }
  }
  return [x0 - margin, y0 - margin, x1 + margin, y1 + margin];
}

/** One row of {@link gridSentinels}. */
export interface GridSentinelRow {
  attribute: string;
  /** Cells with a value. */
  cells: number;
  /** Cells with −1 (no inhabitants / not applicable). */
  none: number;
  /** Cells with −9 (suppressed). */
  suppressed: number;
  /** Inhabitants living in cells whose attribute is −9 (or −1 although inhabited): their share/mean is unknown. */
  inhabitantsUnknown: number;
  /** Cells with inhabitants but no value for the attribute. */
  inhabitedUnknown: number;
}

/**
 * How many cells carry each sentinel, and how many inhabitants live in cells whose attribute
 * is unknown (optionally only for the cells flagged in `only`).
 *
 * @example
 * gridSentinels(g).find((r) => r.attribute === "unter18_A"); // { suppressed: 12, inhabitantsUnknown: 148, … }
 */
export function gridSentinels(g: ZensusGrid, only?: ArrayLike<boolean | number>): GridSentinelRow[] {
  return ["Einwohner", ...Object.keys(g.values)].map((a) => {
    const st = g.status[a]!;
    const row: GridSentinelRow = { attribute: a, cells: 0, none: 0, suppressed: 0, inhabitantsUnknown: 0, inhabitedUnknown: 0 };
    for (let i = 0; i < g.ids.length; i++) {
      if (only && !only[i]) continue;
      const s = st[i]!;
      if (s === 0) row.cells++; else if (s === -1) row.none++; else row.suppressed++;
      if (a !== "Einwohner" && s !== 0 && g.population[i]! > 0) { row.inhabitantsUnknown += g.population[i]!; row.inhabitedUnknown++; }
    }
    return row;
  });
}

/**
 * Cell centres as building-block points in another CRS (for `populationCrosswalk` or
 * {@link gridEstimate} with `method: "points"`).
 *
 * @example
 * gridPoints(g, "EPSG:25832")[0]; // { id: "CRS3035RES1000mN…", x: 357…, y: 570… }
 */
export function gridPoints(g: ZensusGrid, crs: string): BlockPoint[] {
  const t = transformer(resolveCrs(ZENSUS_GRID_CRS), resolveCrs(crs));
  return g.ids.map((id, i) => { const [x, y] = t([g.x[i]!, g.y[i]!]); return { id, x, y }; });
}

/**
 * The cells as an area system of squares in `crs` (each edge densified to `densify` segments,
 * so the projected square follows the curved edges; default 4). Area in m² is measured in `crs`.
 *
 * @example
 * const squares = gridSquares(g, "EPSG:25832"); // AreaSystem "zensus2011_1km"
 */
export function gridSquares(g: ZensusGrid, crs: string, options: { densify?: number } = {}): AreaSystem {
  const target = resolveCrs(crs), from = resolveCrs(ZENSUS_GRID_CRS);
  const toT = transformer(from, target), toW = transformer(from, WGS84);
  const k = Math.max(1, Math.floor(options.densify ?? 4));
  const h = g.cellSize / 2;
  const features: AreaFeature[] = g.ids.map((id, i) => {
    const cx = g.x[i]!, cy = g.y[i]!;
    const ring: [number, number][] = [];
    const corners: [number, number][] = [[cx - h, cy - h], [cx + h, cy - h], [cx + h, cy + h], [cx - h, cy + h]];
    for (let c = 0; c < 4; c++) {
      const [ax, ay] = corners[c]!, [bx, by] = corners[(c + 1) % 4]!;
      for (let s = 0; s < k; s++) ring.push([ax + ((bx - ax) * s) / k, ay + ((by - ay) * s) / k]);
    }
    ring.push(ring[0]!);
    const projected: AreaGeometry = { type: "Polygon", coordinates: [ring.map((p) => toT(p))] };
    const wgs84: AreaGeometry = { type: "Polygon", coordinates: [ring.map((p) => toW(p))] };
    return { id, name: id, properties: { Einwohner: g.population[i] }, projected, wgs84, areaM2: geometryArea(projected), index: i };
  });
  return {
    id: "zensus2011_1km", label: "Zensus 2011, 1-km-Gitterzellen", kind: "other", vintage: "2011-05-09",
    crs: target.proj4, epsg: target.epsg, crsName: target.name, crsSource: "option", idField: "Gitter_ID_1km",
    features, source: { file: g.source, sha256: "" }, findings: [],
  };
}

function pointInGeometry(g: AreaGeometry, x: number, y: number): boolean {
  let inside = false;
  for (const poly of polygonsOf(g)) for (const ring of poly) if (pointInRing([x, y], ring)) inside = !inside;
  return inside;
}

/** For each point, the index of the first area whose geometry contains it, or −1. */
export function locatePoints(points: readonly { x: number; y: number }[], geoms: readonly AreaGeometry[]): Int32Array {
  const index = new Flatbush(Math.max(1, geoms.length));
  for (const g of geoms) {
    const b = geometryBBox(g);
    if (b) index.add(b[0], b[1], b[2], b[3]); else index.add(Infinity, Infinity, Infinity, Infinity);
  }
  if (!geoms.length) index.add(Infinity, Infinity, Infinity, Infinity);
  index.finish();
  return Int32Array.from(points.map((p) => {
    for (const k of index.search(p.x, p.y, p.x, p.y).sort((a, b) => a - b)) if (pointInGeometry(geoms[k]!, p.x, p.y)) return k;
    return -1;
  }));
}

/** How grid cells are assigned to areas. */
export type GridMethod = "points" | "squares";

/** Estimate for one area. */
export interface GridEstimateRow {
  id: string;
  name: string;
  /** Inhabitants (Σ cell inhabitants × share of the cell in the area). */
  population: number;
  /** Under 18 / 65 and over: Σ inhabitants × share (%) / 100 over cells with a known share. */
  under18Known: number;
  age65Known: number;
  /** Inhabitants of the cells with a known share (the base of the shares). */
  base18: number;
  base65: number;
  /** Shares in % (known counts / their base); NaN without base. */
  share18: number;
  share65: number;
  /** Counts for all inhabitants: share × population (cells with unknown shares get the area's share). */
  under18: number;
  age65: number;
  /** Mean age: population-weighted mean of `Alter_D` over cells with a known mean age; NaN without. */
  meanAge: number;
  baseAge: number;
  /** Cells contributing (any share of their area, or their centre). */
  cells: number;
}

/** Result of {@link gridEstimate}. */
export interface GridEstimate {
  method: GridMethod;
  rows: GridEstimateRow[];
  totals: {
    /** Σ over areas. */
    population: number;
    /** Inhabitants of all cells read. */
    grid: number;
    /** Inhabitants of the cells whose centre lies in some area. */
    centresInside: number;
    /** Inhabitants of the cells that touch some area (any overlap). */
    touching: number;
    /** Inhabitants not assigned to any area (grid − population). */
    outside: number;
  };
  /** Flag per cell: its centre lies in some area. */
  centreInside: Uint8Array;
  /** Sentinels among the cells that contribute. */
  sentinels: GridSentinelRow[];
  notes: string[];
}

/**
 * Population, under-18 and 65+ counts and shares, and mean age per area from the grid:
 * `"points"` gives each cell wholly to the area containing its centre; `"squares"` spreads a
 * cell's inhabitants evenly over its 1 km square and shares it by overlap area (cells on the
 * city boundary count in part). Sentinel cells never enter as values: −1 inhabitants are 0;
 * a suppressed (−9) share or mean age leaves the cell out of that attribute's base (reported).
 *
 * @param target areas in a projected CRS (e.g. EPSG:25832)
 * @example
 * const e = gridEstimate(readZensusGridCsv(csv), bottrop, { method: "squares" });
 * e.totals.population; // ≈ 117,000
 */
export function gridEstimate(g: ZensusGrid, target: AreaSystem, options: { method?: GridMethod } = {}): GridEstimate {
  const method = options.method ?? "squares";
  if (method !== "points" && method !== "squares") throw new Error(`invalid method: ${JSON.stringify(method)} (expected "points" or "squares")`);
  const n = g.ids.length, T = target.features.length;
  const geoms = target.features.map((f) => f.projected);
  const crs = target.epsg ? `EPSG:${target.epsg}` : target.crs;
  const pts = gridPoints(g, crs);
  const loc = locatePoints(pts, geoms);
  const centreInside = Uint8Array.from(loc, (t) => (t >= 0 ? 1 : 0));
  // links: cell → (area, share of the cell)
  const links: { c: number; t: number; w: number }[] = [];
  if (method === "points") loc.forEach((t, c) => { if (t >= 0) links.push({ c, t, w: 1 }); });
  else {
    const sq = gridSquares(g, crs);
    assertSameCrs(sq, target);
    const ov = overlapAreas(sq.features.map((f) => f.projected), geoms);
    for (let k = 0; k < ov.length; k++) {
      const c = ov.source[k]!, a = ov.sourceAreaM2[c]!;
      if (a > 0 && ov.areaM2[k]! > 0) links.push({ c, t: ov.target[k]!, w: Math.min(1, ov.areaM2[k]! / a) });
    }
  }
  const acc = Array.from({ length: T }, () => ({ pop: 0, u18: 0, b18: 0, a65: 0, b65: 0, age: 0, bAge: 0, cells: 0 }));
  const u18 = g.values.unter18_A, a65 = g.values.ab65_A, age = g.values.Alter_D;
  const touching = new Uint8Array(n);
  for (const { c, t, w } of links) {
    const p = g.population[c]! * w;
    const a = acc[t]!;
    a.cells++;
    touching[c] = 1;
    if (!(p > 0)) continue;
    a.pop += p;
    if (u18 && Number.isFinite(u18[c]!)) { a.u18 += (p * u18[c]!) / 100; a.b18 += p; }
    if (a65 && Number.isFinite(a65[c]!)) { a.a65 += (p * a65[c]!) / 100; a.b65 += p; }
    if (age && Number.isFinite(age[c]!)) { a.age += p * age[c]!; a.bAge += p; }
  }
  const rows: GridEstimateRow[] = target.features.map((f, t) => {
    const a = acc[t]!;
    const s18 = a.b18 > 0 ? (100 * a.u18) / a.b18 : NaN, s65 = a.b65 > 0 ? (100 * a.a65) / a.b65 : NaN;
    return {
      id: f.id, name: f.name, population: a.pop, under18Known: a.u18, age65Known: a.a65, base18: a.b18, base65: a.b65,
      share18: s18, share65: s65, under18: Number.isFinite(s18) ? (s18 / 100) * a.pop : NaN, age65: Number.isFinite(s65) ? (s65 / 100) * a.pop : NaN,
      meanAge: a.bAge > 0 ? a.age / a.bAge : NaN, baseAge: a.bAge, cells: a.cells,
    };
  });
  let grid = 0, inside = 0, touch = 0, population = 0;
  for (let c = 0; c < n; c++) { grid += g.population[c]!; if (centreInside[c]) inside += g.population[c]!; if (touching[c]) touch += g.population[c]!; }
  for (const r of rows) population += r.population;
  const notes = [method === "points"
    ? "Jede Gitterzelle zählt ganz zu dem Gebiet, in dem ihr Mittelpunkt liegt."
    : "Die Einwohner einer Gitterzelle sind gleichmäßig über ihr 1-km-Quadrat verteilt angenommen und werden nach Flächenanteil auf die Gebiete aufgeteilt."];
  const usedCells = method === "points" ? centreInside : touching;
  return { method, rows, totals: { population, grid, centresInside: inside, touching: touch, outside: grid - population }, centreInside, sentinels: gridSentinels(g, usedCells), notes };
}
