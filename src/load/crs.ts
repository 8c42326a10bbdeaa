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
 * A point transform that writes its result into `out[o]`, `out[o + 1]` instead of allocating
 * a pair (the form the loaders use on flat coordinate arrays).
 */
type PointInto = (x: number, y: number, out: Float64Array, o: number) => void;

function intoOf(t: PointTransform): PointInto {
  return (x, y, out, o) => {
    const p = t([x, y]);
    out[o] = p[0];
    out[o + 1] = p[1];
  };
}

function pointOf(f: PointInto): PointTransform {
  const tmp = new Float64Array(2);
  return (xy) => {
    f(xy[0], xy[1], tmp, 0);
    return [tmp[0], tmp[1]];
  };
}

function exactInto(from: ResolvedCrs, to: ResolvedCrs): PointInto {
  if (from.proj4 === to.proj4) {
    return (x, y, out, o) => {
      out[o] = x;
      out[o + 1] = y;
    };
  }
  if (to.geographic && to.epsg === 4326) {
    const fast = fastInverseTm(from.proj4);
    if (fast) return fast;
  }
  const conv = proj4(from.proj4, to.proj4);
  return intoOf((xy) => conv.forward(xy) as [number, number]);
}

/**
 * A transform between two resolved CRSs (identity when both are the same definition).
 * Transverse Mercator / UTM on an ETRS89/WGS84 datum to WGS84 takes a fast path: proj4's own
 * exact (Poder/Engsager, 6th order) inverse series, evaluated inline on proj4's precomputed
 * coefficients without per-point objects — same result as proj4 to 1e-12°, about 3× faster.
 *
 * @example
 * const toWgs = transformer(resolveCrs("EPSG:25833"), WGS84);
 * toWgs([392000, 5820000]); // ≈ [13.41, 52.52]
 */
export function transformer(from: ResolvedCrs, to: ResolvedCrs): PointTransform {
  if (from.proj4 === to.proj4) return (xy) => [xy[0], xy[1]];
  if (to.geographic && to.epsg === 4326) {
    const fast = fastInverseTm(from.proj4);
    if (fast) return pointOf(fast);
  }
  const conv = proj4(from.proj4, to.proj4);
  return (xy) => conv.forward(xy) as [number, number];
}

/** Transforms interleaved coordinates (x0, y0, x1, y1, …) into a new array of the same length. */
export type FlatTransform = (xy: Float64Array) => Float64Array;

/** Options of {@link flatTransformer}. */
export interface FlatTransformerOptions {
  /**
   * Bounding box of the source coordinates and their number of points: with both given, a
   * projected → WGS84 transform interpolates on a verified grid (see {@link gridTransform}).
   */
  bbox?: [number, number, number, number];
  points?: number;
  /** Interpolation tolerance in target units (default 1e-9, ≈ 0.1 mm in degrees). */
  tolerance?: number;
}

/**
 * The transform of {@link transformer} on flat coordinate arrays, without an array per point:
 * the result of `f(xy)` is a new `Float64Array` with `[x', y']` of every `[x, y]` in `xy`.
 * With `bbox` and `points` it uses the verified grid of {@link gridTransform} where that pays.
 * Results are identical to {@link transformer} / {@link gridTransform} point by point.
 *
 * @example
 * const f = flatTransformer(resolveCrs("EPSG:25833"), WGS84);
 * f(Float64Array.of(392000, 5820000)); // ≈ Float64Array [13.41, 52.52]
 */
export function flatTransformer(from: ResolvedCrs, to: ResolvedCrs, options: FlatTransformerOptions = {}): FlatTransform {
  if (from.proj4 === to.proj4) return (xy) => xy.slice();
  let f = exactInto(from, to);
  if (options.bbox && options.points && !from.geographic) f = gridInto(f, options.bbox, options.points, options.tolerance ?? 1e-9);
  return (xy) => {
    const out = new Float64Array(xy.length);
    for (let i = 0; i < xy.length; i += 2) f(xy[i], xy[i + 1], out, i);
    return out;
  };
}

interface EtmercParams {
  projName?: string;
  datum?: { datum_type: number; datum_params?: number[]; a: number; es: number };
  a: number; x0: number; y0: number; long0: number; Qn: number; Zb: number; utg: number[]; cgb: number[];
  to_meter?: number; approx?: boolean; over?: boolean;
}

function fastInverseTm(def: string): PointInto | undefined {
  let P: EtmercParams;
  try {
    P = new (proj4 as unknown as { Proj: new (d: string) => EtmercParams }).Proj(def);
  } catch {
    return undefined;
  }
  const d = P.datum;
  const wgsLike = !!d && Math.abs(d.a - 6378137) < 1e-6 && Math.abs(d.es - 0.00669438) < 1e-7 &&
    (d.datum_type === 4 || d.datum_type === 5 || ((d.datum_type === 1 || d.datum_type === 2) && (d.datum_params ?? []).every((v) => v === 0)));
  if (!wgsLike || !Array.isArray(P.utg) || P.utg.length !== 6 || !Array.isArray(P.cgb) || P.cgb.length !== 6 || P.approx || P.over) return undefined;
  if (P.to_meter !== undefined && P.to_meter !== 1) return undefined;
  const { a, x0, y0, long0, Qn, Zb } = P;
  const u5 = P.utg[5];
  const U = Float64Array.from([P.utg[4], P.utg[3], P.utg[2], P.utg[1], P.utg[0]]);
  const cgb = P.cgb;
  const R2D = 180 / Math.PI;
  const TWO_PI = 2 * Math.PI;
  return (x, y, out, o) => {
    let Cn = ((y - y0) / a - Zb) / Qn;
    let Ce = (x - x0) / a / Qn;
    if (Math.abs(Ce) > 2.623395162778) {
      out[o] = NaN;
      out[o + 1] = NaN;
      return;
    }
    // clens_cmplx(utg, 2Cn, 2Ce)
    const ar = 2 * Cn, ai = 2 * Ce;
    const sr = Math.sin(ar), cr = Math.cos(ar);
    const ex = Math.exp(ai), ei = 1 / ex;
    const shi = (ex - ei) / 2, chi = (ex + ei) / 2;
    const r = 2 * cr * chi, i = -2 * sr * shi;
    let hr = u5, hi = 0, hr1 = 0, hi1 = 0, hr2: number, hi2: number;
    for (let k = 0; k < 5; k++) {
      hr2 = hr1; hi2 = hi1; hr1 = hr; hi1 = hi;
      hr = -hr2 + r * hr1 - i * hi1 + U[k];
      hi = -hi2 + i * hr1 + r * hi1;
    }
    const sinr = sr * chi, sini = cr * shi;
    Cn += sinr * hr - sini * hi;
    Ce += sinr * hi + sini * hr;
    Ce = Math.atan(Math.sinh(Ce));
    const sinCn = Math.sin(Cn), cosCn = Math.cos(Cn), sinCe = Math.sin(Ce), cosCe = Math.cos(Ce);
    const h = cosCe * cosCn;
    Cn = Math.atan2(sinCn * cosCe, Math.sqrt(sinCe * sinCe + h * h));
    let lon = Math.atan2(sinCe, h) + long0;
    if (lon > Math.PI) lon -= TWO_PI;
    else if (lon < -Math.PI) lon += TWO_PI;
    // gatg(cgb, Cn)
    const cos2B = 2 * Math.cos(2 * Cn);
    let g1 = cgb[5], g2 = 0, g = 0;
    for (let k = 4; k >= 0; k--) {
      g = -g2 + cos2B * g1 + cgb[k];
      g2 = g1;
      g1 = g;
    }
    const lat = Cn + g * Math.sin(2 * Cn);
    out[o] = lon * R2D;
    out[o + 1] = lat * R2D;
  };
}

/**
 * Wraps an exact point transform into a bicubic (Catmull-Rom) interpolation on a regular grid
 * over `bbox` (source coordinates), to transform many points of a small area quickly — like
 * GDAL's approximate transformer, but with a verified error. The grid step starts at 2 km and
 * is halved until the interpolation error, checked against the exact transform at the centres
 * of up to 400 cells spread over the grid, is below `tolerance` (target units; default 1e-9,
 * ≈ 0.1 mm in degrees). Returns the exact transform when the grid would cost more than it saves.
 *
 * @example
 * const fast = gridTransform(transformer(resolveCrs("EPSG:25833"), WGS84), [370000, 5800000, 416000, 5838000], 200000);
 */
export function gridTransform(exact: PointTransform, bbox: [number, number, number, number], points: number, tolerance = 1e-9): PointTransform {
  const ex = intoOf(exact);
  const g = gridInto(ex, bbox, points, tolerance);
  return g === ex ? exact : pointOf(g);
}

function gridInto(exact: PointInto, bbox: [number, number, number, number], points: number, tolerance: number): PointInto {
  const w = Math.max(bbox[2] - bbox[0], 1e-9), h = Math.max(bbox[3] - bbox[1], 1e-9);
  const e = new Float64Array(2), gq = new Float64Array(2);
  for (let step = 2000; step >= 30; step /= 2) {
    const x0 = bbox[0] - step, y0 = bbox[1] - step;
    const nx = Math.ceil(w / step) + 4, ny = Math.ceil(h / step) + 4;
    if (nx * ny * 3 > points) return exact; // the grid costs more than it saves
    const lon = new Float64Array(nx * ny), lat = new Float64Array(nx * ny);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        exact(x0 + i * step, y0 + j * step, e, 0);
        lon[j * nx + i] = e[0];
        lat[j * nx + i] = e[1];
      }
    }
    const interp: PointInto = (x, y, out, o) => {
      let tx = (x - x0) / step, ty = (y - y0) / step;
      const i = Math.floor(tx), j = Math.floor(ty);
      if (i < 1 || j < 1 || i > nx - 3 || j > ny - 3) {
        exact(x, y, out, o);
        return;
      }
      tx -= i;
      ty -= j;
      const tx2 = tx * tx, tx3 = tx2 * tx, ty2 = ty * ty, ty3 = ty2 * ty;
      const ax0 = (-tx + 2 * tx2 - tx3) / 2, ax1 = (2 - 5 * tx2 + 3 * tx3) / 2, ax2 = (tx + 4 * tx2 - 3 * tx3) / 2, ax3 = (tx3 - tx2) / 2;
      const ay0 = (-ty + 2 * ty2 - ty3) / 2, ay1 = (2 - 5 * ty2 + 3 * ty3) / 2, ay2 = (ty + 4 * ty2 - 3 * ty3) / 2, ay3 = (ty3 - ty2) / 2;
      let lo = 0, la = 0;
      let k = (j - 1) * nx + i - 1;
      for (let r = 0; r < 4; r++, k += nx) {
        const ay = r === 0 ? ay0 : r === 1 ? ay1 : r === 2 ? ay2 : ay3;
        lo += ay * (ax0 * lon[k] + ax1 * lon[k + 1] + ax2 * lon[k + 2] + ax3 * lon[k + 3]);
        la += ay * (ax0 * lat[k] + ax1 * lat[k + 1] + ax2 * lat[k + 2] + ax3 * lat[k + 3]);
      }
      out[o] = lo;
      out[o + 1] = la;
    };
    let worst = 0;
    const cx = nx - 3, cy = ny - 3;
    const stride = Math.max(1, Math.floor((cx * cy) / 400));
    for (let c = 0; c < cx * cy; c += stride) {
      const qx = x0 + ((c % cx) + 1.5) * step, qy = y0 + (Math.floor(c / cx) + 1.5) * step;
      exact(qx, qy, e, 0);
      interp(qx, qy, gq, 0);
      worst = Math.max(worst, Math.abs(e[0] - gq[0]), Math.abs(e[1] - gq[1]));
    }
    if (worst <= tolerance) return interp;
  }
  return exact;
}
