/**
 * The dataset configuration: one JSON file per city that says which files hold its area
 * systems and statistics and how their columns map onto the project's count variables
 * (`src/variables.ts`). Relative paths are resolved against the folder of the JSON file.
 *
 * data/README.md documents every field with its default, a worked example for a fictional city
 * (one shapefile, one CSV), how statistical symbols are read and what the validator checks;
 * keep both in sync.
 *
 * Any object in the file may carry a `"$comment"` key (ignored), since JSON has no comments.
 */
export interface DatasetConfig {
  /** Short id, used for output folders, e.g. `"musterstadt"`. */
  id: string;
  /** Name shown in titles, e.g. `"Musterstadt (synthetische Beispielstadt)"`. */
  name: string;
  /** Source line printed under every figure and table. */
  source: string;
  /** Reference date of the counts within a year, default `"12-31"` (31.12.). */
  referenceDate?: string;
  /** Years available. */
  years: number[];
  /** Year of the status quo (default: the last of `years`). */
  referenceYear?: number;
  /** Default CRS of geometry files that carry no `.prj` / `crs` member (e.g. `"EPSG:25832"`). Default: none (such a shapefile is an error; such GeoJSON is WGS84). */
  crs?: string;
  /** Area systems, in any order; the `parent` links give the hierarchy. */
  areaSystems: AreaSystemConfig[];
  /** Statistics files. */
  statistics: StatisticsFileConfig[];
  /**
   * Free-form rules read by other modules: `protection` (small-number rules, `src/protect/rules.ts`)
   * and `indicators` (catalogue overrides, `src/indicators/dataset.ts`). Default `{}`.
   */
  rules?: Record<string, unknown>;
}

export interface AreaSystemConfig {
  /** Id used in code and configuration, e.g. `"bbg"`. */
  id: string;
  /** German label, e.g. `"Baublockgruppen"`. */
  label: string;
  /** What kind of system this is. */
  kind: "administrative" | "statistical" | "building-block" | "life-situation" | "other";
  /** Geometry file: `.shp` (sidecars beside it), a folder with one shapefile, a `.zip`, or `.geojson`/`.json`. */
  file: string;
  /** Attribute holding the area id (read as string, leading zeros kept). */
  idField: string;
  /** Attribute of the geometry file holding the name (a label, never a key). Default: none; names may come from `names`. */
  nameField?: string;
  /**
   * Names (and optionally further attributes) joined from a CSV/XLSX table by area id, for
   * boundary files that carry ids only (Berlin's LOR 2021 shapefiles). Where the table has a
   * name for an id it wins over `nameField`. Never joined on names. (Optional field added by
   * the loader.)
   */
  names?: AreaNamesConfig;
  /** Boundary vintage, e.g. `"2024"` or `"2021-01-01"`. */
  vintage: string;
  /** Text encoding of the `.dbf` when no `.cpg` says it (default: detect UTF-8 vs Windows-1252). */
  encoding?: string;
  /** CRS when the file does not declare one: an EPSG code known to proj4 or a proj4/WKT string. */
  crs?: string;
  /**
   * Projected CRS (metres) to use when the file is in WGS84 (GeoJSON without `crs`): an EPSG
   * code or proj4/WKT string. Default: EPSG:25832/25833 by the data's centre in Germany, else
   * the UTM zone of the centre. (Optional field added by the loader.)
   */
  metricCrs?: string;
  /**
   * Parent in a nested hierarchy: the parent system's id and how a child finds its parent,
   * either an attribute holding the parent id, a prefix length of the child id, or a regular
   * expression `idPattern` whose match in the child id is replaced by `idReplacement`
   * (default `"$1"`), e.g. Darmstadt's district `"810"` → Stadtteil `"800"` with
   * `idPattern: "^(\\d)\\d\\d$", idReplacement: "$100"`. (`idPattern`/`idReplacement` are
   * optional fields added by the loader.)
   */
  parent?: { system: string; field?: string; idPrefixLength?: number; idPattern?: string; idReplacement?: string };
}

/**
 * A table that gives names (and optionally further attributes) to the areas of an area system,
 * joined by id. Ids are compared as strings (leading zeros kept; numeric XLSX cells are read as
 * their digits, then padded to `idWidth` if given). Rows repeating an id with the same name
 * (e.g. a hierarchy overview listing each district once per planning area) are fine; the same
 * id with two different names is an error finding (the first is used). Areas without a name in
 * the table and table ids without an area are warnings in the validation report.
 *
 * @example
 * // data/berlin/dataset.json, area system "bzr":
 * // "names": { "file": "…/lor_2021-01-01_k3_uebersicht_id_namen.xlsx", "sheet": "LOR_2023_Übersicht",
 * //            "idField": "BZR_ID", "nameField": "BZR" }
 */
export interface AreaNamesConfig {
  /** CSV or XLSX file (relative to the configuration's folder). */
  file: string;
  /** Column holding the area id. */
  idField: string;
  /** Column holding the name. */
  nameField: string;
  /**
   * Further columns to copy into each feature's `properties`: table column → property name,
   * e.g. `{ "BEZ": "bezirk" }`. Values as read (CSV: text; XLSX: text or number; empty: `null`).
   * A property name the geometry file already has is an error. Default: none.
   */
  attributes?: Record<string, string>;
  /** XLSX: sheet name (default: the first sheet). */
  sheet?: string;
  /** Rows to skip before the header (default 0). */
  skipRows?: number;
  /** Number of header rows joined into one column name with " " (default 1). */
  headerRows?: number;
  /** CSV: field separator (default: detect `;`, tab or `,`). */
  separator?: string;
  /** CSV: text encoding (default: detect UTF-8 with/without BOM vs Windows-1252). */
  encoding?: string;
  /** Width to which numeric ids are padded with leading zeros (as in statistics; default: no padding). */
  idWidth?: number;
}

export interface StatisticsFileConfig {
  /**
   * CSV or XLSX file. May contain the placeholder `{year}`: the entry then stands for one file
   * per year of `years` (default: the dataset's `years`), each read with `year` set to that
   * year, e.g. `"pop-{year}.csv"`. (The placeholder is an addition of the loader.)
   */
  file: string;
  /** With a `{year}` placeholder in `file`: the years to read (default: the dataset's `years`). (Optional field added by the loader.) */
  years?: number[];
  /** Area system the rows refer to. */
  areaSystem: string;
  /** Table layout: one column per variable (`wide`) or one row per area, year and variable (`long`). */
  layout: "wide" | "long";
  /** Column holding the area id. */
  areaField: string;
  /** Column holding the year (`2024` or `"2024-12-31"`); omit when the whole file is one year (then give `year` or use `{year}` in `file`). */
  yearField?: string;
  /** The year of all rows when there is no `yearField`. */
  year?: number;
  /** Wide layout: source column → count variable id. */
  columns?: Record<string, string>;
  /** Long layout: column with the variable name. */
  variableField?: string;
  /** Long layout: column with the value. */
  valueField?: string;
  /** Long layout: variable name as in the file → count variable id; unmapped names are skipped and reported. */
  variables?: Record<string, string>;
  /** XLSX: sheet name (default: the first sheet). */
  sheet?: string;
  /** Print layouts: rows to skip before the header (default 0). */
  skipRows?: number;
  /** Print layouts: number of header rows joined into one column name with " " (default 1). */
  headerRows?: number;
  /** Rows whose area id matches this regular expression are subtotals/notes and are skipped (and reported). */
  skipAreaPattern?: string;
  /** CSV: field separator (default: detect `;` or `,`). */
  separator?: string;
  /** CSV: text encoding (default: detect UTF-8 with/without BOM vs Windows-1252). */
  encoding?: string;
  /** CSV: decimal separator (default `","` when the separator is `;`, else `"."`). */
  decimal?: string;
  /**
   * Width to which numeric area ids are padded with leading zeros, e.g. `8` for Berlin PLR:
   * Excel turns `"01011101"` into the number 1011101; with `idWidth: 8` it is read back as
   * `"01011101"` (and reported). Default: no padding. (Optional field added by the loader.)
   */
  idWidth?: number;
}
