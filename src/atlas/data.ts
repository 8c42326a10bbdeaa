/**
 * The data of the public atlas ("Demografie- und Sozialatlas", see `build.ts`): only published
 * values, built from the protected results of every area system, and a reader for checks.
 *
 * ## Files (everything under the atlas folder)
 *
 * - `index.html` holds the manifest inline as
 *   `<script type="application/json" id="kr-atlas-manifest">` ({@link AtlasManifest}):
 *   `krProtection: "geschuetzt"`, the systems with their data file, the indicator definitions,
 *   the default selection and the provenance texts.
 * - `data/<system>.js`, one per area system, is exactly
 *   `(window.KR_ATLAS_DATA = window.KR_ATLAS_DATA || {})["<system>"] = <JSON>;` followed by a
 *   newline, where `<JSON>` is an {@link AtlasSystemData} (with `<`, U+2028 and U+2029 written as
 *   `\u` escapes). The site loads these with `<script src>` (works from `file://`, no fetch).
 *
 * ## Cells
 *
 * `values[indicator][yearIndex][areaIndex]` (years and areas in the order of the system file)
 * is either a **number** — the published value, rounded to the indicator's digits — or a
 * **string** — the table symbol of a hidden cell (`.` secret or unknown, `/` not reliable
 * enough, `x` not meaningful, `–` nothing); a hidden cell has no number anywhere in the files.
 * `limited[indicator][yearIndex]` lists the area indices published with limited reliability
 * (shown as `( )`). `ci[indicator][yearIndex]` (shares and ratios only) is a flat array
 * `[lo0, hi0, lo1, hi1, …]` per area, `null` for every cell without a published value.
 * `city[indicator][yearIndex]` is the city value (always published).
 *
 * {@link readAtlasData} parses all of this back into one flat list of cells, for the output
 * attack test and for checks in notebooks.
 */
import { existsSync, readdirSync, readFileSync } from "fs";
import * as path from "path";
import type { IndicatorResult } from "../indicators/compute";
import type { ProtectedIndicators } from "../protect/apply";
import { roundTo, symbolAt } from "../protect/tables";

/** The protection mark of every atlas file. */
export const ATLAS_PROTECTION = "geschuetzt" as const;

/** One indicator as the atlas shows and explains it. */
export interface AtlasIndicator {
  id: string;
  label: string;
  /** Unit (`"%"`, `"je 100"`, `"Personen"`, …). */
  unit: string;
  digits: number;
  kind: string;
  topic: string;
  /** Footnote text: definition, unit, notes. */
  definition: string;
  higherIsWorse: boolean;
  /** Indicator part of the download file names (`downloads/<system>-<file>.csv`). */
  file: string;
}

/** One area system's published data (the JSON of `data/<system>.js`). */
export interface AtlasSystemData {
  krProtection: typeof ATLAS_PROTECTION;
  system: string;
  label: string;
  years: number[];
  /** Areas: id, name, SVG path (`d`, in the manifest's `viewBox`), profile file name without `.html` (`f`, in `profile/<system>/`). */
  areas: { id: string; name: string; d: string; f: string }[];
  /** Indicator ids available on this system, in display order. */
  indicators: string[];
  /** `[indicator][yearIndex][areaIndex]`: published value, or the symbol of a hidden cell. */
  values: Record<string, Array<Array<number | string>>>;
  /** `[indicator][yearIndex]`: area indices published with limited reliability `( )`. */
  limited: Record<string, number[][]>;
  /** `[indicator][yearIndex]`: `[lo, hi]` per area flattened; `null` where no interval is published. Shares and ratios only. */
  ci: Record<string, Array<Array<number | null>>>;
  /** `[indicator][yearIndex]`: city value. */
  city: Record<string, Array<number | null>>;
  /** `[indicator]`: upper class bounds (5 pooled quantile classes over all years' published values). */
  breaks: Record<string, number[]>;
  /** Notes on how this system's values were obtained (e.g. via crosswalk). */
  notes: string[];
}

/** The manifest inline in `index.html`. */
export interface AtlasManifest {
  krProtection: typeof ATLAS_PROTECTION;
  title: string;
  city: string;
  /** SVG viewBox of every map (`"0 0 W H"`), shared by all systems. */
  viewBox: string;
  systems: { id: string; label: string; kind: string; areas: number; years: number[]; file: string; profiles: boolean }[];
  indicators: AtlasIndicator[];
  defaults: { system: string; indicator: string; year: number };
  /** Downloads per system and indicator: `downloads/<system>-<indicator file>.csv` (and `.xlsx` where `xlsx`), all years. */
  downloads: { csv: boolean; xlsx: boolean; scope: "all-years" };
  provenance: {
    source: string;
    referenceDate: string;
    rules: string;
    symbols: string[];
    notes: string[];
    version: string;
    built: string;
  };
}

/** One cell as {@link readAtlasData} returns it. */
export interface AtlasCell {
  system: string;
  indicator: string;
  year: number;
  area: string;
  /** The published value; absent for a hidden cell. */
  value?: number;
  /** Symbol of a hidden cell (`.`, `/`, `x`, `–`); `"()"` for a value of limited reliability. */
  symbol?: string;
  /** Published confidence interval (shares and ratios with a published value). */
  lo?: number;
  hi?: number;
}

/** What {@link readAtlasData} returns. */
export interface AtlasData {
  krProtection: string;
  manifest: AtlasManifest;
  /** Per system: the parsed data file. */
  systems: Map<string, AtlasSystemData>;
  /** Every cell of every system, indicator, year and area. */
  cells: AtlasCell[];
  /** Files under `downloads/` (relative paths). */
  downloads: string[];
  /** Files under `profile/` (relative paths). */
  profiles: string[];
}

const DATA_PREFIX = "(window.KR_ATLAS_DATA = window.KR_ATLAS_DATA || {})[";

/**
 * JSON that is safe inside `<script>` and JavaScript files: `<`, `>`, `&`, U+2028 and U+2029
 * as `\u` escapes (still valid JSON).
 *
 * @example
 * scriptJson({ name: "</script>" }); // '{"name":"\\u003c/script\\u003e"}'
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * The text of `data/<system>.js` for a system's data (the layout of the module documentation).
 *
 * @example
 * writeFileAtomic("outputs/atlas/data/statbez.js", systemDataScript(data));
 */
export function systemDataScript(data: AtlasSystemData): string {
  return `${DATA_PREFIX}${scriptJson(data.system)}] = ${scriptJson(data)};\n`;
}

const round = roundTo;
/** Symbol of a hidden cell, as `protectedTable` shows it. */
const hiddenSymbol = symbolAt;

/**
 * The published cells of a protected result, in the layout of {@link AtlasSystemData}: values
 * (or symbols), limited-reliability flags, intervals of published shares and ratios, city values.
 * The same cell logic as `protectedTable`: a suppressed cell, a missing value or a cell with a
 * symbol other than `( )` is published as its symbol only.
 *
 * @example
 * const cells = publishedCells(kr.protectedIndicatorsFor(ds, "statbez"), ["child_poverty"], ["0101", "0102"]);
 * cells.values.child_poverty[5][0]; // 29.1 or "."
 */
export function publishedCells(p: ProtectedIndicators, indicators: readonly string[], areaOrder: readonly string[]): Pick<AtlasSystemData, "values" | "limited" | "ci" | "city"> {
  const r: IndicatorResult = p.result;
  const A = r.areas.length, Y = r.years.length;
  const areaIndex = new Map(r.areas.map((id, a) => [id, a]));
  const values: AtlasSystemData["values"] = {}, limited: AtlasSystemData["limited"] = {}, ci: AtlasSystemData["ci"] = {}, city: AtlasSystemData["city"] = {};
  for (const id of indicators) {
    const i = r.definitions.findIndex((d) => d.id === id);
    if (i < 0) throw new Error(`invalid indicator: ${JSON.stringify(id)} (computed: ${r.definitions.map((d) => d.id).join(", ")})`);
    const def = r.definitions[i]!;
    const isRate = def.kind === "share" || def.kind === "ratio";
    values[id] = []; limited[id] = []; city[id] = [];
    if (isRate) ci[id] = [];
    for (let y = 0; y < Y; y++) {
      const row: Array<number | string> = [], lim: number[] = [], ints: Array<number | null> = [];
      areaOrder.forEach((areaId, j) => {
        const a = areaIndex.get(areaId);
        if (a === undefined) { row.push("."); if (isRate) ints.push(null, null); return; }
        const k = (i * A + a) * Y + y;
        const v = r.value[k]!;
        const sym = p.symbol[k];
        if (p.suppressed[k] || !Number.isFinite(v) || (sym && sym !== "()")) {
          row.push(p.suppressed[k] || sym ? hiddenSymbol(p, k) : ".");
          if (isRate) ints.push(null, null);
          return;
        }
        row.push(round(v, def.digits));
        if (sym === "()") lim.push(j);
        if (isRate) {
          const lo = p.lo[k]!, hi = p.hi[k]!;
          if (Number.isFinite(lo) && Number.isFinite(hi)) ints.push(round(lo, def.digits), round(hi, def.digits));
          else ints.push(null, null);
        }
      });
      values[id].push(row);
      limited[id].push(lim);
      if (isRate) ci[id]!.push(ints);
      const c = r.reference.value[i * Y + y]!;
      city[id].push(Number.isFinite(c) ? round(c, def.digits) : null);
    }
  }
  return { values, limited, ci, city };
}

/**
 * Parses one `data/<system>.js` file (see the module documentation).
 *
 * @example
 * const d = parseSystemDataScript(readFileSync("outputs/atlas/data/statbez.js", "utf8"));
 * d.values.child_poverty[5][0]; // 22.6 or "."
 */
export function parseSystemDataScript(text: string): AtlasSystemData {
  if (!text.startsWith(DATA_PREFIX)) throw new Error("invalid atlas data file: unexpected start");
  const eq = text.indexOf("] = ", DATA_PREFIX.length);
  if (eq < 0 || !text.endsWith(";\n")) throw new Error("invalid atlas data file: unexpected layout");
  return JSON.parse(text.slice(eq + 4, -2)) as AtlasSystemData;
}

/**
 * Reads the manifest inline in an atlas `index.html`.
 *
 * @example
 * parseAtlasManifest(readFileSync("outputs/atlas/index.html", "utf8")).systems.map((s) => s.id); // ["stbz", "statbez", "bbg", "quartier"]
 */
export function parseAtlasManifest(html: string): AtlasManifest {
  const m = /<script type="application\/json" id="kr-atlas-manifest">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error("invalid atlas index.html: no manifest script");
  return JSON.parse(m[1]!) as AtlasManifest;
}

function listFiles(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, base));
    else out.push(path.relative(base, p));
  }
  return out.sort();
}

/**
 * Reads an atlas folder written by `buildAtlas` back: the manifest, every system's data file,
 * and one flat list of cells — per system, indicator, year and area the published value or the
 * symbol of the hidden cell (never both), with the published interval. For the output attack
 * test: every cell can be compared with the protection of `protectedIndicatorsFor`.
 *
 * @example
 * const atlas = readAtlasData("outputs/atlas");
 * atlas.krProtection; // "geschuetzt"
 * atlas.cells.filter((c) => c.symbol === ".").every((c) => c.value === undefined); // true
 */
export function readAtlasData(dir: string): AtlasData {
  const manifest = parseAtlasManifest(readFileSync(path.join(dir, "index.html"), "utf8"));
  const systems = new Map<string, AtlasSystemData>();
  const cells: AtlasCell[] = [];
  for (const s of manifest.systems) {
    const data = parseSystemDataScript(readFileSync(path.join(dir, s.file), "utf8"));
    if (data.krProtection !== ATLAS_PROTECTION) throw new Error(`atlas data ${s.file} is not marked krProtection: "${ATLAS_PROTECTION}"`);
    systems.set(s.id, data);
    for (const ind of data.indicators) {
      data.years.forEach((year, y) => {
        const lim = new Set(data.limited[ind]?.[y] ?? []);
        const ints = data.ci[ind]?.[y];
        data.areas.forEach((area, a) => {
          const v = data.values[ind]![y]![a]!;
          const cell: AtlasCell = { system: s.id, indicator: ind, year, area: area.id };
          if (typeof v === "number") {
            cell.value = v;
            if (lim.has(a)) cell.symbol = "()";
            const lo = ints?.[2 * a], hi = ints?.[2 * a + 1];
            if (typeof lo === "number" && typeof hi === "number") { cell.lo = lo; cell.hi = hi; }
          } else cell.symbol = v;
          cells.push(cell);
        });
      });
    }
  }
  return {
    krProtection: manifest.krProtection, manifest, systems, cells,
    downloads: listFiles(path.join(dir, "downloads")).map((f) => path.join("downloads", f)),
    profiles: listFiles(path.join(dir, "profile")).map((f) => path.join("profile", f)),
  };
}
