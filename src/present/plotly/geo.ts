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

function roundRing(ring: Position[]): Position[] {
  const out: Position[] = [];
  for (const p of ring) {
    const q = [round5(p[0]!), round5(p[1]!)];
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  return out;
}

/** A FeatureCollection of the given areas (WGS84, rounded), `properties.id` = area id. */
export function mapGeoJson(features: readonly MapFeature[]): FeatureCollection<Polygon | MultiPolygon> {
  return {
    type: "FeatureCollection",
    features: features.map((f) => {
      const polys = polygonsOfGeometry(f.wgs84 as Polygon | MultiPolygon).map((p) => p.map(roundRing).filter((r) => r.length >= 4));
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
export function outlineLines(features: readonly MapFeature[]): { lon: (number | null)[]; lat: (number | null)[] } {
  const lon: (number | null)[] = [], lat: (number | null)[] = [];
  for (const f of features) for (const p of polygonsOfGeometry(f.wgs84 as Polygon | MultiPolygon)) for (const r of p) {
    for (const q of roundRing(r)) { lon.push(q[0]!); lat.push(q[1]!); }
    lon.push(null); lat.push(null);
  }
  return { lon, lat };
}
