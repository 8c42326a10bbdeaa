/**
 * Small planar geometry helpers on projected coordinates (metres): ring and polygon areas,
 * bounding boxes, point-in-ring. Used by the loaders and the validator.
 */
import type { MultiPolygon, Polygon, Position } from "geojson";

/** Polygon or MultiPolygon: the geometry of an area. An empty geometry is a MultiPolygon with no parts. */
export type AreaGeometry = Polygon | MultiPolygon;

/** Bounding box `[minX, minY, maxX, maxY]`. */
export type BBox = [number, number, number, number];

/**
 * Signed area of a ring by the shoelace formula (counter-clockwise positive). Works on open or
 * closed rings.
 *
 * @example
 * ringSignedArea([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]); // 1
 */
export function ringSignedArea(ring: Position[]): number {
  const n = ring.length;
  if (n < 3) return 0;
  let s = 0;
  const x0 = ring[0][0];
  const y0 = ring[0][1];
  for (let i = 0, j = n - 1; i < n; j = i++) {
    s += (ring[j][0] - x0) * (ring[i][1] - y0) - (ring[i][0] - x0) * (ring[j][1] - y0);
  }
  return s / 2;
}

/**
 * The polygons of a Polygon or MultiPolygon as a list of ring lists (polygons without rings
 * left out, so an empty geometry gives `[]`).
 *
 * @example
 * polygonsOf({ type: "Polygon", coordinates: [ring] }).length; // 1
 */
export function polygonsOf(g: AreaGeometry | null | undefined): Position[][][] {
  if (!g) return [];
  const polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  return polys.some((p) => p.length === 0) ? polys.filter((p) => p.length > 0) : polys;
}

/**
 * Area of a Polygon/MultiPolygon in squared units of its coordinates (m² on projected data):
 * outer rings count positive, holes negative, whatever the ring orientation.
 *
 * @example
 * geometryArea({ type: "Polygon", coordinates: [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]] }); // 4
 */
export function geometryArea(g: AreaGeometry | null | undefined): number {
  let a = 0;
  for (const poly of polygonsOf(g)) {
    poly.forEach((ring, i) => {
      const r = Math.abs(ringSignedArea(ring));
      a += i === 0 ? r : -r;
    });
  }
  return a;
}

/**
 * Bounding box of a geometry, or `undefined` when it is empty.
 *
 * @example
 * geometryBBox({ type: "Polygon", coordinates: [[[0, 0], [2, 0], [2, 3], [0, 0]]] }); // [0, 0, 2, 3]
 */
export function geometryBBox(g: AreaGeometry | null | undefined): BBox | undefined {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const poly of polygonsOf(g)) {
    for (const ring of poly) {
      for (const p of ring) {
        if (p[0] < minX) minX = p[0];
        if (p[0] > maxX) maxX = p[0];
        if (p[1] < minY) minY = p[1];
        if (p[1] > maxY) maxY = p[1];
      }
    }
  }
  return minX <= maxX ? [minX, minY, maxX, maxY] : undefined;
}

/**
 * Whether a point lies inside a ring (even-odd rule; points on the boundary are undefined).
 *
 * @example
 * pointInRing([0.5, 0.5], [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]); // true
 */
export function pointInRing(pt: Position, ring: Position[]): boolean {
  let inside = false;
  const x = pt[0], y = pt[1];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Applies a point transform to every position of a geometry (returns a new geometry; `f` must
 * return a new array and not modify its argument).
 *
 * @example
 * mapGeometry(g, ([x, y]) => [x / 1000, y / 1000]);
 */
export function mapGeometry<G extends AreaGeometry>(g: G, f: (p: [number, number]) => [number, number]): G {
  // The transform gets the position itself (no temporary copy per point); it must not modify it.
  const ring = (r: Position[]) => {
    const out: Position[] = new Array(r.length);
    for (let i = 0; i < r.length; i++) out[i] = f(r[i] as [number, number]);
    return out;
  };
  if (g.type === "Polygon") return { type: "Polygon", coordinates: g.coordinates.map(ring) } as G;
  return { type: "MultiPolygon", coordinates: g.coordinates.map((poly) => poly.map(ring)) } as G;
}
