/**
 * Coordinate reference systems: recognising them from a `.prj` WKT, a GeoJSON `crs` member,
 * an EPSG code or a proj4 string, and choosing a metric CRS for data delivered in WGS84.
 */
import proj4 from "proj4";

/** A CRS the loaders can project with. */
export interface ResolvedCrs {
  /** Definition proj4 accepts: the proj4 string for known EPSG codes, else the source WKT/proj4 text. */
  proj4: string;
  /** EPSG code when recognised (also for ESRI WKT without an authority, by comparing parameters). */
  epsg?: number;
  /** Human-readable name, e.g. `"EPSG:25833"` or the WKT's PROJCS name. */
  name: string;
  /** Whether coordinates are longitude/latitude degrees. */
  geographic: boolean;
}

/** proj4 definitions of the CRSs German municipal data comes in. */
export const KNOWN_CRS: Readonly<Record<number, string>> = {
  4326: "+proj=longlat +datum=WGS84 +no_defs",
  4258: "+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs",
  25832: "+proj=utm +zone=32 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
  25833: "+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
  3035: "+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
  31466: "+proj=tmerc +lat_0=0 +lon_0=6 +k=1 +x_0=2500000 +y_0=0 +ellps=bessel +towgs84=598.1,73.7,418.2,0.202,0.045,-2.455,6.7 +units=m +no_defs",
  31467: "+proj=tmerc +lat_0=0 +lon_0=9 +k=1 +x_0=3500000 +y_0=0 +ellps=bessel +towgs84=598.1,73.7,418.2,0.202,0.045,-2.455,6.7 +units=m +no_defs",
  31468: "+proj=tmerc +lat_0=0 +lon_0=12 +k=1 +x_0=4500000 +y_0=0 +ellps=bessel +towgs84=598.1,73.7,418.2,0.202,0.045,-2.455,6.7 +units=m +no_defs",
  3857: "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs",
};
for (const [code, def] of Object.entries(KNOWN_CRS)) {
  if (!proj4.defs(`EPSG:${code}`)) proj4.defs(`EPSG:${code}`, def);
}

/** WGS84 as a resolved CRS. */
export const WGS84: ResolvedCrs = { proj4: KNOWN_CRS[4326], epsg: 4326, name: "EPSG:4326", geographic: true };

interface ProjParams {
  projName?: string;
  long0?: number;
  lat0?: number;
  lat1?: number;
  k0?: number;
  x0?: number;
  y0?: number;
  a?: number;
  rf?: number;
  b?: number;
  zone?: number;
  utmSouth?: boolean;
  units?: string;
  to_meter?: number;
}

function params(def: string): ProjParams {
  // proj4's typings do not expose the parsed parameters; they are plain properties.
  return new (proj4 as unknown as { Proj: new (d: string) => ProjParams }).Proj(def);
}

function normProjName(p: ProjParams): string {
  const n = (p.projName ?? "").toLowerCase();
  if (n === "utm" || n.includes("transverse") || n === "tmerc" || n === "etmerc") return "tmerc";
  if (n.includes("lambert_azimuthal") || n === "laea") return "laea";
  if (n === "longlat" || n === "lonlat" || n === "latlong") return "longlat";
  return n;
}

function near(a: number | undefined, b: number | undefined, tol: number): boolean {
  return Math.abs((a ?? 0) - (b ?? 0)) <= tol;
}

function sameParams(p: ProjParams, q: ProjParams): boolean {
  const np = normProjName(p);
  if (np !== normProjName(q)) return false;
  if (!near(p.a, q.a, 0.5)) return false;
  if (np === "longlat") return true;
  const f = (x: ProjParams) => (x.rf ? 1 / x.rf : x.a && x.b ? (x.a - x.b) / x.a : 0);
  return (
    near(f(p), f(q), 1e-9) &&
    near(p.long0, q.long0, 1e-9) &&
    near(p.lat0, q.lat0, 1e-9) &&
    near(p.k0 ?? 1, q.k0 ?? 1, 1e-9) &&
    near(p.x0, q.x0, 1e-3) &&
    near(p.y0, q.y0, 1e-3) &&
    !!p.utmSouth === !!q.utmSouth
  );
}

const EPSG_RE = /^(?:EPSG:{1,2}|urn:ogc:def:crs:EPSG:[\d.]*:|https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/0\/)(\d+)$/i;
const CRS84_RE = /^(?:urn:ogc:def:crs:OGC:[\d.]*:CRS84|OGC:CRS84|CRS:84|https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/1\.3\/CRS84)$/i;

/**
 * Resolves a CRS given as `"EPSG:25832"`, `"urn:ogc:def:crs:EPSG::25832"`, `"CRS84"`, a proj4
 * string or WKT (any WKT proj4 reads, including ESRI WKT without an authority code and
 * non-EPSG parameters such as UTM 32N with a false easting of 2,500,000). The EPSG code is
 * recognised by comparing the parameters with {@link KNOWN_CRS}. Throws `Error` with the text
 * when proj4 cannot read it.
 *
 * @example
 * resolveCrs("urn:ogc:def:crs:EPSG::25832").epsg; // 25832
 * resolveCrs('PROJCS["ETRS_1989_UTM_Zone_33N", …]').epsg; // 25833
 */
export function resolveCrs(spec: string): ResolvedCrs {
  const s = spec.trim();
  if (CRS84_RE.test(s)) return WGS84;
  const m = EPSG_RE.exec(s);
  if (m) {
    const code = Number(m[1]);
    const def = KNOWN_CRS[code] ?? (proj4.defs(`EPSG:${code}`) ? `EPSG:${code}` : undefined);
    if (!def) {
      throw new Error(
        `invalid CRS: ${JSON.stringify(spec)} (EPSG:${code} is not known to proj4 here; expected one of ${Object.keys(KNOWN_CRS).map((c) => "EPSG:" + c).join(", ")}, a proj4 string or WKT)`,
      );
    }
    const p = params(def);
    return { proj4: KNOWN_CRS[code] ?? def, epsg: code, name: `EPSG:${code}`, geographic: normProjName(p) === "longlat" };
  }
  let p: ProjParams;
  try {
    p = params(s);
  } catch (e) {
    throw new Error(`invalid CRS: ${JSON.stringify(s.slice(0, 120))} (proj4 cannot read it: ${(e as Error).message}; expected an EPSG code, a proj4 string or WKT)`);
  }
  if (!p || !p.projName) throw new Error(`invalid CRS: ${JSON.stringify(s.slice(0, 120))} (proj4 cannot read it; expected an EPSG code, a proj4 string or WKT)`);
  const geographic = normProjName(p) === "longlat";
  let epsg: number | undefined;
  const authority = /AUTHORITY\["EPSG",\s*"?(\d+)"?\]\s*\]\s*$/i.exec(s) ?? /ID\["EPSG",\s*(\d+)\]\s*\]\s*$/i.exec(s);
  if (authority && KNOWN_CRS[Number(authority[1])]) epsg = Number(authority[1]);
  if (epsg === undefined) {
    for (const [code, def] of Object.entries(KNOWN_CRS)) {
      if (sameParams(p, params(def))) {
        epsg = Number(code);
        break;
      }
    }
  }
  const wktName = /^(?:PROJCS|GEOGCS|PROJCRS|GEOGCRS)\["([^"]*)"/i.exec(s)?.[1];
  return {
    proj4: epsg !== undefined ? KNOWN_CRS[epsg] : s,
    epsg,
    name: epsg !== undefined ? `EPSG:${epsg}` : wktName ?? s.slice(0, 80),
    geographic,
  };
}

/**
 * A metric CRS for data given in WGS84, chosen from its centre: EPSG:25832 or EPSG:25833 for
 * Germany (ETRS89/UTM, longitudes 6–12° and 12–18°), else the WGS84 UTM zone of the centre.
 *
 * @example
 * metricCrsFor(13.4, 52.5).epsg; // 25833 (Berlin)
 * metricCrsFor(8.65, 49.87).epsg; // 25832 (Darmstadt)
 */
export function metricCrsFor(lon: number, lat: number): ResolvedCrs {
  const zone = Math.min(60, Math.max(1, Math.floor((lon + 180) / 6) + 1));
  if (lat >= 0 && (zone === 32 || zone === 33)) return resolveCrs(`EPSG:${25800 + zone}`);
  const def = `+proj=utm +zone=${zone}${lat < 0 ? " +south" : ""} +datum=WGS84 +units=m +no_defs`;
  return { proj4: def, name: `UTM ${zone}${lat < 0 ? "S" : "N"} (WGS84)`, geographic: false };
}

/** A converter from one CRS to another on `[x, y]` pairs. */
export type PointTransform = (xy: [number, number]) => [number, number];

/**
 * A transform between two resolved CRSs (identity when both are the same definition).
 *
 * @example
 * const toWgs = transformer(resolveCrs("EPSG:25833"), WGS84);
 * toWgs([392000, 5820000]); // ≈ [13.41, 52.52]
 */
export function transformer(from: ResolvedCrs, to: ResolvedCrs): PointTransform {
  if (from.proj4 === to.proj4) return (xy) => [xy[0], xy[1]];
  const conv = proj4(from.proj4, to.proj4);
  return (xy) => conv.forward(xy) as [number, number];
}
