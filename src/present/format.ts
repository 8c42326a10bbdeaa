/**
 * German number formatting for tables, legends and hover texts.
 */

/** Options of {@link formatNumber}. */
export interface FormatOptions {
  /** Digits after the decimal comma (default 0 for integers, else 1). */
  digits?: number;
  /** Text for a missing value (default `"–"`, no value; use `"."` for secret/unknown). */
  missing?: string;
  /** Unit appended after a narrow space, e.g. `"%"` (default none). */
  unit?: string;
}

/**
 * Formats a number the German way: thousands `.`, decimal `,`; missing (undefined, null, NaN)
 * becomes a symbol, never `0`.
 *
 * @example
 * formatNumber(1234.56, { digits: 1 }); // "1.234,6"
 * formatNumber(22.14, { digits: 1, unit: "%" }); // "22,1 %"
 * formatNumber(NaN); // "–"
 */
export function formatNumber(value: number | null | undefined, options: FormatOptions = {}): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return options.missing ?? "–";
  const digits = options.digits ?? (Number.isInteger(value) ? 0 : 1);
  const s = new Intl.NumberFormat("de-DE", { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
  return options.unit ? `${s}\u202f${options.unit}` : s;
}

/**
 * Escapes text for HTML and SVG (element content and attribute values).
 *
 * @example
 * escapeHtml('<img src=x onerror="alert(1)">'); // "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
