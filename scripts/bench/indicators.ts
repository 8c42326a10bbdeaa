/**
 * Benchmark section "indicators": the full indicator set with four-year change, city reference
 * and ranks (a) on Berlin's real PLR counts, 2015–2020 (old LOR, 447/448 PLR) and 2021–2024
 * (542 PLR), as far as the data supports the catalogue, and (b) on a Berlin-sized synthetic
 * table (542 areas × 10 years × every count variable, seeded) where every catalogue indicator
 * is computable. Reports median time and the heap the computation allocates, and the process's
 * peak RSS. There is no outside reference tool; the goal is under 1 s.
 */
import * as path from "path";
import { computeIndicators } from "../../src/indicators/compute";
import { indicatorsFor } from "../../src/indicators/dataset";
import { INDICATORS } from "../../src/indicators/catalogue";
import { loadDataset } from "../../src/project/config";
import { mulberry32 } from "../../src/random";
import { COUNT_VARIABLES } from "../../src/variables";
import { BenchResult, BenchSection, collectGarbage, median } from "./common";

const BERLIN = path.resolve(__dirname, "../../data/berlin/dataset.json");

function syntheticCube(areas: number, years: number) {
  const variables = COUNT_VARIABLES.map((v) => v.id);
  const rnd = mulberry32(20241231);
  const values = new Float64Array(areas * years * variables.length);
  for (let i = 0; i < values.length; i++) values[i] = Math.floor(rnd() * 500);
  return { areas: Array.from({ length: areas }, (_, i) => String(i).padStart(8, "0")), years: Array.from({ length: years }, (_, i) => 2015 + i), variables, values };
}

/** The "indicators" benchmark section. */
export const indicatorsSection: BenchSection = {
  name: "indicators",
  description: "full indicator set with change, city reference and ranks: Berlin PLR 2015–2024 and a Berlin-sized synthetic table",
  async run({ runs }) {
    const out: BenchResult[] = [];
    const timed = (f: () => unknown) => {
      f(); // warm-up
      const ms: number[] = [];
      let heap = 0;
      for (let r = 0; r < runs; r++) {
        collectGarbage();
        const h0 = process.memoryUsage().heapUsed;
        const t = performance.now();
        const res = f();
        ms.push(performance.now() - t);
        heap = Math.max(heap, process.memoryUsage().heapUsed - h0);
        void res;
      }
      return { ms, heap };
    };
    try {
      const ds = await loadDataset(BERLIN, { validate: false });
      let cells = 0;
      const t = timed(() => {
        cells = 0;
        for (const sys of ["plr2006", "plr"]) {
          const r = indicatorsFor(ds, sys);
          cells += r.value.length;
        }
      });
      out.push({
        section: this.name, case: "kleinraum Berlin PLR 2015–2024 (both vintages)", medianMs: median(t.ms), runs,
        note: `${cells} area×year×indicator values; min ${Math.min(...t.ms).toFixed(1)} ms; heap +${(t.heap / 2 ** 20).toFixed(1)} MiB`,
      });
    } catch (e) {
      out.push({ section: this.name, case: "Berlin PLR", medianMs: NaN, runs: 0, note: `skipped: ${(e as Error).message}` });
    }
    const cube = syntheticCube(542, 10);
    const t = timed(() => computeIndicators(cube));
    out.push({
      section: this.name, case: `kleinraum synthetic 542 × 10 years, ${INDICATORS.length} indicators`, medianMs: median(t.ms), runs,
      note: `min ${Math.min(...t.ms).toFixed(1)} ms; heap +${(t.heap / 2 ** 20).toFixed(1)} MiB; peak RSS of the bench process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
    });
    return out;
  },
};
