/**
 * Benchmark section "overlay": intersection areas of every overlapping pair with
 * `overlapAreas` (src/areas/overlay.ts) against `geopandas.overlay(how="intersection")` +
 * `.area` (GEOS), interleaved run by run, timing only the overlay (files are read and
 * reprojected before). Cases:
 *  - synthetic: seeded Voronoi tessellations, 3,000 sources × 60 targets, written to temp
 *    GeoJSON files read by both sides;
 *  - berlin: 542 Planungsräume (shapefile, EPSG:25833) × 1,709 polling districts 2014
 *    (GeoJSON, WGS84), each side projecting with its own tools (ours: loadAreaSystem with
 *    metricCrs; geopandas: to_crs(25833));
 *  - berlin-samecoords: the same two systems, geopandas reading our projected coordinates (so
 *    the agreement figure measures the overlay alone, not proj4js vs PROJ).
 * Agreement: worst relative difference of pair areas over GEOS pairs > 1 m² (target ≤ 1e-6).
 */
import { spawn } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { createInterface } from "readline";
import type { Polygon } from "geojson";
import { overlapAreas, OverlapTable } from "../../src/areas/overlay";
import type { AreaGeometry } from "../../src/load/geom";
import { loadAreaSystem } from "../../src/load/geometry";
import { voronoiTessellation } from "../../test/fixtures/overlay/voronoi";
import { BenchResult, BenchSection, collectGarbage, GEOPANDAS_HINT, median, pythonWithGeopandas, SHARED_DATA } from "./common";

const PLR = path.join(SHARED_DATA, "berlin-lor-2021-shapes/LOR_2023-01-01_PLR_EPSG_25833_nur_ID.shp");
const WAHL = path.join(SHARED_DATA, "berlin-wahlbezirke-2014/berlin-electoral-districts-european-election-2014.geojson");

type Msg = Record<string, unknown>;

function pythonWorker(py: string) {
  const child = spawn(py, [path.join(__dirname, "overlay_geopandas.py")], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! });
  const queue: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  lines.on("line", (l) => (waiting.length ? waiting.shift()!(l) : queue.push(l)));
  const next = () => new Promise<Msg>((resolve) => {
    const take = (l: string) => resolve(JSON.parse(l));
    if (queue.length) take(queue.shift()!);
    else waiting.push(take);
  });
  return {
    next,
    ask: (m: Msg) => { child.stdin!.write(JSON.stringify(m) + "\n"); return next(); },
    close: () => child.stdin!.end(),
  };
}

function writeGeoJson(file: string, geoms: AreaGeometry[]): void {
  writeFileSync(file, JSON.stringify({ type: "FeatureCollection", features: geoms.map((g, i) => ({ type: "Feature", properties: { i }, geometry: g })) }));
}

interface Case {
  name: string;
  label: string;
  sources: AreaGeometry[];
  targets: AreaGeometry[];
  sourceIds: string[];
  targetIds: string[];
  python: Msg;
}

/** Worst relative difference over GEOS pairs with area > 1 m² (missing pairs count 1). */
function agreement(ours: OverlapTable, geos: { sid: number[]; tid: number[]; area: number[] }, c: Case) {
  const m = new Map<string, number>();
  for (let k = 0; k < ours.length; k++) m.set(`${ours.source[k]}/${ours.target[k]}`, ours.areaM2[k]!);
  let worst = 0, at = "", n = 0, geosTotal = 0, oursTotal = 0;
  const seen = new Set<string>();
  geos.area.forEach((a, k) => {
    const key = `${geos.sid[k]}/${geos.tid[k]}`;
    geosTotal += a;
    if (a <= 1) return;
    n++;
    seen.add(key);
    const o = m.get(key) ?? 0;
    const d = Math.abs(o - a) / a;
    if (d > worst) { worst = d; at = `${c.sourceIds[geos.sid[k]!]} × ${c.targetIds[geos.tid[k]!]} (GEOS ${a.toFixed(4)} m², ours ${o.toFixed(4)} m²)`; }
  });
  let extra = 0;
  for (let k = 0; k < ours.length; k++) {
    oursTotal += ours.areaM2[k]!;
    if (ours.areaM2[k]! > 1 && !seen.has(`${ours.source[k]}/${ours.target[k]}`)) extra++;
  }
  return { worst, at, n, extra, geosTotal, oursTotal, geosPairs: geos.area.length };
}

/** The "overlay" benchmark section. */
export const overlaySection: BenchSection = {
  name: "overlay",
  description: "intersection areas of all overlapping pairs: overlapAreas vs geopandas.overlay(how='intersection') + area (GEOS)",
  async run({ runs }) {
    const results: BenchResult[] = [];
    const dir = mkdtempSync(path.join(tmpdir(), "kleinraum-overlay-"));
    try {
      const A = voronoiTessellation(3000, { seed: 1 });
      const B = voronoiTessellation(60, { seed: 2 });
      writeGeoJson(path.join(dir, "a.geojson"), A);
      writeGeoJson(path.join(dir, "b.geojson"), B);
      const plr = await loadAreaSystem(PLR, { idField: "PLR_ID", id: "plr" });
      const wahl = await loadAreaSystem(WAHL, { idField: "id", id: "wahlbezirke-2014", metricCrs: "EPSG:25833" });
      const plrG = plr.features.map((f) => f.projected), wahlG = wahl.features.map((f) => f.projected);
      writeGeoJson(path.join(dir, "plr.geojson"), plrG);
      writeGeoJson(path.join(dir, "wahl.geojson"), wahlG);
      const idx = (n: number) => Array.from({ length: n }, (_, i) => `#${i}`);
      const cases: Case[] = [
        {
          name: "synthetic", label: "Voronoi 3,000 × 60", sources: A as Polygon[], targets: B as Polygon[], sourceIds: idx(A.length), targetIds: idx(B.length),
          python: { source: { file: path.join(dir, "a.geojson"), json: true, crs: "EPSG:25833" }, target: { file: path.join(dir, "b.geojson"), json: true, crs: "EPSG:25833" } },
        },
        {
          name: "berlin", label: "Berlin PLR 542 × Wahlbezirke 1,709", sources: plrG, targets: wahlG, sourceIds: plr.features.map((f) => f.id), targetIds: wahl.features.map((f) => f.id),
          python: { source: { file: PLR }, target: { file: WAHL, to_crs: 25833 } },
        },
        {
          name: "berlin-samecoords", label: "Berlin, GEOS on our projected coords", sources: plrG, targets: wahlG, sourceIds: plr.features.map((f) => f.id), targetIds: wahl.features.map((f) => f.id),
          python: { source: { file: path.join(dir, "plr.geojson"), json: true, crs: "EPSG:25833" }, target: { file: path.join(dir, "wahl.geojson"), json: true, crs: "EPSG:25833" } },
        },
      ];
      const py = pythonWithGeopandas();
      const worker = py ? pythonWorker(py) : undefined;
      const hello = worker ? await worker.next() : undefined;
      for (const c of cases) {
        let last: OverlapTable | undefined;
        const ours = () => {
          collectGarbage();
          const t = performance.now();
          last = overlapAreas(c.sources, c.targets);
          return performance.now() - t;
        };
        const cold = ours(); // first call in this process for this input (JIT warm-up included)
        if (worker) await worker.ask({ cmd: "load", name: c.name, ...c.python });
        const oursMs: number[] = [], gpMs: number[] = [];
        for (let r = 0; r < runs; r++) {
          oursMs.push(ours());
          if (worker) gpMs.push((await worker.ask({ cmd: "run", name: c.name })).ms as number);
        }
        const om = median(oursMs);
        results.push({ section: this.name, case: `${c.label}: kleinraum overlapAreas`, medianMs: om, runs, note: `${last!.length} pairs; min ${Math.min(...oursMs).toFixed(1)} ms; first call ${cold.toFixed(1)} ms` });
        if (!worker) {
          results.push({ section: this.name, case: `${c.label}: geopandas overlay`, medianMs: NaN, runs: 0, note: GEOPANDAS_HINT });
          continue;
        }
        const gm = median(gpMs);
        const pairs = (await worker.ask({ cmd: "pairs", name: c.name })) as unknown as { sid: number[]; tid: number[]; area: number[] };
        const ag = agreement(last!, pairs, c);
        results.push({ section: this.name, case: `${c.label}: geopandas ${hello!.geopandas} (GEOS ${hello!.geos})`, medianMs: gm, runs, note: `${pairs.area.length} pairs; min ${Math.min(...gpMs).toFixed(1)} ms` });
        results.push({ section: this.name, case: `${c.label}: ratio geopandas / kleinraum`, medianMs: NaN, runs, note: `${(gm / om).toFixed(1)}× (goal ≥ 2×)` });
        results.push({
          section: this.name, case: `${c.label}: agreement with GEOS`, medianMs: NaN, runs,
          note: `worst rel. diff ${ag.worst.toExponential(2)} over ${ag.n} pairs > 1 m² (target ≤ 1e-6) at ${ag.at || "–"}; ${ag.extra} of our pairs > 1 m² not in GEOS; totals ours ${ag.oursTotal.toFixed(1)} m², GEOS ${ag.geosTotal.toFixed(1)} m²`,
        });
      }
      worker?.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return results;
  },
};
