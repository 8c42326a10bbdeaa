/**
 * danfojs DataFrames at the edge: rows of plain objects become a DataFrame with explicit column
 * types (danfojs would otherwise read `"01"` as the number 1). danfojs-node is loaded on first use.
 */
import type { DataFrame } from "danfojs-node";
import type { IndicatorResult } from "../indicators/compute";
import { footnotes, longRows, wideRows, type RowOptions } from "../indicators/tables";

/**
 * Makes a DataFrame from rows; string columns stay strings (ids keep leading zeros), number
 * columns become float32 columns (values keep full JS precision).
 *
 * @example
 * rowsToDataFrame([{ "Gebiet-ID": "0101", Einwohner: 1234 }]).print();
 */
export function rowsToDataFrame(rows: ReadonlyArray<Record<string, string | number>>): DataFrame {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const dfd: typeof import("danfojs-node") = require("danfojs-node");
  const columns = Object.keys(rows[0] ?? {});
  const data: Record<string, (string | number)[]> = {};
  for (const c of columns) data[c] = rows.map((r) => r[c] ?? NaN);
  const dtypes = columns.map((c) => (rows.some((r) => typeof r[c] === "string") ? "string" : "float32"));
  for (const [j, c] of columns.entries()) if (dtypes[j] === "string") data[c] = data[c]!.map((v) => (typeof v === "string" ? v : ""));
  return new dfd.DataFrame(data, { dtypes });
}

/** Options of {@link indicatorFrame}. */
export interface IndicatorFrameOptions extends RowOptions {
  /** `"wide"`: one row per area (status quo year); `"long"`: area × year × indicator (default `"wide"`). */
  form?: "wide" | "long";
}

/**
 * An indicator result as a danfojs DataFrame with its definitions attached
 * (`frame.definitions`: one footnote per indicator plus how change is measured).
 *
 * @example
 * const df = indicatorFrame(result, { form: "long", names });
 * df.print(); console.log(df.definitions.join("\n"));
 */
export function indicatorFrame(result: IndicatorResult, options: IndicatorFrameOptions = {}): DataFrame & { definitions: string[] } {
  const rows = (options.form ?? "wide") === "wide" ? wideRows(result, options) : longRows(result, options);
  const frame = rowsToDataFrame(rows) as DataFrame & { definitions: string[] };
  frame.definitions = footnotes(result, options.indicators);
  return frame;
}
