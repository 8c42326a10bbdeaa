/**
 * Benchmark section "atlas": the public atlas (`buildAtlas`) of Musterstadt and of Berlin's
 * 542 PLR — build time (without profile pages), the bytes index.html loads for the first map
 * (page, CSS, JS, the shown system's data), and the time from navigation start to the first
 * map painted in headless Chromium (performance marks of atlas.js, loaded from file://).
 * No outside reference tool; the goal is under 1 MB and under 1 s.
 */
import { existsSync, mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { buildAtlas } from "../../src/atlas/build";
import { launchAtlasBrowser, measureAtlasLoad } from "../../src/atlas/browser";
import { loadDataset } from "../../src/project/config";
import { BenchResult, BenchSection, SHARED_DATA, median } from "./common";

const CASES = [
  { name: "Musterstadt (statbez, 17)", config: path.resolve(__dirname, "../../data/musterstadt/dataset.json"), system: undefined, needsShared: false },
  { name: "Berlin PLR (542)", config: path.resolve(__dirname, "../../data/berlin/dataset.json"), system: "plr", needsShared: true },
];

/** The "atlas" benchmark section. */
export const atlasSection: BenchSection = {
  name: "atlas",
  description: "static atlas: build time, bytes loaded for the first map, time to first map in headless Chromium (Musterstadt, Berlin 542 PLR)",
  async run({ runs }) {
    const out: BenchResult[] = [];
    const browser = await launchAtlasBrowser();
    try {
      for (const c of CASES) {
        if (c.needsShared && !existsSync(SHARED_DATA)) {
          out.push({ section: this.name, case: c.name, medianMs: NaN, runs: 0, note: `skipped: ${SHARED_DATA} not found` });
          continue;
        }
        const ds = await loadDataset(c.config, { validate: false });
        const dir = mkdtempSync(path.join(tmpdir(), "kr-bench-atlas-"));
        try {
          const builds: number[] = [];
          let last = await buildAtlas(ds, { outDir: dir, profiles: "none", ...(c.system ? { defaultSystem: c.system } : {}) });
          for (let r = 0; r < Math.min(runs, 3); r++) {
            last = await buildAtlas(ds, { outDir: dir, profiles: "none", ...(c.system ? { defaultSystem: c.system } : {}) });
            builds.push(last.ms);
          }
          out.push({ section: this.name, case: `${c.name}: build (no profiles)`, medianMs: median(builds), runs: builds.length, note: `${last.files} files, ${(last.bytes / 1024).toFixed(0)} KiB` });
          const m = await measureAtlasLoad(dir, { runs, browser });
          out.push({
            section: this.name, case: `${c.name}: first map painted`, medianMs: m.mapPaintedMs, runs,
            note: `loads ${(m.bytes / 1024).toFixed(0)} KiB in ${m.files.length} files (${m.files.map((f) => `${f.file} ${(f.bytes / 1024).toFixed(0)}`).join(", ")}); atlas.js starts ${m.scriptStartMs.toFixed(0)} ms, data ${m.dataMs.toFixed(0)} ms, drawn ${m.mapDrawnMs.toFixed(0)} ms; ${m.areas} areas`,
          });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    } finally {
      await browser.close();
    }
    return out;
  },
};
