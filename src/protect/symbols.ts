/**
 * German table symbols (Zeichenerklärung of German official statistics) and display strings:
 * a value plus its protection flags becomes the text of a table cell, and a table collects the
 * footnotes its cells need. Missing never looks like zero.
 */

/** The symbols used in outputs. */
export type TableSymbol = "." | "/" | "()" | "–" | "x" | "0";

/** Symbol → German footnote text (Destatis, Zeichenerklärung). */
export const SYMBOL_FOOTNOTES: Readonly<Record<TableSymbol, string>> = {
  "0": "weniger als die Hälfte von 1 in der letzten besetzten Stelle, jedoch mehr als nichts",
  "–": "nichts vorhanden",
  ".": "Zahlenwert unbekannt oder geheim zu halten",
  "/": "keine Angabe, da Zahlenwert nicht sicher genug",
  "()": "Aussagewert eingeschränkt, da der Zahlenwert statistisch relativ unsicher ist",
  x: "Tabellenfach gesperrt, weil Aussage nicht sinnvoll",
};

/** Order in which footnotes are listed (as in the Zeichenerklärung). */
const ORDER: readonly TableSymbol[] = ["0", "–", ".", "/", "()", "x"];

/** Flags of one cell (all optional; see {@link displayValue}). */
export interface CellFlags {
  /** Symbol decided by protection (`"."`, `"/"`, `"()"`, `"x"`); `"()"` keeps the value. */
  symbol?: TableSymbol | "";
  /** Suppressed: shown as `symbol` (default `"."`). */
  suppressed?: boolean;
}

/** Options of {@link displayValue}. */
export interface DisplayOptions {
  /** Digits after the decimal comma (default 0). */
  digits?: number;
  /** Show an exact zero as `–` (nichts vorhanden; default true). */
  zeroAsDash?: boolean;
  /** Show a non-zero value that rounds to zero as `0` / `0,0` (default true; false prints it as `0,0` too but without the footnote). */
  markRoundedZero?: boolean;
}

/** Result of {@link displayValue}. */
export interface DisplayCell {
  /** Text of the cell, e.g. `"1.234,5"`, `"(12,3)"`, `"."`. */
  text: string;
  /** Symbol used, if any (for footnotes). */
  symbol?: TableSymbol;
}

/**
 * German number: thousands `.`, decimal `,`, fixed digits.
 *
 * @example
 * germanNumber(1234.56, 1); // "1.234,6"
 */
export function germanNumber(value: number, digits = 0): string {
  return new Intl.NumberFormat("de-DE", { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/**
 * Turns a value and its flags into the text of a table cell: suppressed cells show their symbol
 * (never the value), `()` wraps the value, missing values show `.` (unknown) unless a symbol
 * says otherwise, an exact zero shows `–`.
 *
 * @example
 * displayValue(1234.5, {}, { digits: 1 });               // { text: "1.234,5" }
 * displayValue(2, { suppressed: true, symbol: "." });    // { text: ".", symbol: "." }
 * displayValue(12.34, { symbol: "()" }, { digits: 1 });  // { text: "(12,3)", symbol: "()" }
 * displayValue(0);                                       // { text: "–", symbol: "–" }
 */
export function displayValue(value: number, flags: CellFlags = {}, options: DisplayOptions = {}): DisplayCell {
  const digits = options.digits ?? 0;
  if (flags.suppressed) {
    const symbol = flags.symbol && flags.symbol !== "()" ? flags.symbol : ".";
    return { text: symbol, symbol };
  }
  if (flags.symbol === "x" || flags.symbol === "/" || flags.symbol === ".") return { text: flags.symbol, symbol: flags.symbol };
  if (!Number.isFinite(value)) return { text: ".", symbol: "." };
  if (value === 0 && (options.zeroAsDash ?? true)) return { text: "–", symbol: "–" };
  let text = germanNumber(value, digits);
  let symbol: TableSymbol | undefined;
  if (value !== 0 && Math.abs(value) < 0.5 * 10 ** -digits && (options.markRoundedZero ?? true)) {
    text = germanNumber(0, digits);
    symbol = "0";
  }
  if (flags.symbol === "()") return { text: `(${text})`, symbol: "()" };
  return symbol ? { text, symbol } : { text };
}

/**
 * Collects the symbol footnotes a table needs, in the order of the Zeichenerklärung, as
 * `"<symbol> = <text>"`. Accepts symbols or display cells.
 *
 * @example
 * symbolFootnotes([".", "–", "."]); // ["– = nichts vorhanden", ". = Zahlenwert unbekannt oder geheim zu halten"]
 */
export function symbolFootnotes(cells: Iterable<TableSymbol | DisplayCell | undefined | "">): string[] {
  const used = new Set<TableSymbol>();
  for (const c of cells) {
    const s = typeof c === "string" ? c : c?.symbol;
    if (s) used.add(s);
  }
  return ORDER.filter((s) => used.has(s)).map((s) => `${s === "()" ? "( )" : s} = ${SYMBOL_FOOTNOTES[s]}`);
}
