/**
 * Benchmark section "zoning": the MAUP experiment at Berlin scale — 10,000 random contiguous
 * zonings of the 542 planning areas (PLR, LOR 2021 boundaries from ../shared/data) into ~140
 * regions (seeded region growing, population floor/ceiling from the 2024 PLR residents of
 * data/berlin/dataset.json), and per planning area the distribution of the share 65+ of its
 * region (min, quartiles, max, share of zonings in the top quintile). Goal: under 10 s for
 * zonings + distribution. Loading the data and the queen weights are timed apart (once).
 * Contiguity and partition are verified for a sample of 100 zonings. There is no reference
 * tool (PySAL's max-p/AZP is orders of magnitude slower and not installed here); the figure
 * guards against regressions. The machine's load average is printed with the figures.
 */
import * as path from "path";
import { cpus, loadavg } from "os";
import { loadDataset } from "../../src/project/config";
import { countsFor } from "../../src/areas/hierarchy";
import { contiguityWeights } from "../../src/explore/weights";
import { computeIndicators } from "../../src/indicators/compute";
import { checkZonings, randomZonings, zoningDistribution, zoningGraph, zoningSummary } from "../../src/areas/zoning";
import { BenchResult, BenchSection, collectGarbage, median } from "./common";

const BERLIN = path.resolve(__dirname, "../../data/berlin/dataset.json");

/** The "zoning" benchmark section. */
export const zoningSection: BenchSection = {
  name: "zoning",
  description: "10,000 random contiguous zonings of Berlin's 542 PLR into ~140 regions + share-65+ distribution per PLR (goal < 10 s)",
  async run({ runs }) {
    const load0 = loadavg()[0]!;
    let t = performance.now();
    const ds = await loadDataset(BERLIN, { validate: false });
    const plr = ds.areaSystems.get("plr")!;
    const c = countsFor(ds, "plr");
    const msLoad = performance.now() - t;
    const Y = c.years.length, V = c.variables.length, y = c.years.indexOf(2024);
    if (y < 0) throw new Error(`Berlin PLR counts have no 2024 (years ${c.years.join(", ")})`);
    const r = computeIndicators(c, { indicators: ["share_65plus"] });
    const row = new Map(c.areas.map((a, i) => [a, i]));
    const pv = c.variables.indexOf("pop_total");
    const at = (id: string) => row.get(id);
    const pop = plr.features.map((f) => { const a = at(f.id); const v = a === undefined ? 0 : c.values[(a * Y + y) * V + pv]!; return Number.isFinite(v) ? v : 0; });
    const num = plr.features.map((f) => { const a = at(f.id); return a === undefined ? NaN : r.numerator[a * Y + y]!; });
    const den = plr.features.map((f) => { const a = at(f.id); return a === undefined ? NaN : r.denominator[a * Y + y]!; });
    t = performance.now();
    const graph = zoningGraph(contiguityWeights(plr.features));
    const msWeights = performance.now() - t;
    const once = () => {
      collectGarbage();
      const t0 = performance.now();
      const z = randomZonings(graph, pop, { regions: 140, zonings: 10000, seed: 2024 });
      const t1 = performance.now();
      const d = zoningDistribution(z, num, den);
      const t2 = performance.now();
      return { z, d, zon: t1 - t0, dist: t2 - t1 };
    };
    const n = Math.max(1, Math.min(runs, 3));
    const res: ReturnType<typeof once>[] = [];
    for (let i = 0; i < n; i++) res.push(once());
    const last = res[res.length - 1]!;
    const s = zoningSummary(last.z);
    const check = checkZonings(last.z, graph, Array.from({ length: 100 }, (_, i) => i * 100));
    const load = `load average ${load0.toFixed(2)} → ${loadavg()[0]!.toFixed(2)} (${cpus().length} cores)`;
    const totals = res.map((x) => x.zon + x.dist);
    const out: BenchResult[] = [
      { section: this.name, case: "load Berlin dataset + PLR counts (once)", medianMs: msLoad, runs: 1 },
      { section: this.name, case: "queen weights 542 PLR + graph (once)", medianMs: msWeights, runs: 1 },
      { section: this.name, case: "randomZonings 10,000 × 542 → ~140", medianMs: median(res.map((x) => x.zon)), runs: n,
        note: `regions/zoning min ${s.regions.min} mean ${s.regions.mean.toFixed(1)} max ${s.regions.max}; residents/region ${Math.round(s.population.min)}–${Math.round(s.population.max)} (bounds ${Math.round(s.minPopulation)}–${Math.round(s.maxPopulation)}); violations floor ${s.floorViolations}, ceiling ${s.ceilingViolations}` },
      { section: this.name, case: "zoningDistribution share 65+ (542 × 10,000)", medianMs: median(res.map((x) => x.dist)), runs: n },
      { section: this.name, case: "total zonings + distribution (goal < 10 s)", medianMs: median(totals), runs: n,
        note: `${median(totals) < 10000 ? "goal met" : "GOAL MISSED"}; min ${Math.min(...totals).toFixed(0)} ms; ${load}` },
      { section: this.name, case: "checkZonings sample of 100", medianMs: NaN, runs: 1,
        note: `${check.regions} regions: ${check.notPartition.length} not a partition, ${check.notContiguous.length} not contiguous, total difference ${check.maxTotalDifference}` },
    ];
    return out;
  },
};
