/**
 * The one error class of the loaders: every hard input problem (unreadable file, missing
 * sidecar, missing id field, duplicate value) is thrown as a {@link DataError} that names the
 * file, the row or feature, the field and what was expected.
 */
import * as path from "path";

/** Where in a file a problem sits; every field is optional. */
export interface DataErrorLocation {
  /** 1-based row (tables: the spreadsheet row number, header included) or 0-based feature index. */
  row?: number;
  /** What `row` counts: `"feature"` (0-based, geometry files), `"row"` (1-based, tables) or `"byte"`. Default `"row"`. */
  rowKind?: "feature" | "row" | "byte";
  /** Area id of the row or feature, when known. */
  areaId?: string;
  /** Field (column, attribute, configuration key) the problem is in. */
  field?: string;
  /** What was expected, phrased to follow "expected …". */
  expected?: string;
}

/**
 * A problem with an input file that stops loading. The message reads
 * `<file>: feature 17 (id "01100101"): field "PLR_ID" is empty; expected a non-empty area id`.
 *
 * @example
 * throw new DataError("/data/berlin.shp", 'field "PLR_ID" is empty', {
 *   row: 17, rowKind: "feature", areaId: "01100101", field: "PLR_ID", expected: "a non-empty area id",
 * });
 */
export class DataError extends Error {
  /** Absolute path of the file (or the configuration) the problem is in. */
  readonly file: string;
  /** Row (1-based) or feature index (0-based), see `rowKind`. */
  readonly row?: number;
  /** What `row` counts. */
  readonly rowKind?: "feature" | "row" | "byte";
  /** Area id concerned, if known. */
  readonly areaId?: string;
  /** Field concerned, if any. */
  readonly field?: string;
  /** What was expected instead. */
  readonly expected?: string;
  /** The problem without the location prefix. */
  readonly problem: string;

  constructor(file: string, problem: string, location: DataErrorLocation = {}) {
    super(formatDataErrorMessage(file, problem, location));
    this.name = "DataError";
    this.file = file;
    this.problem = problem;
    this.row = location.row;
    this.rowKind = location.row === undefined ? undefined : location.rowKind ?? "row";
    this.areaId = location.areaId;
    this.field = location.field;
    this.expected = location.expected;
  }
}

function formatDataErrorMessage(file: string, problem: string, loc: DataErrorLocation): string {
  const parts = [path.basename(file)];
  if (loc.row !== undefined || loc.areaId !== undefined) {
    let where = loc.row !== undefined ? `${loc.rowKind ?? "row"} ${loc.row}` : "";
    if (loc.areaId !== undefined) where += `${where ? " " : ""}(id ${JSON.stringify(loc.areaId)})`;
    parts.push(where);
  }
  let msg = parts.join(": ") + ": " + problem;
  if (loc.expected) msg += `; expected ${loc.expected}`;
  if (path.basename(file) !== file) msg += ` [${file}]`;
  return msg;
}
