/**
 * Writing under `outputs/`: atomic writes (temporary file + rename), paths that cannot leave
 * the output folder, and CSV that German Excel opens correctly.
 */
import { mkdirSync, renameSync, writeFileSync } from "fs";
import * as path from "path";
import { notebookOutputDir, projectRoot } from "../project/paths";
import { pdfProtection, pngText, zipEntry } from "./embed";
import { recordExport } from "./manifest";

/**
 * A file name derived from free text (e.g. an area name) that is safe on every system and
 * cannot leave its folder: umlauts transliterated, everything else but letters, digits, `-`
 * and `_` replaced by `-`.
 *
 * @example
 * safeFileName("Lindenhöhe-Südwest / Q04"); // "lindenhoehe-suedwest-q04"
 * safeFileName("../../etc/passwd");         // "etc-passwd"
 */
export function safeFileName(text: string): string {
  const t = text.toLowerCase().replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue").replace(/ß/g, "ss")
    .normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9_-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "");
  return t || "datei";
}

/**
 * Writes a file atomically (temporary file in the same folder, then rename), creating folders.
 * Refuses to write under the project's `data/` (raw data is never modified).
 *
 * @example
 * writeFileAtomic("/tmp/x.csv", "a;b\n");
 */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const abs = path.resolve(file);
  const data = path.join(projectRoot(), "data") + path.sep;
  if (abs.startsWith(data)) throw new Error(`refusing to write ${abs}: nothing under data/ is ever written`);
  mkdirSync(path.dirname(abs), { recursive: true });
  const tmp = `${abs}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, abs);
}

/** The formats {@link protectionProblem} checks, and where each keeps its protection mark. */
export const PROTECTED_FORMATS: Readonly<Record<string, string>> = Object.freeze({
  ".csv": "a first line \"Geheimhaltung…\" or \"Ohne Geheimhaltungsschutz…\" (tableCsv/writeTable)",
  ".svg": "data-kr-protection=\"geschuetzt|ohne-schutz\" on the root <svg> (renderSvg, indicatorMapSvg, exportFigure)",
  ".png": "a PNG text chunk kr-protection = geschuetzt|ohne-schutz (renderPng of a figure spec, exportFigure, markPng)",
  ".pdf": "/KrProtection /geschuetzt|/ohne-schutz in the document information (exportFigure, pdfWithInfo)",
  ".xlsx": "kr-protection=geschuetzt|ohne-schutz in the document keywords (tableXlsx/writeTableXlsx)",
  ".json": "a top-level \"krProtection\": \"geschuetzt\"|\"ohne-schutz\" member",
  ".html": "<meta name=\"kr-protection\" content=\"geschuetzt|ohne-schutz\"> (exportFigure)",
});

/**
 * The protection mark of an exportable file, as {@link PROTECTED_FORMATS} describes it:
 * `{ state: "geschuetzt" }`, `{ state: "ohne-schutz", reason }` (reason `""` when the format
 * carries none), or undefined when the file has no mark (or is of another format).
 *
 * @example
 * protectionMark("karte.png", await renderPng(fig)); // { state: "geschuetzt" }
 */
export function protectionMark(name: string, content: string | Uint8Array): { state: "geschuetzt" } | { state: "ohne-schutz"; reason: string } | undefined {
  const ext = path.extname(name).toLowerCase();
  const bytes = () => (typeof content === "string" ? Buffer.from(content, "utf8") : content);
  const text = () => (typeof content === "string" ? content : new TextDecoder().decode(content));
  const mark = (state: string | undefined, reason = ""): ReturnType<typeof protectionMark> =>
    state === "geschuetzt" ? { state } : state === "ohne-schutz" ? { state, reason } : undefined;
  try {
    switch (ext) {
      case ".csv": {
        const m = /^\uFEFF?"?(Geheimhaltung|Ohne Geheimhaltungsschutz)/m.exec(text());
        if (!m) return undefined;
        if (m[1] === "Geheimhaltung") return { state: "geschuetzt" };
        return { state: "ohne-schutz", reason: /Ohne Geheimhaltungsschutz: ([^\r\n"]*)/.exec(text())?.[1] ?? "" };
      }
      case ".svg": {
        const m = /<svg[^>]*\sdata-kr-protection="(geschuetzt|ohne-schutz)"/.exec(text());
        return mark(m?.[1], /<svg[^>]*\sdata-kr-protection-reason="([^"]*)"/.exec(text())?.[1] ?? "");
      }
      case ".png": {
        const t = pngText(bytes());
        return mark(t["kr-protection"], t["kr-protection-reason"] ?? "");
      }
      case ".pdf":
        return mark(pdfProtection(bytes()));
      case ".xlsx": {
        const core = zipEntry(bytes(), "docProps/core.xml")?.toString("utf8") ?? "";
        const m = /kr-protection=(geschuetzt|ohne-schutz)/.exec(core);
        return mark(m?.[1], /kr-protection-reason=([^;<]*)/.exec(core)?.[1]?.trim() ?? "");
      }
      case ".json": {
        const j = JSON.parse(text().replace(/^\uFEFF/, "")) as { krProtection?: unknown; krProtectionReason?: unknown };
        if (typeof j !== "object" || j === null || Array.isArray(j)) return undefined;
        return mark(typeof j.krProtection === "string" ? j.krProtection : undefined, typeof j.krProtectionReason === "string" ? j.krProtectionReason : "");
      }
      case ".html": case ".htm": {
        const head = text().slice(0, Math.max(0, text().search(/<\/head>/i)));
        const m = /<meta\s+name="kr-protection"\s+content="(geschuetzt|ohne-schutz)"/.exec(head);
        return mark(m?.[1], /<meta\s+name="kr-protection-reason"\s+content="([^"]*)"/.exec(head)?.[1] ?? "");
      }
      default:
        return undefined;
    }
  } catch {
    return undefined; // unreadable content has no mark
  }
}

/**
 * Why a file may not be written: tables, maps and figures leave the office, so they must come
 * from the protected helpers or state why they are unprotected. Checked formats and their marks:
 * {@link PROTECTED_FORMATS} — CSV (`writeTable`/`tableCsv` of a `protectedTable`, or
 * `unprotectedTable(rows, { unprotected: { reason } })`), SVG and PNG figures (`renderSvg`,
 * `renderPng`, `indicatorMapSvg` of a protected result, `exportFigure`), PDF and HTML
 * (`exportFigure`, `pdfWithInfo`), XLSX (`writeTableXlsx`), JSON (a top-level `krProtection`).
 * Returns undefined when the content may be written.
 *
 * @example
 * protectionProblem("x.csv", germanCsv(rows)); // "… without small-number protection …"
 */
export function protectionProblem(name: string, content: string | Uint8Array): string | undefined {
  const ext = path.extname(name).toLowerCase();
  const where = PROTECTED_FORMATS[ext === ".htm" ? ".html" : ext];
  if (!where) return undefined;
  if (protectionMark(name, content)) return undefined;
  if (ext === ".csv") return `refusing to write ${name} without small-number protection: build the table with kr.protectedTable(kr.protectedIndicatorsFor(ds, system)) and write it with kr.writeTable, or state why it is unprotected with kr.unprotectedTable(rows, { unprotected: { reason: "…" } })`;
  if (ext === ".svg") return `refusing to write ${name} without small-number protection: draw the map from a protected result (kr.indicatorMapSvg(system, kr.protectedIndicatorsFor(ds, system), indicator)) or pass { unprotected: { reason: "…" } }`;
  return `refusing to write ${name} without small-number protection: expected ${where}; export figures with kr.exportFigure and tables with kr.writeTableXlsx, or state why the content is unprotected`;
}

/**
 * Writes one exported file of a notebook to `outputs/<notebook>/<name>` atomically and returns
 * its path. `name` may contain sub-folders but cannot leave the notebook's output folder.
 * Tables, maps and figures (CSV, SVG, PNG, PDF, XLSX, JSON, HTML) must carry their protection
 * mark (see {@link protectionProblem}): use `writeTable`/`writeTableXlsx` for tables,
 * `exportFigure` for figures and protected maps from `indicatorMapSvg`. Every written file is
 * recorded in `outputs/<notebook>/manifest.json` (path, SHA-256, protection state; see
 * `recordExport`), which is why `manifest.json` itself is no valid name.
 *
 * @example
 * writeOutput("01-ueberblick", "karte.svg", indicatorMapSvg(system, protectedIndicatorsFor(ds, system), "population"));
 */
export function writeOutput(notebook: string, name: string, content: string | Uint8Array): string {
  const problem = protectionProblem(name, content);
  if (problem) throw new Error(problem);
  const dir = notebookOutputDir(notebook);
  const file = path.resolve(dir, name);
  if (!file.startsWith(dir + path.sep)) throw new Error(`invalid output name: ${JSON.stringify(name)} (must stay inside ${dir})`);
  if (file === path.join(dir, "manifest.json")) throw new Error(`invalid output name: "manifest.json" is the notebook's export manifest (written by recordExport)`);
  writeFileAtomic(file, content);
  const mark = protectionMark(name, content);
  recordExport(notebook, { file, content, kind: kindOf(name), protection: mark ?? { state: "keine-angabe" } });
  return file;
}

function kindOf(name: string): string {
  const ext = path.extname(name).toLowerCase();
  if (ext === ".csv" || ext === ".xlsx") return "table";
  if (ext === ".svg" || ext === ".png" || ext === ".pdf") return "figure";
  if (ext === ".txt") return "text";
  return "file";
}

/** A cell value that a spreadsheet cannot read as a formula (`=`, `+`, `-`, `@`, tab, CR at the start get a leading `'`). */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Options of {@link germanCsv}. */
export interface GermanCsvOptions {
  /** Columns in order (default: keys of the first row). */
  columns?: string[];
  /** Digits per numeric column (default: as is, up to 10 significant decimals). */
  digits?: Record<string, number>;
  /** Lines written before the header, e.g. title and source (default none). */
  preamble?: string[];
  /** Lines written after the table, e.g. footnotes (default none). */
  notes?: string[];
}

/**
 * CSV as German Excel expects it: `;` separator, decimal comma, UTF-8 with BOM, CRLF; missing
 * values empty; text cells quoted when needed and neutralised against formula injection.
 *
 * @example
 * germanCsv([{ Gebiet: "Mitte", Anteil: 22.1 }]); // "\uFEFFGebiet;Anteil\r\nMitte;22,1\r\n"
 */
export function germanCsv(rows: ReadonlyArray<Record<string, string | number>>, options: GermanCsvOptions = {}): string {
  const columns = options.columns ?? Object.keys(rows[0] ?? {});
  const text = (s: string) => {
    const t = neutralizeFormula(s);
    return /[;"\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  const cell = (v: string | number | undefined, c: string) => {
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return "";
      const d = options.digits?.[c];
      return (d === undefined ? String(Number(v.toPrecision(15))) : v.toFixed(d)).replace(".", ",");
    }
    return v === undefined ? "" : text(v);
  };
  const lines = [
    ...(options.preamble ?? []).map(text),
    columns.map(text).join(";"),
    ...rows.map((r) => columns.map((c) => cell(r[c], c)).join(";")),
    ...(options.notes ?? []).map(text),
  ];
  return "\uFEFF" + lines.join("\r\n") + "\r\n";
}
