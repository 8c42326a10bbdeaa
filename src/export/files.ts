/**
 * Writing under `outputs/`: atomic writes (temporary file + rename), paths that cannot leave
 * the output folder, and CSV that German Excel opens correctly.
 */
import { mkdirSync, renameSync, writeFileSync } from "fs";
import * as path from "path";
import { notebookOutputDir, projectRoot } from "../project/paths";

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

/**
 * Why a table or map may not be written: CSV tables and SVG maps leave the office, so they must
 * come from the protected helpers (`writeTable`/`tableCsv` of a `protectedTable`, an
 * `indicatorMapSvg` of a protected result) or state why they are unprotected
 * (`unprotectedTable(rows, { unprotected: { reason } })`, `{ unprotected: { reason } }` for maps).
 * Returns undefined when the content may be written.
 *
 * @example
 * protectionProblem("x.csv", germanCsv(rows)); // "… without small-number protection …"
 */
export function protectionProblem(name: string, content: string | Uint8Array): string | undefined {
  const ext = path.extname(name).toLowerCase();
  if (ext !== ".csv" && ext !== ".svg") return undefined;
  const text = typeof content === "string" ? content : new TextDecoder().decode(content);
  if (ext === ".csv" && /^\uFEFF?"?(Geheimhaltung|Ohne Geheimhaltungsschutz)/m.test(text)) return undefined;
  if (ext === ".svg" && /<svg[^>]*\sdata-kr-protection="(geschuetzt|ohne-schutz)"/.test(text)) return undefined;
  return ext === ".csv"
    ? `refusing to write ${name} without small-number protection: build the table with kr.protectedTable(kr.protectedIndicatorsFor(ds, system)) and write it with kr.writeTable, or state why it is unprotected with kr.unprotectedTable(rows, { unprotected: { reason: "…" } })`
    : `refusing to write ${name} without small-number protection: draw the map from a protected result (kr.indicatorMapSvg(system, kr.protectedIndicatorsFor(ds, system), indicator)) or pass { unprotected: { reason: "…" } }`;
}

/**
 * Writes one exported file of a notebook to `outputs/<notebook>/<name>` atomically and returns
 * its path. `name` may contain sub-folders but cannot leave the notebook's output folder.
 * CSV tables and SVG maps must carry their protection (see {@link protectionProblem}): use
 * `writeTable` for tables and protected maps from `indicatorMapSvg`.
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
  writeFileAtomic(file, content);
  return file;
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
