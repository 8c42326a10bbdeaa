/**
 * Benchmark section "export": figure export in the shared headless Chromium. District-level
 * choropleths (`indicatorChoropleth` of a `protectedIndicatorsFor` result, every indicator) of
 * Musterstadt's 17 statistical districts and, when ../shared/data is present, Berlin's 143
 * Bezirksregionen, rendered with `renderFigureImages` (the batch path of `exportFigures`): PNG at
 * 160 × 100 mm, 300 dpi (1890 × 1181 px), SVG, and PDF (`exportFigure` with only `pdf`, which
 * includes pdf-lib metadata). Reports figures per second and the warm-up (first render in a fresh
 * browser: Chromium start + plotly bundle). No outside reference tool; the goal is ≥ 20 PNG
 * choropleths per second after warm-up.
 */
import { mkdtempSync, rmSync } from "fs";
import * as os from "os";
import * as path from "path";
import { exportFigures } from "../../src/export/figures";
import { indicatorChoropleth } from "../../src/present/plotly/choropleth";
import { closeRenderer, renderFigureImages, type PlotlySpec } from "../../src/present/render";
import { loadDataset } from "../../src/project/config";
import { protectedIndicatorsFor } from "../../src/protect/dataset";
import { BenchResult, BenchSection, median, SHARED_DATA } from "./common";

const ROOT = path.resolve(__dirname, "../..");

async function choropleths(config: string, system: string): Promise<PlotlySpec[]> {
  const ds = await loadDataset(config, { validate: false });
  const p = protectedIndicatorsFor(ds, system);
  const sys = ds.areaSystems.get(system)!;
  return p.result.definitions.map((d) => indicatorChoropleth(sys, p.result, d.id, { protection: p, source: p.source }));
}

/** The "export" benchmark section. */
export const exportSection: BenchSection = {
  name: "export",
  description: "figure export: district choropleths per second as PNG (160×100 mm, 300 dpi), SVG, PDF; warm-up of the shared Chromium",
  async run({ runs }) {
    const out: BenchResult[] = [];
    const section = this.name;
    const out0 = mkdtempSync(path.join(os.tmpdir(), "kleinraum-bench-export-"));
    const prevOut = process.env.KLEINRAUM_OUTPUTS;
    process.env.KLEINRAUM_OUTPUTS = out0;
    try {
      const cases: Array<{ label: string; specs: PlotlySpec[] }> = [
        { label: "Musterstadt 17 statistical districts", specs: await choropleths(path.join(ROOT, "data/musterstadt/dataset.json"), "statbez") },
      ];
      try {
        cases.push({ label: "Berlin 143 Bezirksregionen", specs: await choropleths(path.join(ROOT, "data/berlin/dataset.json"), "bzr") });
      } catch (e) {
        out.push({ section, case: "Berlin 143 Bezirksregionen", medianMs: NaN, runs: 0, note: `skipped: ${(e as Error).message.split("\n")[0]} (needs ${SHARED_DATA})` });
      }
      await closeRenderer();
      const t0 = performance.now();
      await renderFigureImages([{ spec: cases[0]!.specs[0]!, width: 820, height: 512, pixelWidth: 1890, pixelHeight: 1181 }]);
      out.push({ section, case: "warm-up (Chromium start + plotly, 1 PNG)", medianMs: performance.now() - t0, runs: 1 });
      for (const c of cases) {
        const n = c.specs.length;
        const time = async (f: () => Promise<unknown>) => {
          await f(); // warm-up of this case
          const ms: number[] = [];
          for (let r = 0; r < runs; r++) {
            const t = performance.now();
            await f();
            ms.push(performance.now() - t);
          }
          return median(ms);
        };
        const png = await time(() => renderFigureImages(c.specs.map((spec) => ({ spec, width: 820, height: 512, pixelWidth: 1890, pixelHeight: 1181, formats: ["png"] }))));
        out.push({ section, case: `${c.label}: PNG 1890×1181, ${n} maps`, medianMs: png, runs, note: `${((n * 1000) / png).toFixed(1)} figures/s (${(png / n).toFixed(0)} ms each)` });
        const screen = await time(() => renderFigureImages(c.specs.map((spec) => ({ spec, width: 820, height: 512, pixelWidth: 605, pixelHeight: 378, formats: ["png"] }))));
        out.push({ section, case: `${c.label}: PNG 605×378 (96 dpi), ${n} maps`, medianMs: screen, runs, note: `${((n * 1000) / screen).toFixed(1)} figures/s (screen resolution, for comparison)` });
        const svg = await time(() => renderFigureImages(c.specs.map((spec) => ({ spec, width: 820, height: 512, formats: ["svg"] }))));
        out.push({ section, case: `${c.label}: SVG, ${n} maps`, medianMs: svg, runs, note: `${((n * 1000) / svg).toFixed(1)} figures/s` });
        const items = c.specs.map((spec, i) => ({ name: `bench/${i}`, spec, options: { formats: ["pdf" as const] } }));
        const pdf = await time(() => exportFigures("bench-export", items));
        out.push({ section, case: `${c.label}: PDF files (exportFigures), ${n} maps`, medianMs: pdf, runs, note: `${((n * 1000) / pdf).toFixed(1)} figures/s` });
        const all = c.specs.slice(0, 5).map((spec, i) => ({ name: `bench/all-${i}`, spec }));
        const four = await time(() => exportFigures("bench-export", all));
        out.push({ section, case: `${c.label}: all four formats, 5 maps`, medianMs: four, runs, note: `${((5 * 1000) / four).toFixed(1)} figures/s (PNG+SVG+PDF+HTML written)` });
      }
    } finally {
      await closeRenderer();
      process.env.KLEINRAUM_OUTPUTS = prevOut;
      if (prevOut === undefined) delete process.env.KLEINRAUM_OUTPUTS;
      rmSync(out0, { recursive: true, force: true });
    }
    return out;
  },
};
