/**
 * Benchmark section "profiles": area profiles (Stadtteilsteckbriefe, `writeAreaProfiles`) as
 * HTML + PDF for every area of a system — Musterstadt's 17 statistical districts (goal < 10 s)
 * and Berlin's 143 Bezirksregionen (goal < 60 s, when ../shared/data is there), after dataset
 * loading. The first run includes the preparation of the system (protection, geometry, spine
 * ranges) and the start of the shared Chromium; the warm runs reuse both (as a notebook that
 * writes profiles twice would). Files go to a temporary outputs folder. There is no reference
 * tool; the figures guard the goals. The machine's load average is printed with the figures.
 */
import { existsSync, mkdtempSync, rmSync } from "fs";
import { loadavg, tmpdir } from "os";
import * as path from "path";
import { writeAreaProfiles } from "../../src/export/profile";
import { loadDataset } from "../../src/project/config";
import { closeRenderer, renderHtmlPdf } from "../../src/present/render";
import { BenchResult, BenchSection, median } from "./common";

const CASES = [
  { config: path.resolve(__dirname, "../../data/musterstadt/dataset.json"), system: "statbez", label: "Musterstadt statbez", goalMs: 10_000 },
  { config: path.resolve(__dirname, "../../data/berlin/dataset.json"), system: "bzr", label: "Berlin bzr", goalMs: 60_000, needs: path.resolve(__dirname, "../../../shared/data/berlin-lor-2021-shapes") },
];

/** The "profiles" benchmark section. */
export const profilesSection: BenchSection = {
  name: "profiles",
  description: "area profiles HTML+PDF for every area: Musterstadt 17 statbez (goal < 10 s), Berlin 143 bzr (goal < 60 s)",
  async run({ runs }) {
    const out: BenchResult[] = [];
    const previous = process.env.KLEINRAUM_OUTPUTS;
    const dir = mkdtempSync(path.join(tmpdir(), "kleinraum-bench-profiles-"));
    process.env.KLEINRAUM_OUTPUTS = dir;
    try {
      for (const c of CASES) {
        if (c.needs && !existsSync(c.needs)) {
          out.push({ section: "profiles", case: `${c.label}: skipped`, medianMs: NaN, runs: 0, note: `${c.needs} not found` });
          continue;
        }
        const ds = await loadDataset(c.config, { validate: false });
        if (c.system === "statbez") {
          // The start of the shared Chromium alone (render.ts loads the plotly bundle into it at start).
          await closeRenderer();
          const t = performance.now();
          await renderHtmlPdf("<!doctype html><title>Start</title>");
          out.push({ section: "profiles", case: "Chromium start (first renderHtmlPdf)", medianMs: performance.now() - t, runs: 1, note: `part of every first run below; load ${loadavg()[0]!.toFixed(1)}` });
        }
        await closeRenderer(); // the first run starts Chromium, as in a fresh notebook
        const load = loadavg()[0]!.toFixed(1);
        const first = await writeAreaProfiles(ds, c.system, "bench-profiles", { folder: c.system });
        const n = first.areas.length;
        const t = first.timings;
        out.push({
          section: "profiles", case: `${c.label} (${n}) first run`, medianMs: t.totalMs, runs: 1,
          note: `prepare ${Math.round(t.prepareMs)} ms, html ${Math.round(t.htmlMs)} ms, pdf ${Math.round(t.pdfMs)} ms (incl. Chromium start); goal < ${c.goalMs / 1000} s: ${t.totalMs < c.goalMs ? "met" : "MISSED"}; load ${load}`,
        });
        const warm: number[] = [];
        const pdf: number[] = [];
        const warmRuns = Math.max(1, Math.min(runs, c.system === "bzr" ? 2 : 3));
        for (let r = 0; r < warmRuns; r++) {
          const w = await writeAreaProfiles(ds, c.system, "bench-profiles", { folder: c.system });
          warm.push(w.timings.totalMs);
          pdf.push(w.timings.pdfMs);
        }
        out.push({
          section: "profiles", case: `${c.label} (${n}) warm`, medianMs: median(warm), runs: warm.length,
          note: `pdf ${Math.round(median(pdf))} ms, ${(median(warm) / n).toFixed(0)} ms per area; load ${loadavg()[0]!.toFixed(1)}`,
        });
      }
    } finally {
      await closeRenderer();
      if (previous === undefined) delete process.env.KLEINRAUM_OUTPUTS; else process.env.KLEINRAUM_OUTPUTS = previous;
      rmSync(dir, { recursive: true, force: true });
    }
    return out;
  },
};
