/**
 * Benchmark section "load-dataset": `loadDataset` end to end (every area system and statistics
 * file, validation included) on the bundled Musterstadt configuration. There is no reference
 * tool for this; the figure guards against regressions of the loaders and the validator.
 */
import * as path from "path";
import { loadDataset } from "../../src/project/config";
import { BenchResult, BenchSection, collectGarbage, median } from "./common";

const MUSTERSTADT = path.resolve(__dirname, "../../data/musterstadt/dataset.json");

/** The "load-dataset" benchmark section. */
export const loadDatasetSection: BenchSection = {
  name: "load-dataset",
  description: "loadDataset(data/musterstadt/dataset.json): all area systems and statistics, with validation",
  async run({ runs }) {
    const once = async () => {
      collectGarbage();
      const t = performance.now();
      const ds = await loadDataset(MUSTERSTADT);
      return { ms: performance.now() - t, n: ds.report.findings.length };
    };
    await once(); // warm-up
    const ms: number[] = [];
    let findings = 0;
    for (let r = 0; r < runs; r++) {
      const o = await once();
      ms.push(o.ms);
      findings = o.n;
    }
    const res: BenchResult = {
      section: this.name, case: "kleinraum loadDataset(musterstadt)", medianMs: median(ms), runs,
      note: `${findings} findings; min ${Math.min(...ms).toFixed(1)} ms`,
    };
    return [res];
  },
};
