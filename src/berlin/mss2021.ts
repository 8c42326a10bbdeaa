/**
 * Berlin's "Monitoring Soziale Stadtentwicklung" 2021 table (FIS-Broker WFS export
 * `mss_2021_index_indikatoren.csv`): raw indicators S1, S3, S4, D1, D3, D4 per PLR (LOR 2021),
 * the validity column KOM, and the published per-indicator classes (`<indicator>_SD_GR`), ready
 * for {@link mssIndex}.
 */
import { existsSync } from "fs";
import { MSS_DYNAMICS, MSS_STATUS, type MssArea, type MssIndicator, type MssResult } from "../explore/mss";
import { loadAreaSystem, type AreaSystem } from "../load/geometry";
import { readCsv } from "../load/table";
import type { HiddenCell } from "../present/plotly/protection";

/** Where the table lies in the shared data folder, relative to the project root. */
export const MSS2021_CSV = "../shared/data/berlin-mss-2021/fisbroker-wfs/mss_2021_index_indikatoren.csv";
/** Berlin's planning areas (PLR, LOR 2021, EPSG:25833, ids only), relative to the project root. */
export const BERLIN_PLR_SHP = "../shared/data/berlin-lor-2021-shapes/LOR_2023-01-01_PLR_EPSG_25833_nur_ID.shp";

/** The Berlin files {@link readMss2021} and {@link loadBerlinPlr} need that are absent (empty when all are there). */
export function missingMss2021Files(): string[] {
  return [MSS2021_CSV, BERLIN_PLR_SHP, BERLIN_PLR_SHP.replace(/\.shp$/, ".dbf"), BERLIN_PLR_SHP.replace(/\.shp$/, ".prj")].filter((f) => !existsSync(f));
}

/**
 * Berlin's PLR (LOR 2021) as an area system, named from a names map (the shapefile carries ids
 * only; the MSS table has the names).
 *
 * @example
 * const plr = await loadBerlinPlr(readMss2021().names);
 * plr.features.length; // 542
 */
export async function loadBerlinPlr(names?: ReadonlyMap<string, string>, file: string = BERLIN_PLR_SHP): Promise<AreaSystem> {
  const plr = await loadAreaSystem(file, { idField: "PLR_ID", id: "plr", label: "Planungsräume (LOR 2021)", kind: "life-situation", vintage: "2021-01-01" });
  if (names) for (const f of plr.features) f.name = names.get(f.id) ?? f.name;
  return plr;
}

/** Areas without an index (KOM not "gültig") as hidden cells for the figure builders: symbol `/`, the KOM text as reason. */
export function mssHidden(t: Pick<Mss2021Table, "validity">): Map<string, HiddenCell> {
  const out = new Map<string, HiddenCell>();
  for (const [id, kom] of t.validity) if (kom !== "gültig") out.set(id, { kind: "suppressed", symbol: "/", reason: `kein Index: ${kom}`, label: "ohne Index" });
  return out;
}

/** Class per area (status, dynamics or the status × dynamics group label), for `categoryChoropleth`. */
export function mssCategories(r: MssResult, what: "status" | "dynamics" | "group"): Map<string, string | null> {
  return new Map(r.areas.map((a) => [a.id, what === "status" ? a.statusClass : what === "dynamics" ? a.dynamicsClass : a.groupLabel]));
}

/** The MSS 2021 table, one row per PLR. */
export interface Mss2021Table {
  /** Input rows for {@link mssIndex} (valid: KOM = "gültig"). */
  areas: MssArea[];
  /** PLR names by id. */
  names: Map<string, string>;
  /** Residents (EW) by id. */
  population: Map<string, number>;
  /** KOM text by id ("gültig", "ungültig (EW unter 300)", "ungültig (Ausreißer)"). */
  validity: Map<string, string>;
  /** Published z-class per indicator (`<indicator>_SD_GR`), by id; null where not given. */
  published: Record<MssIndicator, Map<string, number | null>>;
  /** Reference month of the table (column ZEIT, e.g. "202012"). */
  time: string;
  file: string;
}

/**
 * Reads the MSS 2021 indicator table. `-9999` and empty cells are missing (NaN). Throws with
 * the file name when it is absent or a column is missing.
 *
 * @example
 * const t = readMss2021("../shared/data/berlin-mss-2021/fisbroker-wfs/mss_2021_index_indikatoren.csv");
 * t.areas.length;                 // 542
 * mssIndex(t.areas).counts.status; // { hoch: 75, mittel: 366, niedrig: 46, "sehr niedrig": 49 }
 */
export function readMss2021(file: string = MSS2021_CSV): Mss2021Table {
  if (!existsSync(file)) throw new Error(`MSS 2021 table not found: ${file}`);
  const [header, ...rows] = readCsv(file).rows;
  const h = (header ?? []).map(String);
  const col = (n: string) => {
    const i = h.indexOf(n);
    if (i < 0) throw new Error(`${file}: column ${n} missing (columns: ${h.join(", ")})`);
    return i;
  };
  const num = (c: unknown) => (c === null || c === undefined || c === "" || Number(c) === -9999 ? NaN : Number(c));
  const id = col("PLR_ID"), kom = col("KOM");
  const all = [...MSS_STATUS, ...MSS_DYNAMICS];
  const idx = Object.fromEntries(all.map((k) => [k, col(k)])) as Record<MssIndicator, number>;
  const gr = Object.fromEntries(all.map((k) => [k, col(`${k}_SD_GR`)])) as Record<MssIndicator, number>;
  const data = rows.filter((r) => r.length > 1 && String(r[id] ?? "").trim() !== "");
  const published = Object.fromEntries(all.map((k) => [k, new Map<string, number | null>()])) as Mss2021Table["published"];
  const areas = data.map((r): MssArea => {
    const a = { id: String(r[id]), valid: r[kom] === "gültig" } as MssArea;
    for (const k of all) {
      a[k] = num(r[idx[k]]);
      const g = num(r[gr[k]]);
      published[k].set(a.id, Number.isFinite(g) ? g : null);
    }
    return a;
  });
  return {
    areas, published, file,
    names: new Map(data.map((r) => [String(r[id]), String(r[col("PLR_NAME")] ?? "")])),
    population: new Map(data.map((r) => [String(r[id]), num(r[col("EW")])])),
    validity: new Map(data.map((r) => [String(r[id]), String(r[kom])])),
    time: String(data[0]?.[col("ZEIT")] ?? ""),
  };
}

/**
 * Agreement of our per-indicator classes with the published `<indicator>_SD_GR` columns: per
 * indicator the number of valid areas compared, agreeing, and the ids that disagree.
 *
 * @example
 * mssAgreementRows(mssIndex(t.areas), t); // [{ Indikator: "S1", verglichen: 536, gleich: 536, … }, …]
 */
export function mssAgreementRows(r: MssResult, t: Pick<Mss2021Table, "published">): Record<string, string | number>[] {
  return [...MSS_STATUS, ...MSS_DYNAMICS].map((k) => {
    let n = 0, same = 0;
    const differ: string[] = [];
    for (const a of r.areas) {
      if (!a.valid) continue;
      const pub = t.published[k].get(a.id);
      if (pub === null || pub === undefined) continue;
      n++;
      if (pub === a.indicatorClass[k]) same++;
      else differ.push(`${a.id} (z = ${a.z[k].toFixed(4).replace(".", ",")}: ${a.indicatorClass[k]} statt ${pub})`);
    }
    return { Indikator: k, verglichen: n, gleich: same, "Übereinstimmung (%)": n ? Math.round((1000 * same) / n) / 10 : NaN, abweichend: differ.join("; ") || "–" };
  });
}

