/**
 * The validation report: one row per finding, from loading and from {@link validateDataset}.
 * Hard errors throw {@link DataError}; everything else lands here, nothing is dropped silently.
 */

/** How bad a finding is: `error` (results would be wrong), `warning` (check it), `info` (done for you, e.g. ids padded). */
export type Severity = "error" | "warning" | "info";

/** One finding. Messages are German (they are shown to users); `check` is a stable English key. */
export interface Finding {
  severity: Severity;
  /** Stable key of the check, e.g. `"duplicate-id"`, `"overlap"`, `"part-exceeds-whole"`. */
  check: string;
  /** Absolute path of the file concerned. */
  file?: string;
  /** Area system id. */
  areaSystem?: string;
  /** Area id (for pairs: `"a / b"`). */
  areaId?: string;
  /** Row (1-based spreadsheet row) or feature index (0-based), see `rowKind`. */
  row?: number;
  rowKind?: "feature" | "row";
  /** Field, column or count variable concerned. */
  field?: string;
  /** Year concerned. */
  year?: number;
  /** German message. */
  message: string;
  /** What was expected (German). */
  expected?: string;
  /** A number that quantifies the finding (m², count, …). */
  value?: number;
}

/** The findings of loading and validating a dataset. */
export interface ValidationReport {
  findings: Finding[];
}

/**
 * Counts findings by severity.
 *
 * @example
 * summarizeReport(report); // { error: 1, warning: 3, info: 2 }
 */
export function summarizeReport(report: ValidationReport): Record<Severity, number> {
  const s: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of report.findings) s[f.severity]++;
  return s;
}

/**
 * Whether the report holds an error.
 *
 * @example
 * if (hasErrors(dataset.report)) console.log("Daten prüfen!");
 */
export function hasErrors(report: ValidationReport): boolean {
  return report.findings.some((f) => f.severity === "error");
}

const SEVERITY_LABEL: Record<Severity, string> = { error: "Fehler", warning: "Warnung", info: "Hinweis" };

/**
 * The report as a danfojs DataFrame for display, errors first, with German column names
 * (Schwere, Prüfung, Gebietssystem, Gebiet, Datei, Zeile, Feld, Jahr, Meldung, Erwartet, Wert).
 * danfojs-node is loaded only when this is called.
 *
 * @example
 * reportToDataFrame(dataset.report).print();
 */
export function reportToDataFrame(report: ValidationReport): import("danfojs-node").DataFrame {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const dfd: typeof import("danfojs-node") = require("danfojs-node");
  const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  const rows = report.findings.slice().sort((a, b) => order[a.severity] - order[b.severity]);
  const base = (f?: string) => (f ? f.split(/[\\/]/).pop() ?? f : "");
  const cols = {
    Schwere: rows.map((f) => SEVERITY_LABEL[f.severity]),
    "Prüfung": rows.map((f) => f.check),
    Gebietssystem: rows.map((f) => f.areaSystem ?? ""),
    Gebiet: rows.map((f) => f.areaId ?? ""),
    Datei: rows.map((f) => base(f.file)),
    Zeile: rows.map((f) => (f.row === undefined ? "" : `${f.rowKind === "feature" ? "Objekt" : "Zeile"} ${f.row}`)),
    Feld: rows.map((f) => f.field ?? ""),
    Jahr: rows.map((f) => (f.year === undefined ? "" : String(f.year))),
    Meldung: rows.map((f) => f.message),
    Erwartet: rows.map((f) => f.expected ?? ""),
    Wert: rows.map((f) => (f.value === undefined ? NaN : f.value)),
  };
  return new dfd.DataFrame(cols);
}
