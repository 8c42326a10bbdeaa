/**
 * GeoJSON for plotly's `choropleth` trace from the project's own area geometries (WGS84),
 * offline: coordinates rounded to 5 decimals (≈ 1 m), repeated points dropped, the id in
 * `properties.id` (the trace's `featureidkey`).
 */
import type { FeatureCollection, MultiPolygon, Polygon, Position } from "geojson";
import type { AreaFeature, AreaSystem } from "../../load/geometry";

/** An area to draw: id, name and WGS84 geometry (an {@link AreaFeature} fits). */
export type MapFeature = Pick<AreaFeature, "id" | "name" | "wgs84">;
/** Areas to draw: an area system or its features. */
export type MapAreas = AreaSystem | readonly MapFeature[];

/** The features of a system or list. */
export function featuresOf(areas: MapAreas): readonly MapFeature[] {
  return Array.isArray(areas) ? (areas as readonly MapFeature[]) : (areas as AreaSystem).features;
}

/** Polygons (as ring lists) of a geometry. */
export function polygonsOfGeometry(g: Polygon | MultiPolygon): Position[][][] {
  return g.type === "Polygon" ? [g.coordinates] : g.coordinates;
}

const round5 = (x: number) => Math.round(x * 1e5) / 1e5;

/** Douglas–Peucker on one ring (lon scaled by cos(lat) so the tolerance is isotropic); keeps the ring closed. */
function simplifyRing(ring: Position[], tol: number): Position[] {
  if (tol <= 0 || ring.length <= 8) return ring;
  const k = Math.cos(((ring[0]![1] ?? 0) * Math.PI) / 180);
  const keep = new Uint8Array(ring.length);
  keep[0] = 1; keep[ring.length - 1] = 1;
  // split the closed ring at its farthest point from the start, so both halves are open chains
  let far = 0, best = -1;
  for (let i = 1; i < ring.length - 1; i++) {
    const d = ((ring[i]![0]! - ring[0]![0]!) * k) ** 2 + (ring[i]![1]! - ring[0]![1]!) ** 2;
    if (d > best) { best = d; far = i; }
  }
  keep[far] = 1;
  const tol2 = tol * tol;
  const stack: [number, number][] = [[0, far], [far, ring.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const ax = ring[a]![0]! * k, ay = ring[a]![1]!, bx = ring[b]![0]! * k, by = ring[b]![1]!;
    const dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    let idx = -1, max = tol2;
    for (let i = a + 1; i < b; i++) {
      const px = ring[i]![0]! * k - ax, py = ring[i]![1]! - ay;
      const t = len2 > 0 ? Math.max(0, Math.min(1, (px * dx + py * dy) / len2)) : 0;
      const d = (px - t * dx) ** 2 + (py - t * dy) ** 2;
      if (d > max) { max = d; idx = i; }
    }
    if (idx >= 0) { keep[idx] = 1; stack.push([a, idx], [idx, b]); }
  }
  const out = ring.filter((_, i) => keep[i]);
  return out.length >= 4 ? out : ring;
}

function roundRing(ring: Position[], tol = 0): Position[] {
  const out: Position[] = [];
  for (const p of simplifyRing(ring, tol)) {
    const q = [round5(p[0]!), round5(p[1]!)];
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  return out;
}

/**
 * Simplification tolerance for display, in degrees of latitude: `"auto"` = 1/2500 of the larger
 * side of the areas' bounding box (a city of 40 km: ≈ 16 m, well under a pixel of a
 * 900-px map), a number = that tolerance, `false`/0 = none.
 */
export function displayTolerance(features: readonly MapFeature[], simplify: number | false | "auto" = "auto"): number {
  if (simplify === false) return 0;
  if (typeof simplify === "number") return Math.max(0, simplify);
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const f of features) for (const p of polygonsOfGeometry(f.wgs84 as Polygon | MultiPolygon)) for (const q of p[0] ?? []) {
    if (q[0]! < x0) x0 = q[0]!; if (q[0]! > x1) x1 = q[0]!; if (q[1]! < y0) y0 = q[1]!; if (q[1]! > y1) y1 = q[1]!;
  }
  if (!Number.isFinite(x0)) return 0;
  const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  return Math.max((x1 - x0) * k, y1 - y0) / 2500;
}

/**
 * A FeatureCollection of the given areas (WGS84, rounded to 5 decimals, simplified for display
 * with Douglas–Peucker at `tolerance` degrees, default none), `properties.id` = area id.
 */
export function mapGeoJson(features: readonly MapFeature[], tolerance = 0): FeatureCollection<Polygon | MultiPolygon> {
  return {
    type: "FeatureCollection",
    features: features.map((f) => {
      const polys = polygonsOfGeometry(f.wgs84 as Polygon | MultiPolygon).map((p) => p.map((r) => roundRing(r, tolerance)).filter((r) => r.length >= 4));
      return {
        type: "Feature" as const,
        id: f.id,
        properties: { id: f.id },
        geometry: polys.length === 1 ? { type: "Polygon" as const, coordinates: polys[0]! } : { type: "MultiPolygon" as const, coordinates: polys },
      };
    }),
  };
}

/** Signed area and centroid of a ring (planar, on lon/lat; fine for label positions). */
function ringCentroid(r: Position[]): { a: number; x: number; y: number } {
  let a = 0, x = 0, y = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const f = r[j]![0]! * r[i]![1]! - r[i]![0]! * r[j]![1]!;
    a += f; x += (r[j]![0]! + r[i]![0]!) * f; y += (r[j]![1]! + r[i]![1]!) * f;
  }
  return a === 0 ? { a: 0, x: r[0]![0]!, y: r[0]![1]! } : { a: a / 2, x: x / (3 * a), y: y / (3 * a) };
}

/** Label position of an area: the centroid of its largest polygon's outer ring (lon, lat). */
export function labelPoint(f: MapFeature): [number, number] | undefined {
  let best: { a: number; x: number; y: number } | undefined;
  for (const p of polygonsOfGeometry(f.wgs84 as Polygon | MultiPolygon)) {
    if (!p[0] || p[0].length < 3) continue;
    const c = ringCentroid(p[0]);
    if (!best || Math.abs(c.a) > Math.abs(best.a)) best = c;
  }
  return best ? [round5(best.x), round5(best.y)] : undefined;
}

/** All rings of the areas as one lon/lat line list with `null` between rings (for a `scattergeo` outline). */
export function outlineLines(features: readonly MapFeature[], tolerance = 0): { lon: (number | null)[]; lat: (number | null)[] } {
  const lon: (number | null)[] = [], lat: (number | null)[] = [];
  for (const f of features) for (const p of polygonsOfGeometry(f.wgs84 as Polygon | MultiPolygon)) for (const r of p) {
    for (const q of roundRing(r, tolerance)) { lon.push(q[0]!); lat.push(q[1]!); }
    lon.push(null); lat.push(null);
  }
  return { lon, lat };
}
