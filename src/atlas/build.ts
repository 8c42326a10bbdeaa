/**
 * The public "Demografie- und Sozialatlas": a self-contained static site (no CDN, no server
 * code, opens from `file://`) exported from a loaded dataset with {@link buildAtlas}.
 *
 * What a user can do on it: choose area system, indicator and year (map, legend, ranking and
 * downloads follow), hover or focus an area for its value, click an area on the map or choose
 * it in the ranking (keyboard path) to see its value, interval, the city value and a time
 * series against the city, open the area's profile page (with a back link restoring the
 * selection), download the shown system × indicator as CSV (and XLSX where the export core is
 * present) for all years, read source, reference date, definitions and the suppression rules.
 *
 * Only published values reach the site: every cell comes from `protectedIndicatorsFor`
 * (nested systems) or `indicatorsVia(…).protected` (life-situation systems), see `data.ts`.
 */
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from "fs";
import * as path from "path";
import type { MultiPolygon, Polygon, Position } from "geojson";
import type { Dataset } from "../project/config";
import { outputRoot } from "../project/paths";
import { mainSystem, reportingSystems } from "../project/overview";
import { protectedIndicatorsFor } from "../protect/dataset";
import { protectedTable, tableCsv, type PublishedTable } from "../protect/tables";
import { describeRules } from "../protect/rules";
import { symbolFootnotes, type TableSymbol } from "../protect/symbols";
import type { ProtectedIndicators } from "../protect/apply";
import { indicatorsVia } from "../areas/compare";
import { classifyPooled } from "../explore/classify";
import { escapeHtml } from "../present/format";
import { safeFileName, writeFileAtomic } from "../export/files";
import type { AreaFeature } from "../load/geometry";
import { ATLAS_CSS, ATLAS_JS } from "./assets";
import { ATLAS_PROTECTION, publishedCells, scriptJson, systemDataScript, type AtlasIndicator, type AtlasManifest, type AtlasSystemData } from "./data";
import { atlasProfileHtml } from "./profile";
import { areaProfileHtml } from "../export/profile";
import { datasetProvenance } from "../export/provenance";
import { tableXlsx } from "../export/xlsx";

/** Options of {@link buildAtlas}. */
export interface AtlasOptions {
  /** Output folder (default `<outputs>/atlas`, see `outputRoot`). An earlier atlas there is replaced; a non-empty folder holding anything else is refused. */
  outDir?: string;
  /** Area systems (default: every system with statistics or reachable by crosswalk, coarse to fine). */
  systems?: string[];
  /** Indicator ids (default: every indicator the data supports). */
  indicators?: string[];
  /** System shown first (default `mainSystem(ds)`). */
  defaultSystem?: string;
  /** Indicator shown first (default `child_poverty` where available, else the first share). */
  defaultIndicator?: string;
  /** Title (default `Demografie- und Sozialatlas <dataset name>`). */
  title?: string;
  /**
   * Profile pages: `"all"` (default) for every area of every system, `"none"`, or a number N:
   * only systems with at most N areas.
   */
  profiles?: "all" | "none" | number;
  /** XLSX downloads beside CSV (`tableXlsx`, default true). */
  xlsx?: boolean;
  /**
   * Profile pages from the export core's `areaProfileHtml` (`"export"`, default: the full A4
   * Stadtteilsteckbrief, ≈ 50–70 KB per page) or the atlas's own compact table page
   * (`"atlas"`, ≈ 6 KB, built from the atlas data only). A system the export core cannot
   * profile falls back to the atlas page.
   */
  profileSource?: "export" | "atlas";
}

/** What {@link buildAtlas} wrote. */
export interface AtlasBuildResult {
  dir: string;
  /** Path of `index.html`. */
  index: string;
  systems: { id: string; label: string; areas: number; years: number[]; via: boolean; ms: number }[];
  /** Number of files and their total size in bytes. */
  files: number;
  bytes: number;
  /** Bytes `index.html` loads for the first map: the page, `atlas.css`, `atlas.js`, the default system's data. */
  initialBytes: number;
  profiles: number;
  /** Time spent writing profile pages (ms). */
  profileMs: number;
  /** Which profile generator wrote the profile pages. */
  profileSource: "areaProfileHtml" | "atlas";
  xlsx: boolean;
  ms: number;
}

type Ring = Position[];

function polygonsOf(g: Polygon | MultiPolygon): Ring[][] {
  return g.type === "Polygon" ? [g.coordinates] : g.coordinates;
}

/** Douglas–Peucker on an open chain of points (already in output units). */
function simplify(pts: number[][], tol: number): number[][] {
  if (pts.length <= 4) return pts;
  const keep = new Uint8Array(pts.length);
  keep[0] = 1; keep[pts.length - 1] = 1;
  let far = 0, best = -1;
  for (let i = 1; i < pts.length - 1; i++) {
    const d = (pts[i]![0]! - pts[0]![0]!) ** 2 + (pts[i]![1]! - pts[0]![1]!) ** 2;
    if (d > best) { best = d; far = i; }
  }
  keep[far] = 1;
  const stack: [number, number][] = [[0, far], [far, pts.length - 1]];
  const tol2 = tol * tol;
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const ax = pts[a]![0]!, ay = pts[a]![1]!, dx = pts[b]![0]! - ax, dy = pts[b]![1]! - ay, len2 = dx * dx + dy * dy;
    let idx = -1, max = tol2;
    for (let i = a + 1; i < b; i++) {
      const px = pts[i]![0]! - ax, py = pts[i]![1]! - ay;
      const t = len2 > 0 ? Math.max(0, Math.min(1, (px * dx + py * dy) / len2)) : 0;
      const d = (px - t * dx) ** 2 + (py - t * dy) ** 2;
      if (d > max) { max = d; idx = i; }
    }
    if (idx >= 0) { keep[idx] = 1; stack.push([a, idx], [idx, b]); }
  }
  return pts.filter((_, i) => keep[i]);
}

/** The map frame shared by all systems: projected bounding box → `0 0 W H` (y down). */
interface Frame { x0: number; y1: number; s: number; W: number; H: number }

function frameOf(features: readonly AreaFeature[], width = 4000): Frame {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const f of features) for (const p of polygonsOf(f.projected as Polygon | MultiPolygon)) for (const q of p[0] ?? []) {
    if (q[0]! < x0) x0 = q[0]!; if (q[0]! > x1) x1 = q[0]!; if (q[1]! < y0) y0 = q[1]!; if (q[1]! > y1) y1 = q[1]!;
  }
  if (!Number.isFinite(x0)) return { x0: 0, y1: 0, s: 1, W: width, H: width };
  const s = width / Math.max(x1 - x0, y1 - y0);
  return { x0, y1, s, W: Math.ceil((x1 - x0) * s), H: Math.ceil((y1 - y0) * s) };
}

/** A compact SVG path (integer coordinates in the frame, relative moves, simplified to `tol` units). */
function pathOf(g: Polygon | MultiPolygon, fr: Frame, tol = 1.5): string {
  let d = "";
  const ringPath = (ring: Ring, t: number): string => {
    const pts = simplify(ring.map((q) => [(q[0]! - fr.x0) * fr.s, (fr.y1 - q[1]!) * fr.s]), t).map((q) => [Math.round(q[0]!), Math.round(q[1]!)]);
    const out: number[][] = [];
    for (const q of pts) { const l = out[out.length - 1]; if (!l || l[0] !== q[0] || l[1] !== q[1]) out.push(q); }
    if (out.length > 1 && out[0]![0] === out[out.length - 1]![0] && out[0]![1] === out[out.length - 1]![1]) out.pop();
    if (out.length < 3) return "";
    let s = `M${out[0]![0]} ${out[0]![1]}l`;
    for (let i = 1; i < out.length; i++) {
      const dx = out[i]![0]! - out[i - 1]![0]!, dy = out[i]![1]! - out[i - 1]![1]!;
      s += `${i > 1 && dx >= 0 ? " " : ""}${dx}${dy >= 0 ? " " : ""}${dy}`;
    }
    return s + "z";
  };
  for (const poly of polygonsOf(g)) {
    for (const ring of poly) {
      let r = ringPath(ring, tol);
      if (!r && ring === poly[0]) r = ringPath(ring, 0); // tiny area: keep it visible
      d += r;
    }
  }
  return d;
}

/** A published table of one indicator on one system for all years: city first, one column per year. */
function downloadTable(p: ProtectedIndicators, indicator: string, names: ReadonlyMap<string, string>, caption: string, notes: string[]): PublishedTable {
  const years = p.result.years;
  const tables = years.map((year) => protectedTable(p, { indicators: [indicator], year, names, notes }));
  const first = tables[0]!;
  const col = first.columns[2]!;
  const rows = first.rows.map((r) => ({ "Gebiet-ID": r["Gebiet-ID"]!, Gebiet: r["Gebiet"]! } as Record<string, string | number>));
  tables.forEach((t, y) => t.rows.forEach((r, j) => { rows[j]![String(years[y])] = r[col]!; }));
  const seen = new Set<string>();
  const allNotes: string[] = [];
  for (const t of tables) for (const n of t.notes) if (!seen.has(n)) { seen.add(n); allNotes.push(n); }
  const digits: Record<string, number> = {};
  for (const y of years) digits[String(y)] = first.digits[col] ?? 1;
  return {
    rows, columns: ["Gebiet-ID", "Gebiet", ...years.map(String)], digits, caption, notes: allNotes,
    protection: tables[tables.length - 1]!.protection, system: first.system,
  };
}

function dirBytes(dir: string): { files: number; bytes: number } {
  let files = 0, bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { const s = dirBytes(p); files += s.files; bytes += s.bytes; }
    else { files++; bytes += statSync(p).size; }
  }
  return { files, bytes };
}

/** The systems an atlas can show: reporting systems (own or summed statistics), then the others reachable by crosswalk. */
function atlasSystems(ds: Dataset): string[] {
  const rep = reportingSystems(ds);
  return [...rep, ...[...ds.areaSystems.keys()].filter((s) => !rep.includes(s))];
}

/**
 * Builds the public atlas of a dataset as a static site: `index.html` (manifest inline, see
 * `data.ts`), `atlas.js`, `atlas.css`, `data/<system>.js`, `downloads/<system>-<indicator>.csv`
 * (+ `.xlsx`), `profile/<system>/<area>.html`. The folder's previous content is replaced.
 *
 * @example
 * const ds = await kr.loadDataset(kr.activeConfigPath());
 * const atlas = await kr.buildAtlas(ds);                      // → outputs/atlas/index.html
 * const small = await kr.buildAtlas(ds, { outDir: "/tmp/atlas", profiles: 100, systems: ["statbez"] });
 */
export async function buildAtlas(ds: Dataset, options: AtlasOptions = {}): Promise<AtlasBuildResult> {
  const t0 = performance.now();
  const dir = path.resolve(options.outDir ?? path.join(outputRoot(), "atlas"));
  const cfg = ds.config as Dataset["config"] & { name?: string; source?: string; referenceDate?: string };
  const cityName = cfg.name ?? cfg.id ?? "Stadt";
  const title = options.title ?? `Demografie- und Sozialatlas ${cityName}`;
  const wanted = options.systems ?? atlasSystems(ds);
  for (const s of wanted) if (!ds.areaSystems.has(s)) throw new Error(`invalid area system: ${JSON.stringify(s)} (expected one of ${[...ds.areaSystems.keys()].join(", ")})`);
  // System ids become file and folder names of the site.
  for (const s of wanted) if (!/^[A-Za-z0-9_-]+$/.test(s)) throw new Error(`invalid area system id for the atlas: ${JSON.stringify(s)} (expected letters, digits, "_" and "-")`);
  const reporting = new Set(reportingSystems(ds));

  // Protected results per system.
  const results: { id: string; p: ProtectedIndicators; via: boolean; ms: number; notes: string[] }[] = [];
  const skippedSystems: string[] = [];
  for (const s of wanted) {
    const t = performance.now();
    try {
      if (reporting.has(s)) {
        const p = protectedIndicatorsFor(ds, s, options.indicators ? { indicators: options.indicators } : {});
        results.push({ id: s, p, via: false, ms: 0, notes: [...p.notes] });
      } else {
        const v = indicatorsVia(ds, s, options.indicators ? { indicators: options.indicators } : {});
        results.push({ id: s, p: v.protected, via: true, ms: 0, notes: [`Werte für ${ds.areaSystems.get(s)!.label} aus ${ds.areaSystems.get(v.via.from)?.label ?? v.via.from} zugeordnet.`, ...v.via.notes, ...v.protected.notes] });
      }
      results[results.length - 1]!.ms = performance.now() - t;
    } catch (e) {
      if (options.systems) throw e;
      skippedSystems.push(`${ds.areaSystems.get(s)!.label}: ${(e as Error).message}`);
    }
  }
  if (!results.length) throw new Error(`no area system of the dataset can be shown: ${skippedSystems.join("; ")}`);

  const allFeatures = results.flatMap((r) => ds.areaSystems.get(r.id)!.features);
  const frame = frameOf(allFeatures);

  // Indicators (union, in catalogue order of the first system that has them).
  const indicators: AtlasIndicator[] = [];
  for (const r of results) for (const d of r.p.result.definitions) {
    if (indicators.some((x) => x.id === d.id)) continue;
    indicators.push({ id: d.id, label: d.label, unit: d.unit, digits: d.digits, kind: d.kind, topic: d.topic, definition: d.footnote, higherIsWorse: !!d.higherIsWorse, file: safeFileName(d.id) });
  }
  const defaultSystem = options.defaultSystem ?? (results.some((r) => r.id === mainSystem(ds)) ? mainSystem(ds) : results[0]!.id);
  const defaultResult = results.find((r) => r.id === defaultSystem);
  if (!defaultResult) throw new Error(`invalid defaultSystem: ${JSON.stringify(defaultSystem)} (expected one of ${results.map((r) => r.id).join(", ")})`);
  const defIds = defaultResult.p.result.definitions.map((d) => d.id);
  const defaultIndicator = options.defaultIndicator ?? (defIds.includes("child_poverty") ? "child_poverty" : defaultResult.p.result.definitions.find((d) => d.kind === "share")?.id ?? defIds[0]!);
  if (!defIds.includes(defaultIndicator)) throw new Error(`invalid defaultIndicator: ${JSON.stringify(defaultIndicator)} (expected one of ${defIds.join(", ")})`);
  const profilesFor = (n: number) => options.profiles === undefined || options.profiles === "all" ? true : options.profiles === "none" ? false : n <= options.profiles;

  // Replace an earlier atlas, but never a folder that is something else (e.g. outputs/ itself).
  if (existsSync(dir) && readdirSync(dir).length) {
    const index = path.join(dir, "index.html");
    if (!existsSync(index) || !readFileSync(index, "utf8").includes('id="kr-atlas-manifest"')) {
      throw new Error(`refusing to replace ${dir}: it is not empty and holds no atlas (index.html with the atlas manifest); choose an empty or new folder`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  const symbolsUsed = new Set<TableSymbol>();
  const systemData: AtlasSystemData[] = [];
  for (const r of results) {
    const sys = ds.areaSystems.get(r.id)!;
    const byId = new Map(sys.features.map((f) => [f.id, f]));
    const order = r.p.result.areas.filter((id) => byId.has(id));
    const used = new Set<string>();
    const areas = order.map((id) => {
      const f = byId.get(id)!;
      let file = safeFileName(id);
      while (used.has(file)) file += "-x";
      used.add(file);
      return { id, name: f.name, d: pathOf(f.projected as Polygon | MultiPolygon, frame), f: file };
    });
    const ids = r.p.result.definitions.map((d) => d.id);
    const cells = publishedCells(r.p, ids, order);
    const breaks: Record<string, number[]> = {};
    for (const id of ids) {
      const digits = r.p.result.definitions.find((d) => d.id === id)!.digits;
      const byYear: Record<string, number[]> = {};
      cells.values[id]!.forEach((row, y) => { byYear[String(r.p.result.years[y])] = row.filter((v): v is number => typeof v === "number"); });
      for (const row of cells.values[id]!) for (const v of row) if (typeof v === "string") symbolsUsed.add(v as TableSymbol);
      if (cells.limited[id]!.some((l) => l.length)) symbolsUsed.add("()");
      const n = Object.values(byYear).reduce((a, v) => a + v.length, 0);
      if (!n) { breaks[id] = []; continue; }
      const f = 10 ** digits;
      const bins = classifyPooled(byYear, { scheme: "quantiles", k: 5 }).pooled.bins.map((b) => Math.round(b * f) / f);
      breaks[id] = bins.filter((b, i) => i === 0 || b > bins[i - 1]!);
    }
    const data: AtlasSystemData = {
      krProtection: ATLAS_PROTECTION, system: r.id, label: sys.label, years: r.p.result.years, areas, indicators: ids, ...cells, breaks, notes: r.notes,
    };
    systemData.push(data);
    writeFileAtomic(path.join(dir, "data", `${r.id}.js`), systemDataScript(data));
  }

  const rules = describeRules(results[0]!.p.rules);
  const prov = datasetProvenance(ds, { results: results.map((r) => r.p) });
  const version = `kleinraum ${prov.code.commit.slice(0, 7)}${prov.code.dirty ? " (mit nicht eingecheckten Änderungen)" : ""}, Herkunfts-ID ${prov.id} (${prov.files.length} Quelldateien mit SHA-256)`;
  const years = [...new Set(results.flatMap((r) => r.p.result.years))].sort();
  const manifest: AtlasManifest = {
    krProtection: ATLAS_PROTECTION, title, city: cityName, viewBox: `0 0 ${frame.W} ${frame.H}`,
    systems: results.map((r, i) => ({
      id: r.id, label: ds.areaSystems.get(r.id)!.label, kind: ds.areaSystems.get(r.id)!.kind, areas: systemData[i]!.areas.length,
      years: r.p.result.years, file: `data/${r.id}.js`, profiles: profilesFor(systemData[i]!.areas.length),
    })),
    indicators, defaults: { system: defaultSystem, indicator: defaultIndicator, year: defaultResult.p.result.years[defaultResult.p.result.years.length - 1]! },
    downloads: { csv: true, xlsx: false, scope: "all-years" },
    provenance: {
      source: cfg.source ?? "",
      referenceDate: `31.12. der Jahre ${years[0]}–${years[years.length - 1]}`,
      rules,
      symbols: symbolFootnotes(symbolsUsed),
      notes: [
        ...new Set(results.flatMap((r) => r.notes)),
        ...skippedSystems.map((s) => `Nicht im Atlas: ${s}`),
        "Anteile und Quoten aus summierten Anzahlen berechnet, nie aus gemittelten Quoten; Stadtwerte ebenso aus den Stadtsummen.",
      ],
      version,
      built: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    },
  };

  // Downloads: per system × indicator, all years.
  const toXlsx = options.xlsx === false ? undefined : tableXlsx;
  for (const r of results) {
    const sys = ds.areaSystems.get(r.id)!;
    const names = new Map(sys.features.map((f) => [f.id, f.name]));
    for (const d of r.p.result.definitions) {
      const ys = r.p.result.years;
      const caption = `${d.kind === "count" ? d.label : `${d.label} (${d.unit})`} – ${sys.label}, ${cityName}, ${ys[0]}–${ys[ys.length - 1]}`;
      const t = downloadTable(r.p, d.id, names, caption, [...r.notes, ...((r.p as { source?: string }).source ? [] : cfg.source ? [`Quelle: ${cfg.source}`] : [])]);
      writeFileAtomic(path.join(dir, "downloads", `${r.id}-${safeFileName(d.id)}.csv`), tableCsv(t, { preamble: [caption, "Stichtag: jeweils 31.12."] }));
      if (toXlsx) writeFileAtomic(path.join(dir, "downloads", `${r.id}-${safeFileName(d.id)}.xlsx`), await toXlsx(t, { dataset: prov }));
    }
  }
  manifest.downloads.xlsx = !!toXlsx;

  // Profiles.
  const external = options.profileSource === "atlas" ? undefined : areaProfileHtml;
  const tp = performance.now();
  let profiles = 0;
  let profileSource: AtlasBuildResult["profileSource"] = external ? "areaProfileHtml" : "atlas";
  systemData.forEach((data, si) => {
    if (!manifest.systems[si]!.profiles) return;
    data.areas.forEach((area, a) => {
      const back = `../../index.html#${new URLSearchParams({ system: data.system, indicator: defaultIndicator in data.values ? defaultIndicator : data.indicators[0]!, year: String(data.years[data.years.length - 1]), area: area.id }).toString()}`;
      let html: string | undefined;
      if (external) {
        try {
          html = withBackLinkScript(external(ds, data.system, area.id, { backLink: { href: back, label: "Zurück zum Atlas" } }));
        } catch {
          html = undefined;
          profileSource = "atlas";
        }
      }
      html ??= atlasProfileHtml(manifest, data, a, { backHref: back });
      writeFileAtomic(path.join(dir, "profile", data.system, `${area.f}.html`), html);
      profiles++;
    });
  });

  writeFileAtomic(path.join(dir, "atlas.js"), ATLAS_JS);
  writeFileAtomic(path.join(dir, "atlas.css"), ATLAS_CSS);
  writeFileAtomic(path.join(dir, "index.html"), indexHtml(manifest));
  const { files, bytes } = dirBytes(dir);
  const initialBytes = ["index.html", "atlas.js", "atlas.css", `data/${defaultSystem}.js`].reduce((a, f) => a + statSync(path.join(dir, f)).size, 0);
  return {
    dir, index: path.join(dir, "index.html"),
    systems: results.map((r, i) => ({ id: r.id, label: ds.areaSystems.get(r.id)!.label, areas: systemData[i]!.areas.length, years: r.p.result.years, via: r.via, ms: Math.round(r.ms) })),
    files, bytes, initialBytes, profiles, profileMs: Math.round(performance.now() - tp), profileSource, xlsx: !!toXlsx, ms: Math.round(performance.now() - t0),
  };
}

/**
 * The script appended to each `areaProfileHtml` page: it points the back link at the atlas
 * state the page was opened from (the `#system=…&indicator=…&year=…&area=…` of its URL).
 */
export const BACK_LINK_SCRIPT =
  `<script>(function(){var h=location.hash;if(!/^#system=/.test(h))return;var a=document.querySelectorAll('a[href^="../../index.html"]');for(var i=0;i<a.length;i++)a[i].setAttribute("href","../../index.html"+h);})();</script>`;

function withBackLinkScript(html: string): string {
  return html.includes("</body>") ? html.replace("</body>", `${BACK_LINK_SCRIPT}</body>`) : html + BACK_LINK_SCRIPT;
}

function indexHtml(m: AtlasManifest): string {
  const e = escapeHtml;
  const defs = m.indicators.map((d) => `<li>${e(d.definition)}</li>`).join("");
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="kr-protection" content="${ATLAS_PROTECTION}">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'">
<title>${e(m.title)}</title>
<meta name="description" content="${e(`${m.title}: Karte, Rangliste und Zeitreihen kleinräumiger Indikatoren`)}">
<link rel="stylesheet" href="atlas.css">
<script type="application/json" id="kr-atlas-manifest">${scriptJson(m)}</script>
</head>
<body data-kr-protection="${ATLAS_PROTECTION}">
<a class="skip" href="#rangliste">Zur Rangliste (Textfassung der Karte) springen</a>
<header>
<h1>${e(m.title)}</h1>
<p>Kleinräumige Indikatoren zu Bevölkerung und sozialer Lage – Karte, Rangliste, Zeitreihen und Gebietsprofile. Alle Werte sind gegen kleine Fallzahlen geschützt.</p>
</header>
<main>
<form id="steuerung" aria-label="Auswahl von Gebietssystem, Indikator und Jahr">
<label for="sel-system">Gebietssystem <select id="sel-system"></select></label>
<label for="sel-indicator">Indikator <select id="sel-indicator"></select></label>
<label for="sel-year">Jahr <select id="sel-year"></select></label>
<div class="downloads"><a id="dl-csv" href="#">Tabelle als CSV</a><a id="dl-xlsx" href="#" hidden>als XLSX</a></div>
<p id="status" role="status" aria-live="polite"></p>
</form>
<section class="karte" aria-labelledby="karte-titel">
<h2 id="karte-titel">Karte</h2>
<div class="map-wrap">
<svg id="kr-map" viewBox="${e(m.viewBox)}" role="img" aria-label="Karte" preserveAspectRatio="xMidYMid meet">
<defs>
<pattern id="kr-hatch" patternUnits="userSpaceOnUse" width="24" height="24" patternTransform="rotate(45)"><rect width="24" height="24" fill="#e0e0e0"/><rect width="9" height="24" fill="#9e9e9e"/></pattern>
<pattern id="kr-hatch-light" patternUnits="userSpaceOnUse" width="28" height="28" patternTransform="rotate(-45)"><rect width="28" height="28" fill="#f5f5f5"/><rect width="8" height="28" fill="#bdbdbd"/></pattern>
</defs>
<g id="kr-areas"></g>
<path id="kr-selected" d=""/>
</svg>
</div>
<div id="hover" class="hover" aria-hidden="true"></div>
<div id="legende" class="legend"></div>
<p class="hint">Gebiet anklicken: Werte, Zeitreihe und Gebietsprofil. Mit der Tastatur: Gebiet in der Rangliste wählen (Tab, Eingabetaste). Die Rangliste ist die Textfassung der Karte.</p>
</section>
<section class="detail" id="detail" aria-labelledby="detail-titel">
<h2 id="detail-titel">Ausgewähltes Gebiet</h2>
<div id="detail-body" aria-live="polite"></div>
</section>
<section id="rangliste" aria-labelledby="rang-titel">
<h2 id="rang-titel">Rangliste</h2>
<p id="rang-stadt" class="muted"></p>
<div class="table-wrap"><table id="rang"><thead id="rang-head"></thead><tbody id="rang-body"></tbody></table></div>
</section>
</main>
<footer id="herkunft">
<h2>Quelle und Erläuterungen</h2>
<p><strong>Quelle:</strong> ${e(m.provenance.source)}</p>
<p><strong>Stichtag:</strong> ${e(m.provenance.referenceDate)}</p>
<p><strong>Geheimhaltung:</strong> ${e(m.provenance.rules)}</p>
${m.provenance.symbols.length ? `<p><strong>Zeichenerklärung:</strong></p><ul>${m.provenance.symbols.map((s) => `<li>${e(s)}</li>`).join("")}</ul>` : ""}
<details><summary>Definitionen der Indikatoren</summary><ul>${defs}</ul></details>
${m.provenance.notes.length ? `<ul>${m.provenance.notes.map((n) => `<li>${e(n)}</li>`).join("")}</ul>` : ""}
<p>Tabellen zum Herunterladen: gewähltes Gebietssystem und gewählter Indikator, alle Jahre (CSV für deutsches Excel: Semikolon, Dezimalkomma, UTF-8${m.downloads.xlsx ? "; XLSX" : ""}), mit denselben Zeichen und Fußnoten.</p>
<p class="muted">Erstellt ${e(m.provenance.built)} mit ${e(m.provenance.version)}. Statische Seite ohne Server und ohne externe Dienste.</p>
</footer>
<script src="atlas.js"></script>
</body>
</html>
`;
}
