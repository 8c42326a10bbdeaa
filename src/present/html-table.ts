/**
 * HTML tables for inline display in notebooks (German number format, right-aligned numbers,
 * caption and footnotes), readable in Jupyter and in the executed-notebook HTML.
 */
import { escapeHtml, formatNumber } from "./format";

/** Options of {@link htmlTable}. */
export interface HtmlTableOptions {
  /** Caption above the table (default none). */
  caption?: string;
  /** Columns to show, in order (default: the keys of the first row). */
  columns?: string[];
  /** Header text per column key (default: the key). */
  headers?: Record<string, string>;
  /** Digits per numeric column (default: 0 for integers, else 1). */
  digits?: Record<string, number>;
  /** Footnotes under the table: source, reference date, definitions, symbols (default none). */
  notes?: string[];
  /** Show at most this many rows and say how many were left out (default 50). */
  maxRows?: number;
}

/**
 * Renders rows of plain objects as an HTML table.
 *
 * @example
 * tslab.display.html(htmlTable([{ Gebiet: "Mitte", Einwohner: 12345 }], { caption: "Einwohner 2024" }));
 */
export function htmlTable(rows: ReadonlyArray<Record<string, unknown>>, options: HtmlTableOptions = {}): string {
  const columns = options.columns ?? Object.keys(rows[0] ?? {});
  const maxRows = options.maxRows ?? 50;
  const shown = rows.slice(0, maxRows);
  const isNum = (v: unknown) => typeof v === "number";
  // Digits per column: as given, else the most decimals any value of the column has (max 3),
  // so 44 and 44.5 in one column print as "44,0" and "44,5".
  const decimals = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? Math.min(3, (String(v).split(".")[1] ?? "").length) : 0);
  const digits: Record<string, number> = {};
  for (const c of columns) digits[c] = options.digits?.[c] ?? Math.max(0, ...shown.map((r) => decimals(r[c])));
  const numeric = new Set(columns.filter((c) => shown.some((r) => isNum(r[c]))));
  const head = columns.map((c) => `<th style="text-align:${shown.some((r) => isNum(r[c])) ? "right" : "left"}">${escapeHtml(options.headers?.[c] ?? c)}</th>`).join("");
  const body = shown
    .map(
      (r) =>
        "<tr>" +
        columns
          .map((c) => {
            const v = r[c];
            if (isNum(v) || v === null || v === undefined) {
              return `<td style="text-align:right">${escapeHtml(formatNumber(v as number | undefined, { digits: digits[c] }))}</td>`;
            }
            // Table symbols and values in parentheses stand where numbers stand: right-aligned.
            const right = numeric.has(c) && /^(?:[.\/x–-]|\(.*\)|)$/.test(String(v));
            return `<td style="text-align:${right ? "right" : "left"}">${escapeHtml(String(v))}</td>`;
          })
          .join("") +
        "</tr>",
    )
    .join("");
  const more = rows.length > shown.length ? `<p style="font-size:85%;color:#555">… ${rows.length - shown.length} weitere Zeilen nicht angezeigt (${rows.length} insgesamt).</p>` : "";
  const notes = (options.notes ?? []).map((n) => `<div>${escapeHtml(n)}</div>`).join("");
  return `<div class="kr-table"><table style="border-collapse:collapse;font-size:90%">` +
    (options.caption ? `<caption style="text-align:left;font-weight:600;padding:4px 0">${escapeHtml(options.caption)}</caption>` : "") +
    `<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${more}` +
    (notes ? `<div style="font-size:85%;color:#555;margin-top:4px">${notes}</div>` : "") +
    `</div>`;
}
