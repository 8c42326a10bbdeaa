/**
 * Shared helpers of the benchmark sections (`scripts/bench.ts`).
 */
import { spawnSync } from "child_process";
import { existsSync } from "fs";
import * as path from "path";

/** One benchmark section: a name for the command line and a run function printing its results. */
export interface BenchSection {
  /** Name used on the command line, e.g. `"load-geometry"`. */
  name: string;
  /** One line saying what is measured. */
  description: string;
  /** Runs the section; `runs` is the number of timed repetitions per side. */
  run(options: { runs: number }): Promise<BenchResult[]>;
}

/** One measured figure, printed as a table row. */
export interface BenchResult {
  section: string;
  case: string;
  /** Median wall time in ms (NaN when the side could not run). */
  medianMs: number;
  runs: number;
  note?: string;
}

/**
 * Median of a list of numbers (NaN for an empty list).
 *
 * @example
 * median([3, 1, 2]); // 2
 */
export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Times an async function `runs` times after one warm-up call; returns the times in ms.
 *
 * @example
 * const ms = await timeRuns(5, () => loadAreaSystem(file, { idField: "PLR_ID" }));
 */
export async function timeRuns(runs: number, f: () => Promise<unknown> | unknown): Promise<number[]> {
  await f();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return out;
}

/**
 * Runs a full garbage collection, so a timed run does not pay for the garbage of the previous
 * one (a notebook loads a file once). Uses `--expose-gc` through V8 flags; a no-op if that fails.
 *
 * @example
 * collectGarbage(); const t = performance.now(); work(); const ms = performance.now() - t;
 */
export function collectGarbage(): void {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    require("v8").setFlagsFromString("--expose-gc");
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const gc = require("vm").runInNewContext("gc") as () => void;
    gc();
  } catch {
    /* not available */
  }
}

/** The folder of the shared example data (`../shared/data` from the project root). */
export const SHARED_DATA = path.resolve(__dirname, "../../../shared/data");

/**
 * The Python interpreter that has geopandas: `$KLEINRAUM_PYTHON`, else Debian's
 * `/usr/bin/python3`, else `python3` from PATH; `undefined` when none imports geopandas.
 *
 * @example
 * const py = pythonWithGeopandas(); // "/usr/bin/python3"
 */
export function pythonWithGeopandas(): string | undefined {
  const candidates = [process.env.KLEINRAUM_PYTHON, "/usr/bin/python3", "python3"].filter((x): x is string => !!x);
  for (const py of candidates) {
    if (py.startsWith("/") && !existsSync(py)) continue;
    const r = spawnSync(py, ["-c", "import geopandas"], { encoding: "utf8" });
    if (r.status === 0) return py;
  }
  return undefined;
}

/** How to get geopandas on this machine (Debian 12; PyPI may be unreachable). */
export const GEOPANDAS_HINT =
  "geopandas not found. Install it with: sudo apt-get install -y --no-install-recommends python3-geopandas (Debian 12: geopandas 0.12, used via /usr/bin/python3), or set KLEINRAUM_PYTHON to an interpreter that has it.";
