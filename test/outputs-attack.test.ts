/**
 * Attack on everything the notebooks publish: every notebook runs on the default dataset into
 * a temporary output folder, then every artefact is read back as an outsider would — CSV
 * tables, SVG maps (fills, hover `<title>` texts, legend), text files, and the executed notebook
 * (HTML and ipynb, with their inline tables and maps) — and checked against the protection of
 * the same data:
 *
 * (a) no cell that protection hides shows a value where it is published (value, change,
 *     difference, rank, interval, base; map hover texts; the reliability sentence), and ranks
 *     are counted over published values only;
 * (b) no count 1–2 of a protected count variable appears in a published count column;
 * (c) no hidden cell is recoverable from the published count tables: the published count
 *     columns of all tables and levels are joined and attacked with `auditTable` over the
 *     hierarchy (city = Σ districts = Σ statistical districts = Σ block groups) and the
 *     quarters made of whole block groups (quarter = Σ its block groups). Changes over years
 *     are hidden whenever either year is (checked in (a)), so they add no relation.
 *
 * Negative controls show the attack can fail: the same tables written with protection
 * disabled, and with primary suppression only, are caught.
 *
 * Both run on the bundled Musterstadt and on Berlin (LOR 2021 plr → bzr → pgr nested by id
 * prefix, LOR 2006 plr2006 on its own; skipped when ../shared/data is absent); the truth is
 * always the protection of the dataset the notebooks ran on.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { execFileSync } from "node:child_process";
import ExcelJS from "exceljs";
import * as path from "node:path";
import { test } from "node:test";
import { describeFailure, listNotebooks, runNotebooks } from "../scripts/lib/runner";
import { ROOT } from "../scripts/lib/jupyter-env";
import { loadDataset, type Dataset } from "../src/project/config";
import { resultIndex } from "../src/indicators/compute";
import { columnLabel, measureLabel, topicIndicators } from "../src/indicators/tables";
import { jointCountProtection, protectedIndicatorsFor, type ProtectedIndicatorsForOptions, type ProtectedResult } from "../src/protect/dataset";
import { resolveRules, rulesFromConfig } from "../src/protect/rules";
import { indicatorsVia } from "../src/areas/compare";
import { protectedTable, tableCsv } from "../src/protect/tables";
import { auditTable, type Relation } from "../src/protect/suppress";
import { formatNumber } from "../src/present/format";
import { pdfProtection } from "../src/export/embed";
import { readAtlasData } from "../src/atlas/data";
import { tableXlsx } from "../src/export/xlsx";

const CONFIG = path.join(ROOT, "data", "musterstadt", "dataset.json");
const SYMBOLS = new Set([".", "/", "x", "–", ""]);

// --- reading artefacts ----------------------------------------------------------------------

interface Table { where: string; header: string[]; rows: string[][]; year?: number; system?: string; html: boolean }
interface MapSvg { where: string; indicator: string; year: number; measure: string; system: string; protection: string; titles: Map<string, string>; classCounts: number }

function csvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "", q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (q) { if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') q = false; else cur += ch; }
    else if (ch === '"') q = true;
    else if (ch === ";") { out.push(cur); cur = ""; }
    else cur += ch;
  }
  out.push(cur);
  return out;
}

function parseCsv(text: string, where: string): Table | undefined {
  const lines = text.replace(/^\uFEFF/, "").split("\r\n");
  const h = lines.findIndex((l) => csvLine(l)[0] === "Gebiet-ID");
  if (h < 0) return undefined;
  const header = csvLine(lines[h]!);
  const rows: string[][] = [];
  for (const l of lines.slice(h + 1)) { const c = csvLine(l); if (c.length !== header.length) break; rows.push(c); }
  const year = /Stichtag: 31\.12\.(\d{4})/.exec(lines.slice(0, h).join("\n"))?.[1];
  return { where, header, rows, year: year ? Number(year) : undefined, html: false };
}

const unescape = (s: string) => s.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&").trim();

function parseHtmlTables(html: string, where: string): { tables: Table[]; unprotectedAreaTables: number } {
  const tables: Table[] = [];
  let unprotectedAreaTables = 0;
  const re = /<div class="kr-published" ([^>]*)>([\s\S]*?<\/table>)/g;
  for (const m of html.matchAll(re)) {
    const attrs = m[1]!;
    const header = [...m[2]!.matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g)].map((x) => unescape(x[1]!));
    const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(m[2]!)?.[1] ?? "";
    const rows = [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((tr) => [...tr[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((x) => unescape(x[1]!)));
    const year = /data-kr-year="(\d+)"/.exec(attrs)?.[1];
    tables.push({ where, header, rows, year: year ? Number(year) : undefined, system: /data-kr-system="([^"]+)"/.exec(attrs)?.[1], html: true });
    // Explicitly unprotected tables (with their reason) are attacked like all others.
  }
  // Any table with area ids that is not a published table (protected, or unprotected with a reason).
  const all = (html.match(/<th[^>]*>Gebiet-ID<\/th>/g) ?? []).length;
  unprotectedAreaTables += all - tables.filter((t) => t.header.includes("Gebiet-ID")).length;
  return { tables, unprotectedAreaTables };
}

function parseSvgs(text: string, where: string): MapSvg[] {
  const out: MapSvg[] = [];
  for (const m of text.matchAll(/<svg [^>]*>[\s\S]*?<\/svg>/g)) {
    const svg = m[0];
    const attr = (k: string) => new RegExp(`${k}="([^"]*)"`).exec(svg.slice(0, svg.indexOf(">")))?.[1] ?? "";
    const titles = new Map<string, string>();
    for (const t of svg.matchAll(/<title>([^<]*)<\/title>/g)) {
      const tm = /\(([^()]+)\): (.*)$/.exec(unescape(t[1]!));
      if (tm) titles.set(tm[1]!, tm[2]!);
    }
    // Icons and other drawings (e.g. the toolbar of an interactive plotly figure) are no maps.
    if (!/^<svg [^>]*data-kr-/.test(svg) && !titles.size) continue;
    let classCounts = 0;
    for (const l of svg.matchAll(/>([^<]* bis [^<]*) \((\d+)\)<\/text>/g)) classCounts += Number(l[2]);
    out.push({ where, indicator: attr("data-kr-indicator"), year: Number(attr("data-kr-year")), measure: attr("data-kr-measure"), system: attr("data-kr-system"), protection: attr("data-kr-protection"), titles, classCounts });
  }
  return out;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out); else out.push(p);
  }
  return out;
}

interface Artefacts {
  tables: Table[]; maps: MapSvg[]; texts: { where: string; text: string }[]; csvWithoutRules: string[]; unprotectedAreaTables: string[];
  /** Hidden sheets, rows or columns in XLSX files, and workbooks without the protection note. */
  xlsxProblems: string[];
  /** Binary figures (PNG, PDF) without a protection mark. */
  unmarkedFigures: string[];
  /** Files read, by extension. */
  kinds: Record<string, number>;
  /** Folders holding a static atlas (index.html with the atlas manifest); its data is attacked via {@link atlasTables}. */
  atlases: string[];
}

/** A spreadsheet cell as a reader sees it (numbers as CSV would show them). */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return String(v).replace(".", ",");
  if (typeof v === "object" && "richText" in v) return v.richText.map((t) => t.text).join("");
  if (typeof v === "object" && "formula" in v) return `=${v.formula}`;
  if (typeof v === "object" && "result" in v) return cellText(v.result as ExcelJS.CellValue);
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/**
 * Reads every sheet of a workbook like an outsider: visible or not, every row and column. Tables
 * are found by their `Gebiet-ID` header; hidden sheets, rows and columns are reported (nothing
 * may hide there), as are workbooks that do not name their protection.
 */
async function readXlsx(file: string, where: string, a: Artefacts): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  let allText = "";
  wb.eachSheet((ws) => {
    if (ws.state !== "visible") a.xlsxProblems.push(`${where}: sheet "${ws.name}" is ${ws.state}`);
    const lines: string[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      if (row.hidden) a.xlsxProblems.push(`${where}: sheet "${ws.name}" row ${n} is hidden`);
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (c, col) => { cells[col - 1] = cellText(c.value); });
      lines[n - 1] = Array.from(cells, (c) => c ?? "");
    });
    for (let c = 1; c <= ws.columnCount; c++) if (ws.getColumn(c).hidden) a.xlsxProblems.push(`${where}: sheet "${ws.name}" column ${c} is hidden`);
    allText += lines.map((l) => (l ?? []).join(";")).join("\n");
    const h = lines.findIndex((l) => l?.[0] === "Gebiet-ID");
    if (h < 0) return;
    const header = lines[h]!;
    const rows: string[][] = [];
    for (const l of lines.slice(h + 1)) { if (!l || !l[0] && !l[1]) break; rows.push(header.map((_, i) => l[i] ?? "")); }
    const year = /Stichtag:? 31\.12\.(\d{4})/.exec(lines.slice(0, h).map((l) => (l ?? []).join(" ")).join("\n"))?.[1];
    a.tables.push({ where: `${where} [${ws.name}]`, header, rows, year: year ? Number(year) : undefined, html: false });
  });
  if (!/Geheimhaltung|Ohne Geheimhaltungsschutz/.test(allText)) a.xlsxProblems.push(`${where}: no protection note (Geheimhaltung …) in any sheet`);
}

/** Text chunks (tEXt, iTXt) of a PNG. */
function pngText(buf: Buffer): string {
  let out = "";
  for (let at = 8; at + 8 <= buf.length;) {
    const len = buf.readUInt32BE(at), type = buf.toString("latin1", at + 4, at + 8);
    if (type === "tEXt" || type === "iTXt") out += buf.toString("utf8", at + 8, at + 8 + len).replace(/\0/g, "=") + "\n";
    at += 12 + len;
  }
  return out;
}

async function readArtefacts(dir: string): Promise<Artefacts> {
  const a: Artefacts = { tables: [], maps: [], texts: [], csvWithoutRules: [], unprotectedAreaTables: [], xlsxProblems: [], unmarkedFigures: [], kinds: {}, atlases: [] };
  for (const f of walk(dir)) {
    const where = path.relative(dir, f);
    const ext = path.extname(f).toLowerCase();
    a.kinds[ext] = (a.kinds[ext] ?? 0) + 1;
    if (ext === ".xlsx") { await readXlsx(f, where, a); continue; }
    if (ext === ".png") {
      if (!/protection=(geschuetzt|ohne-schutz)/.test(pngText(readFileSync(f)))) a.unmarkedFigures.push(where);
      continue;
    }
    if (ext === ".pdf") {
      if (!pdfProtection(readFileSync(f))) a.unmarkedFigures.push(where);
      a.texts.push({ where, text: execFileSync("pdftotext", ["-layout", f, "-"], { encoding: "utf8" }) });
      continue;
    }
    const text = readFileSync(f, "utf8");
    if (path.basename(f) === "index.html" && text.includes('id="kr-atlas-manifest"')) { a.atlases.push(path.dirname(f)); continue; }
    if (f.endsWith(".csv")) {
      const t = parseCsv(text, where);
      if (t) a.tables.push(t);
      if (!/^"?Geheimhaltung \(/m.test(text)) a.csvWithoutRules.push(where);
    } else if (f.endsWith(".svg")) a.maps.push(...parseSvgs(text, where));
    else if (f.endsWith(".txt")) a.texts.push({ where, text });
    else if (f.endsWith(".html") && !f.endsWith("index.html")) {
      const h = parseHtmlTables(text, where);
      a.tables.push(...h.tables);
      if (h.unprotectedAreaTables) a.unprotectedAreaTables.push(where);
      a.maps.push(...parseSvgs(text, where));
    } else if (f.endsWith(".ipynb")) {
      const nb = JSON.parse(text) as { cells: { outputs?: { data?: Record<string, string | string[]>; text?: string | string[] }[] }[] };
      nb.cells.forEach((c, ci) => (c.outputs ?? []).forEach((o) => {
        const html = o.data?.["text/html"];
        const s = Array.isArray(html) ? html.join("") : html;
        if (!s) return;
        const h = parseHtmlTables(s, `${where} cell ${ci + 1}`);
        a.tables.push(...h.tables);
        if (h.unprotectedAreaTables) a.unprotectedAreaTables.push(`${where} cell ${ci + 1}`);
        a.maps.push(...parseSvgs(s, `${where} cell ${ci + 1}`));
      }));
    }
  }
  return a;
}

/**
 * The atlas' published data as tables (one per system and year, the atlas' own cell values
 * written as a CSV would show them), so the attack treats them like every other table.
 */
function atlasTables(dir: string, truth: Truth): Table[] {
  const atlas = readAtlasData(dir);
  assert.equal(atlas.krProtection, "geschuetzt", `${dir}: atlas not marked as protected`);
  const out: Table[] = [];
  for (const [system, data] of atlas.systems) {
    const defs = truth.of(system).result.definitions;
    const cols = data.indicators.map((id) => defs.find((d) => d.id === id)).filter((d): d is NonNullable<typeof d> => !!d);
    data.years.forEach((year, y) => {
      const rows = data.areas.map((area, a) => [area.id, ...cols.map((d) => {
        const v = data.values[d.id]![y]![a]!;
        return typeof v === "number" ? String(v).replace(".", ",") : v;
      })]);
      out.push({ where: `${path.basename(dir)}/${data.system} ${year}`, header: ["Gebiet-ID", ...cols.map((d) => columnLabel(d))], rows, year, system, html: false });
    });
  }
  return out;
}

// --- the truth: what protection hides ----------------------------------------------------------

class Truth {
  private cache = new Map<string, ProtectedResult>();
  /** `rules`: the protection the outputs were made with (default: the dataset's own rules, as the notebooks use). */
  constructor(readonly ds: Dataset, readonly rules?: ProtectedIndicatorsForOptions["rules"]) {}
  /** The protection of a system: nested systems as the notebooks compute it; others (life-situation areas) by crosswalk. */
  of(system: string): ProtectedResult {
    let p = this.cache.get(system);
    if (!p) {
      try {
        p = protectedIndicatorsFor(this.ds, system, this.rules === undefined ? {} : { rules: this.rules });
      } catch {
        // Life-situation areas: carried over by crosswalk; quarters made of whole finest areas
        // share the joint count protection of the hierarchy (their rows are in its table).
        const v = indicatorsVia(this.ds, system);
        const joint = jointCountProtection(this.ds, v.via.from, this.rules === undefined ? rulesFromConfig(this.ds.config) : resolveRules(this.rules));
        p = { ...v.protected, system, names: new Map(), countProtection: joint.overlays.has(system) ? joint : (undefined as never), inputHidden: v.protected.suppressed };
      }
      this.cache.set(system, p);
    }
    return p;
  }
  /**
   * The system whose areas include all ids (the coarsest such). Systems can share ids (Berlin's
   * LOR 2021 and LOR 2006 planning areas both have 8-digit ids): then the one with values in `year`.
   */
  systemOf(ids: string[], year?: number): string | undefined {
    const all = [...this.ds.areaSystems.values()].filter((s) => { const own = new Set(s.features.map((f) => f.id)); return ids.every((id) => own.has(id)); })
      .sort((a, b) => a.features.length - b.features.length).map((s) => s.id);
    if (all.length < 2 || year === undefined) return all[0];
    const withYear = all.filter((s) => {
      try {
        const r = this.of(s).result, y = r.years.indexOf(year);
        return y >= 0 && r.areas.some((_, a) => r.definitions.some((_, i) => Number.isFinite(r.value[resultIndex(r, i, a, y)]!)));
      } catch { return false; }
    });
    return withYear[0] ?? all[0];
  }
}

const germanNumber = (s: string, html: boolean): number => {
  const t = s.replace(/^\((.*)\)$/, "$1");
  const ok = html ? /^-?\d{1,3}(\.\d{3})*(,\d+)?$/.test(t) : /^-?\d+(,\d+)?$/.test(t);
  return ok ? Number(t.replace(html ? /\./g : /$^/, "").replace(",", ".")) : NaN;
};

const PROFILE_COLUMNS = new Set(["Gebiet-ID", "Indikator", "Wert", "95-%-KI", "Stadt", "Abstand zur Stadt", "Vergleich mit der Stadt"]);

/** Attacks a table with one indicator per row (area profiles): every cell against the protection of its area. */
function attackIndicatorRows(t: Table, system: string, p: ProtectedResult, truth: Truth, f: Findings, publishCount: (id: string, year: number, key: string, v: number) => void): void {
  const r = p.result;
  const col = (h: string) => t.header.indexOf(h);
  const year = t.year ?? r.years[r.years.length - 1]!;
  const y = r.years.indexOf(year);
  if (y < 0) return;
  // The parent district's column: its header is the parent's name (with a footnote mark).
  const parentCols = t.header.map((h, c) => ({ h: h.replace(/[¹²³⁴⁵⁶⁷⁸⁹⁰*]+$/, "").trim(), c })).filter((x) => !PROFILE_COLUMNS.has(t.header[x.c]!));
  for (const row of t.rows) {
    const id = row[col("Gebiet-ID")]!;
    const i = r.definitions.findIndex((d) => columnLabel(d) === row[col("Indikator")]);
    const a = r.areas.indexOf(id);
    if (i < 0 || a < 0) continue;
    const def = r.definitions[i]!;
    const k = resultIndex(r, i, a, y);
    const hidden = !!p.suppressed[k];
    for (const [h, kind] of [["Wert", "value"], ["95-%-KI", "interval"], ["Abstand zur Stadt", "difference"], ["Vergleich mit der Stadt", "significance"]] as const) {
      const c = col(h);
      if (c < 0) continue;
      const text = row[c] ?? "";
      f.checkedCells++;
      if (hidden) {
        f.checkedHidden++;
        if (!SYMBOLS.has(text) && !(kind === "significance" && !/signifikant|Unterschied/.test(text))) f.leaks.push(`${t.where}: ${def.id} ${kind} of ${id} ${year} is hidden but shows ${JSON.stringify(text)}`);
      }
      if (kind === "value") {
        const v = germanNumber(text, t.html);
        if (def.kind === "count") {
          const rule = p.rules.variables[def.numeratorVariables[0]!] ?? p.rules.counts;
          if (v >= 1 && v < rule.threshold) f.smallCounts.push(`${t.where}: ${def.id} of ${id} ${year} = ${text}`);
          publishCount(def.id, year, `${system}|${id}`, v);
        }
      }
    }
    // The parent's value: find the area by name in the other systems and check it there.
    for (const { h, c } of parentCols) {
      for (const s of truth.ds.areaSystems.keys()) {
        if (s === system) continue;
        let q: ProtectedResult;
        try { q = truth.of(s); } catch { continue; }
        const pa = [...q.names].find(([, name]) => name === h)?.[0];
        const qi = q.result.definitions.findIndex((d) => d.id === def.id), qy = q.result.years.indexOf(year);
        if (!pa || qi < 0 || qy < 0) continue;
        const qk = resultIndex(q.result, qi, q.result.areas.indexOf(pa), qy);
        const text = row[c] ?? "";
        f.checkedCells++;
        if (q.suppressed[qk]) {
          f.checkedHidden++;
          if (!SYMBOLS.has(text)) f.leaks.push(`${t.where}: ${def.id} of parent ${pa} (${s}) ${year} is hidden but shows ${JSON.stringify(text)}`);
        }
        if (def.kind === "count") publishCount(def.id, year, `${s}|${pa}`, germanNumber(text, t.html));
        break;
      }
    }
  }
}

interface Findings { leaks: string[]; smallCounts: string[]; recovered: string[]; checkedHidden: number; checkedCells: number; uncheckedMaps: string[] }

function attack(a: Artefacts, truth: Truth): Findings {
  const f: Findings = { leaks: [], smallCounts: [], recovered: [], checkedHidden: 0, checkedCells: 0, uncheckedMaps: [] };
  // Published count cells for (c): indicator → year → "system|area" → value (NaN = symbol)
  const counts = new Map<string, Map<number, Map<string, number>>>();
  const publishCount = (id: string, year: number, key: string, v: number) => {
    let byYear = counts.get(id); if (!byYear) counts.set(id, (byYear = new Map()));
    let cells = byYear.get(year); if (!cells) byYear.set(year, (cells = new Map()));
    if (!cells.has(key) || Number.isNaN(cells.get(key)!)) cells.set(key, v);
  };
  for (const t of a.tables) {
    const idCol = t.header.indexOf("Gebiet-ID");
    const ids = t.rows.map((r) => r[idCol]!).filter(Boolean);
    const yearCol = t.header.indexOf("Jahr");
    const firstYear = yearCol >= 0 ? Number(t.rows[0]?.[yearCol]) : t.year;
    const system = t.system ?? truth.systemOf(ids, firstYear);
    if (!system || !ids.length) continue;
    const p = truth.of(system);
    const r = p.result;
    // Profile tables: one indicator per row ("Indikator" = the column label), value, interval,
    // the parent district's value (header = its name) and the distance to the city.
    if (t.header.includes("Indikator") && t.header.includes("Wert")) {
      attackIndicatorRows(t, system, p, truth, f, publishCount);
      continue;
    }
    const single = r.definitions.filter((d) => t.header.includes(columnLabel(d)));
    const isDetail = single.length === 1 && (t.header.includes("Rang") || yearCol >= 0 || t.header.includes("KI unten"));
    // column → [indicator index, measure]
    const cols: { c: number; i: number; measure: string }[] = [];
    t.header.forEach((h, c) => r.definitions.forEach((d, i) => {
      if (h === columnLabel(d)) cols.push({ c, i, measure: "value" });
      for (const m of ["change", "difference", "rank"] as const) if (h === measureLabel(d, m)) cols.push({ c, i, measure: m });
    }));
    if (isDetail) {
      const i = r.definitions.indexOf(single[0]!);
      t.header.forEach((h, c) => {
        if (/^Veränderung \d{4}–\d{4}/.test(h) || h === "Veränderung (%)") cols.push({ c, i, measure: "change" });
        if (h === "Abstand zur Stadt") cols.push({ c, i, measure: "difference" });
        if (h === "Rang") cols.push({ c, i, measure: "rank" });
        if (h === "KI unten" || h === "KI oben") cols.push({ c, i, measure: "interval" });
        if (h === "Basis") cols.push({ c, i, measure: "base" });
      });
    }
    const ranks = new Map<string, Map<string, number>>(); // "i|y" → area → published rank
    for (const row of t.rows) {
      const id = row[idCol]!;
      const year = yearCol >= 0 ? Number(row[yearCol]) : t.year ?? r.years[r.years.length - 1]!;
      const y = r.years.indexOf(year);
      if (y < 0) continue;
      for (const { c, i, measure } of cols) {
        const text = row[c] ?? "";
        const v = germanNumber(text, t.html);
        const def = r.definitions[i]!;
        if (!id) { if (def.kind === "count" && measure === "value") publishCount(def.id, year, "Stadt", v); continue; }
        const a = r.areas.indexOf(id);
        if (a < 0) continue;
        const k = resultIndex(r, i, a, y);
        f.checkedCells++;
        const hidden = measure === "change" ? !!p.changeSuppressed[k] : measure === "base" ? !!p.inputHidden[k] : !!p.suppressed[k];
        if (hidden) {
          f.checkedHidden++;
          if (!SYMBOLS.has(text)) f.leaks.push(`${t.where}: ${def.id} ${measure} of ${id} ${year} is hidden but shows ${JSON.stringify(text)}`);
        }
        if ((def.kind === "count" && measure === "value") || measure === "base") {
          const rule = p.rules.variables[def.numeratorVariables[0]!] ?? p.rules.counts;
          if (v >= 1 && v < rule.threshold) f.smallCounts.push(`${t.where}: ${def.id} ${measure} of ${id} ${year} = ${text}`);
        }
        if (def.kind === "count" && measure === "value") publishCount(def.id, year, `${system}|${id}`, v);
        if (measure === "rank" && Number.isFinite(v)) {
          let m = ranks.get(`${i}|${y}`); if (!m) ranks.set(`${i}|${y}`, (m = new Map()));
          m.set(id, v);
        }
      }
    }
    // Ranks count published values only: the published rank equals the rank among published values.
    for (const [key, m] of ranks) {
      const [i, y] = key.split("|").map(Number) as [number, number];
      for (const [id, rank] of m) {
        const a = r.areas.indexOf(id);
        const v = r.value[resultIndex(r, i, a, y)]!;
        const higher = r.areas.filter((_, b) => { const kb = resultIndex(r, i, b, y); return !p.suppressed[kb] && Number.isFinite(r.value[kb]!) && r.value[kb]! > v; }).length;
        if (rank !== higher + 1) f.leaks.push(`${t.where}: rank of ${r.definitions[i]!.id} ${id} is ${rank}, expected ${higher + 1} among published values`);
      }
    }
  }
  // Maps: hidden areas show a hidden label, and only published areas are classified.
  for (const m of a.maps) {
    if (m.protection !== "geschuetzt") { f.leaks.push(`${m.where}: map marked ${JSON.stringify(m.protection)} (expected data-kr-protection="geschuetzt")`); continue; }
    // Figures that name no indicator and area system (e.g. the composite index of 09-index) cannot be checked cell by cell.
    if (!m.system || !m.indicator) { f.uncheckedMaps.push(m.where); continue; }
    // Maps of derived measures (e.g. MAUP ranges of 04-gebietsvergleich) do not show cell values.
    if (m.measure && m.measure !== "value" && m.measure !== "change") continue;
    const p = truth.of(m.system);
    const r = p.result;
    const i = r.definitions.findIndex((d) => d.id === m.indicator);
    const y = r.years.indexOf(m.year);
    let published = 0;
    for (const [id, text] of m.titles) {
      const a = r.areas.indexOf(id);
      if (a < 0 || i < 0 || y < 0) continue;
      const k = resultIndex(r, i, a, y);
      const hidden = m.measure === "change" ? !!p.changeSuppressed[k] : !!p.suppressed[k];
      f.checkedCells++;
      if (hidden) {
        f.checkedHidden++;
        if (/\d/.test(text)) f.leaks.push(`${m.where}: hover text of hidden ${m.indicator} ${id} ${m.year} shows ${JSON.stringify(text)}`);
      } else if (Number.isFinite((m.measure === "change" ? r.change : r.value)[k]!)) published++;
    }
    // Simple choropleths (every area of the map is an area of the system): only published areas are classified.
    if ([...m.titles.keys()].every((id) => r.areas.includes(id)) && m.classCounts !== published) f.leaks.push(`${m.where}: legend classifies ${m.classCounts} areas, ${published} are published`);
  }
  // Sentences: a hidden value is never stated.
  for (const t of a.texts) {
    const id = /\(([^()]+)\)/.exec(t.text)?.[1];
    const year = Number(/31\.12\.(\d{4})/.exec(t.text)?.[1]);
    for (const system of new Set([...truth.ds.areaSystems.keys()])) {
      let p: ProtectedResult;
      try { p = truth.of(system); } catch { continue; }
      const r = p.result;
      const a = r.areas.indexOf(id ?? ""), y = r.years.indexOf(year);
      if (a < 0 || y < 0) continue;
      r.definitions.forEach((d, i) => {
        if (!t.text.includes(`„${d.label}“`)) return;
        const k = resultIndex(r, i, a, y);
        f.checkedCells++;
        if (p.suppressed[k]) {
          f.checkedHidden++;
          const shown = formatNumber(r.value[k]!, { digits: d.digits });
          if (t.text.includes(shown)) f.leaks.push(`${t.where}: sentence states hidden ${d.id} of ${id}: ${shown}`);
        }
      });
    }
  }
  // (c) join the published count cells of all tables and levels and attack them.
  for (const [id, byYear] of counts) {
    for (const [year, cells] of byYear) {
      const systems = new Set([...cells.keys()].filter((k) => k !== "Stadt").map((k) => k.split("|")[0]!));
      // Each protected hierarchy (e.g. plr → bzr → pgr, and plr2006 on its own) is attacked on its own, with the city.
      const chains = new Map<string, ProtectedResult["countProtection"]>();
      for (const s of systems) { const cp = truth.of(s).countProtection; if (cp) chains.set(cp.systems.join(">"), cp); }
      for (const cp of chains.values()) {
        // Nodes: every area of the chain and the city; relations parent = Σ children.
        const nodes = cp.counts.table.areas;
        const index = new Map(nodes.map((n, j) => [n, j]));
        const values = new Float64Array(nodes.length).fill(NaN);
        for (const [key, v] of cells) {
          const [system, id] = key === "Stadt" ? ["Stadt", "Stadt"] : key.split("|") as [string, string];
          if (system !== "Stadt" && !cp.systems.includes(system) && !cp.overlays.has(system)) continue;
          const j = index.get(id);
          if (j !== undefined) values[j] = v;
        }
        const kids = new Map<number, number[]>();
        for (const [child, parent] of cp.parentOf) {
          const pj = index.get(parent), cj = index.get(child);
          if (pj === undefined || cj === undefined) continue;
          let l = kids.get(pj); if (!l) kids.set(pj, (l = [])); l.push(cj);
        }
        const relations: Relation[] = [...kids].map(([total, parts]) => ({ total, parts }));
        // Quarters made of whole finest areas: quarter = Σ its finest areas.
        for (const areas of cp.overlays.values()) {
          for (const [q, parts] of areas) relations.push({ total: index.get(q)!, parts: parts.map((x) => index.get(x)!) });
        }
        const audit = auditTable(values, relations);
        for (const cell of audit.recoverable) {
          const area = nodes[cell.cell]!;
          const system = cp.systemOf.get(area)!;
          if (system === "Stadt" || !systems.has(system)) continue; // only cells that some table hides
          const p = truth.of(system);
          const i = p.result.definitions.findIndex((d) => d.id === id);
          const k = resultIndex(p.result, i, p.result.areas.indexOf(area), p.result.years.indexOf(year));
          if (p.suppressed[k]) f.recovered.push(`${id} ${year} ${system} ${area}: recovered ${cell.value} (${cell.method}) from published totals`);
        }
      }
    }
  }
  return f;
}

// --- tests ------------------------------------------------------------------------------------

interface DatasetCase {
  name: string;
  config: string;
  /** Files the dataset needs; the test is skipped (with this message) when they are absent. */
  needs?: { path: string; message: string };
  /** Run only these notebooks (default: all). */
  only?: string[];
  /** Pairs of systems (coarse, fine) of nested tables for the negative controls. */
  controls: [string, string];
  /**
   * Count rule of the negative controls (default: the dataset's rules). A large city's real
   * tables may hold no published count 1–2 at all (Berlin's planning areas), so its controls use a
   * higher threshold, which gives primary suppressions to leak and to recover.
   */
  controlRules?: { counts: { threshold: number } };
  /** Hidden cells the attack must meet in the published outputs (shows that it looks at hidden cells at all). */
  minHidden: number;
  minTables: number;
  minMaps: number;
}

const DATASETS: DatasetCase[] = [
  { name: "Musterstadt", config: CONFIG, controls: ["statbez", "bbg"], minTables: 10, minMaps: 8, minHidden: 100 },
  {
    name: "Berlin",
    config: path.join(ROOT, "data", "berlin", "dataset.json"),
    needs: { path: path.join(ROOT, "..", "shared", "data", "berlin-lor-2021-shapes"), message: "Berlin data absent (../shared/data/berlin-lor-*): the Berlin attack needs the shared data folder" },
    controls: ["bzr", "plr"],
    controlRules: { counts: { threshold: 20 } },
    minTables: 10,
    minMaps: 8,
    // Berlin's published tables hide few cells: only planning areas under 300 residents (no counts 1–2 at plr level).
    minHidden: 30,
  },
];

/**
 * `KLEINRAUM_ATTACK_OUT_<NAME>` (e.g. `KLEINRAUM_ATTACK_OUT_BERLIN=outputs/berlin`) attacks the
 * outputs of an existing `npm start` run instead of running the notebooks again.
 */
const existingOutputs = (d: DatasetCase) => process.env[`KLEINRAUM_ATTACK_OUT_${d.name.toUpperCase()}`];

for (const d of DATASETS) {
  const absent = d.needs && !existsSync(d.needs.path) ? d.needs.message : undefined;

  test(`every notebook runs on ${d.name}, and the attack on every published output finds nothing`, { skip: absent }, async (t) => {
    const given = existingOutputs(d);
    const out = given ? path.resolve(given) : mkdtempSync(path.join(tmpdir(), "kr-attack-"));
    try {
      const all = listNotebooks(path.join(ROOT, "notebooks")).map((n) => path.basename(n));
      const expected = d.only ? all.filter((n) => d.only!.some((o) => n.startsWith(o))) : all;
      assert.ok(expected.length > 0, "notebooks/ holds no numbered notebooks");
      if (!given) {
        // One run serves both: a notebook whose cell throws fails here, naming notebook and cell.
        const run = await runNotebooks({ outDir: out, config: d.config, only: d.only, log: () => {} });
        assert.deepEqual(run.results.map((r) => path.basename(r.notebook)), expected);
        for (const r of run.results) {
          await t.test(path.basename(r.notebook), () => {
            assert.ok(r.ok, describeFailure(r));
            const html = readFileSync(path.join(out, `${path.basename(r.notebook, ".ipynb")}.html`), "utf8");
            assert.ok(html.length > 1000, "executed notebook HTML is missing or empty");
          });
        }
        const index = readFileSync(path.join(out, "index.html"), "utf8");
        for (const n of expected) assert.ok(index.includes(`href="${n.replace(".ipynb", ".html")}"`), `index.html does not link ${n}`);
      } else t.diagnostic(`attacking the existing outputs in ${out}`);
      const a = await readArtefacts(out);
      assert.ok(a.tables.length >= d.minTables, `expected the notebooks' tables, found ${a.tables.length}`);
      assert.ok(a.maps.length >= d.minMaps, `expected the notebooks' maps, found ${a.maps.length}`);
      assert.ok(a.texts.length >= 1, "expected the inquiry sentence (05-anfrage/satz.txt)");
      assert.deepEqual(a.csvWithoutRules, [], "every CSV names its protection rules");
      assert.deepEqual(a.xlsxProblems, [], "XLSX: nothing hidden, every workbook names its protection");
      assert.deepEqual(a.unmarkedFigures, [], "every PNG and PDF carries its protection mark");
      assert.deepEqual(a.unprotectedAreaTables, [], "every table with areas shown in a notebook is a published table (protectedTable, or unprotectedTable with a reason)");
      // The truth comes from the same dataset the notebooks ran on.
      const truth = new Truth(await loadDataset(d.config, { validate: false }));
      for (const dir of a.atlases) a.tables.push(...atlasTables(dir, truth));
      assert.ok(a.atlases.length >= 1, "expected the atlas (07-atlas)");
      const f = attack(a, truth);
      t.diagnostic(`${d.name}: files read by kind ${JSON.stringify(a.kinds)}; ${a.atlases.length} atlas`);
      t.diagnostic(`${d.name}: ${a.tables.length} tables, ${a.maps.length} maps, ${a.texts.length} texts; ${f.checkedCells} published cells checked, ${f.checkedHidden} of them hidden; figures without indicator/system (protection mark checked only): ${f.uncheckedMaps.join(", ") || "none"}`);
      assert.ok(f.checkedHidden >= d.minHidden, `the attack must meet hidden cells (met ${f.checkedHidden} of ${f.checkedCells})`);
      assert.deepEqual(f.leaks, [], "(a) hidden cells show no value");
      assert.deepEqual(f.smallCounts, [], "(b) no count 1–2 is published");
      assert.deepEqual(f.recovered, [], "(c) no hidden cell is recoverable from published totals");
    } finally {
      if (!given) rmSync(out, { recursive: true, force: true });
    }
  });

  test(`negative controls on ${d.name}: the attack catches tables without protection and with primary suppression only`, { skip: absent }, async (t) => {
    const ds = await loadDataset(d.config, { validate: false });
    const base = d.controlRules ?? {};
    const truth = new Truth(ds, d.controlRules);
    const social = topicIndicators(truth.of(d.controls[0]).result, "Soziale Lage");
    const indicators = social.length ? social : topicIndicators(truth.of(d.controls[0]).result, "Demografie");
    const write = (rules: ProtectedIndicatorsForOptions["rules"]): Artefacts => {
      const a: Artefacts = { tables: [], maps: [], texts: [], csvWithoutRules: [], unprotectedAreaTables: [], xlsxProblems: [], unmarkedFigures: [], kinds: {}, atlases: [] };
      for (const system of d.controls) {
        const p = protectedIndicatorsFor(ds, system, { rules });
        a.tables.push(parseCsv(tableCsv(protectedTable(p, { indicators })), `${system}.csv`)!);
      }
      return a;
    };
    // Protection switched off (with a reason): hidden values and counts 1–2 appear.
    const off = attack(write({ ...base, disable: true, reason: "Negativkontrolle" }), truth);
    assert.ok(off.leaks.length > 0, "(a) must detect values of hidden cells");
    assert.ok(off.smallCounts.length > 0, "(b) must detect counts 1–2");
    // Primary suppression only: fine areas are recoverable from the coarser and city totals.
    const primaryOnly = attack(write({ ...base, secondary: false }), truth);
    assert.ok(primaryOnly.recovered.length > 0, "(c) must recover cells protected by primary suppression only");
    t.diagnostic(`protection off: ${off.leaks.length} leaks, ${off.smallCounts.length} counts 1–2; primary only: ${primaryOnly.recovered.length} recovered, e.g. ${primaryOnly.recovered[0]}`);
    // The protected tables of the same pair pass.
    const ok = attack(write(d.controlRules), truth);
    assert.deepEqual([ok.leaks, ok.smallCounts, ok.recovered], [[], [], []]);
    // XLSX is read like CSV: an unprotected workbook leaks, a hidden sheet is found.
    const dir = mkdtempSync(path.join(tmpdir(), "kr-attack-xlsx-"));
    try {
      const p = protectedIndicatorsFor(ds, d.controls[1], { rules: { ...base, disable: true, reason: "Negativkontrolle" } });
      writeFileSync(path.join(dir, "offen.xlsx"), await tableXlsx(protectedTable(p, { indicators }), { dataset: false }));
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet("sichtbar").addRow(["Geheimhaltung (Regeln: standard)"]);
      wb.addWorksheet("versteckt", { state: "hidden" }).addRow(["Gebiet-ID", "Wert"]);
      await wb.xlsx.writeFile(path.join(dir, "versteckt.xlsx"));
      const a = await readArtefacts(dir);
      assert.ok(a.xlsxProblems.some((x) => /versteckt\.xlsx: sheet "versteckt" is hidden/.test(x)), "a hidden sheet is found");
      const open = attack(a, truth);
      assert.ok(open.leaks.length + open.smallCounts.length > 0, "an unprotected XLSX table is caught");
      t.diagnostic(`unprotected XLSX: ${open.leaks.length} leaks, ${open.smallCounts.length} counts 1–2; ${a.xlsxProblems.length} XLSX problems`);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
}
