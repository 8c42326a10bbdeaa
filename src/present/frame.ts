/**
 * danfojs DataFrames at the edge: rows of plain objects become a DataFrame with explicit column
 * types (danfojs would otherwise read `"01"` as the number 1). danfojs-node is loaded on first use.
 */
import type { DataFrame } from "danfojs-node";

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
