/**
 * Benchmark section "load-geometry": loading Berlin's PLR shapefile (542 polygons, 3.2 MB)
 * with `loadAreaSystem` (read .shp/.dbf/.prj/.cpg, keep projected coordinates, reproject to
 * WGS84, compute areas, hash the sources) against geopandas `read_file` + `to_crs(4326)` in
 * the same run.
 *
 * Same work on both sides: parse the file and hold projected and WGS84 coordinates of every
 * vertex in memory. geopandas holds them in GEOS geometries (C arrays behind shapely objects);
 * `loadAreaSystem` holds them in one Float64Array per feature and builds the GeoJSON arrays of
 * `f.projected` / `f.wgs84` on first access. That access is measured separately ("+ GeoJSON
 * of every feature"), the counterpart of geopandas' `__geo_interface__`, which is not part of
 * the geopandas timing either. Both sides run interleaved, warmed up, with a full GC before
 * each timed run; the load average of the machine is printed with the figures.
 */
import { spawn } from "child_process";
import { cpus, loadavg } from "os";
import { createInterface } from "readline";
import * as path from "path";
import { loadAreaSystem } from "../../src/load/geometry";
import { BenchResult, BenchSection, collectGarbage, GEOPANDAS_HINT, median, pythonWithGeopandas, SHARED_DATA } from "./common";

const PLR = path.join(SHARED_DATA, "berlin-lor-2021-shapes/LOR_2023-01-01_PLR_EPSG_25833_nur_ID.shp");

// A persistent Python process: one timed read_file + to_crs per line on stdin, so both sides
// run interleaved (fair under machine load) and Python's start-up is not counted.
const PY = `
import gc, json, sys, time, warnings
warnings.filterwarnings("ignore")
import geopandas as gpd
f = sys.argv[1]
def once():
    g = gpd.read_file(f)
    w = g.to_crs(4326)
    return len(w)
once()
print(json.dumps({"ready": True, "version": gpd.__version__}), flush=True)
for line in sys.stdin:
    gc.collect(); t = time.perf_counter(); n = once(); ms = (time.perf_counter() - t) * 1000
    print(json.dumps({"ms": ms, "n": n}), flush=True)
`;

function pythonWorker(py: string): { next(): Promise<Record<string, unknown>>; send(): void; close(): void } {
  const child = spawn(py, ["-c", PY, PLR], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! });
  const queue: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  lines.on("line", (l) => (waiting.length ? waiting.shift()!(l) : queue.push(l)));
  return {
    next: () => new Promise((resolve) => {
      const take = (l: string) => resolve(JSON.parse(l));
      if (queue.length) take(queue.shift()!);
      else waiting.push(take);
    }),
    send: () => child.stdin!.write("run\n"),
    close: () => child.stdin!.end(),
  };
}

/** The "load-geometry" benchmark section. */
export const loadGeometrySection: BenchSection = {
  name: "load-geometry",
  description: "Berlin PLR shapefile (542 polygons): read + reproject to WGS84 (keeping projected coordinates) vs geopandas read_file + to_crs(4326)",
  async run({ runs }) {
    const results: BenchResult[] = [];
    let n = 0;
    const ours = async () => {
      collectGarbage(); // the previous run's 400,000 coordinate arrays are not this run's cost
      const t = performance.now();
      const s = await loadAreaSystem(PLR, { idField: "PLR_ID" });
      n = s.features.length;
      return performance.now() - t;
    };
    const touched = async () => {
      collectGarbage();
      const t = performance.now();
      const s = await loadAreaSystem(PLR, { idField: "PLR_ID" });
      let k = 0;
      for (const f of s.features) k += f.projected.coordinates.length + f.wgs84.coordinates.length;
      if (k === 0) throw new Error("no coordinates");
      return performance.now() - t;
    };
    const py = pythonWithGeopandas();
    const worker = py ? pythonWorker(py) : undefined;
    const hello = worker ? await worker.next() : undefined;
    await ours(); // warm-up (the Python side warmed up before "ready")
    await touched();
    const load0 = loadavg()[0];
    const oursMs: number[] = [];
    const touchedMs: number[] = [];
    const gpMs: number[] = [];
    let gpN = 0;
    for (let r = 0; r < runs; r++) {
      oursMs.push(await ours());
      touchedMs.push(await touched());
      if (worker) {
        worker.send();
        const m = await worker.next();
        gpMs.push(m.ms as number);
        gpN = m.n as number;
      }
    }
    worker?.close();
    const load = `load average ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)} (${cpus().length} cores)`;
    const om = median(oursMs);
    results.push({ section: this.name, case: "kleinraum loadAreaSystem", medianMs: om, runs, note: `${n} features; min ${Math.min(...oursMs).toFixed(1)} ms` });
    results.push({ section: this.name, case: "  + GeoJSON of every feature (both CRSs)", medianMs: median(touchedMs), runs, note: `min ${Math.min(...touchedMs).toFixed(1)} ms (first access of f.projected and f.wgs84)` });
    if (!worker) {
      results.push({ section: this.name, case: "load", medianMs: NaN, runs, note: load });
      results.push({ section: this.name, case: "geopandas read_file + to_crs", medianMs: NaN, runs: 0, note: GEOPANDAS_HINT });
      return results;
    }
    const gm = median(gpMs);
    results.push({ section: this.name, case: `geopandas ${hello!.version} read_file + to_crs(4326)`, medianMs: gm, runs, note: `${gpN} features; min ${Math.min(...gpMs).toFixed(1)} ms` });
    results.push({
      section: this.name, case: "ratio geopandas / kleinraum", medianMs: NaN, runs,
      note: `${(gm / om).toFixed(2)}× on medians, ${(Math.min(...gpMs) / Math.min(...oursMs)).toFixed(2)}× on minima (goal ≥ 2×); ${load}`,
    });
    return results;
  },
};
