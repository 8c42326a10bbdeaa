/**
 * Benchmarks: `npm run bench [-- <section> …] [--runs N]`. Each section lives in
 * `scripts/bench/<name>.ts` and is registered in SECTIONS below; without arguments all run.
 * Prints a table of median wall times (ms).
 */
import { BenchResult, BenchSection } from "./bench/common";
import { loadDatasetSection } from "./bench/load-dataset";
import { loadGeometrySection } from "./bench/load-geometry";
import { overlaySection } from "./bench/overlay";
import { indicatorsSection } from "./bench/indicators";
import { zoningSection } from "./bench/zoning";
import { atlasSection } from "./bench/atlas";
import { profilesSection } from "./bench/profiles";
import { exportSection } from "./bench/export";

/** Registered sections, in run order. Add new ones here. */
const SECTIONS: BenchSection[] = [loadGeometrySection, loadDatasetSection, overlaySection, indicatorsSection, zoningSection, atlasSection, profilesSection, exportSection];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let runs = 7;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--runs") runs = Number(args[++i]);
    else if (args[i] === "--list") {
      for (const s of SECTIONS) console.log(`${s.name}\t${s.description}`);
      return;
    } else names.push(args[i]);
  }
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`invalid --runs: ${runs} (expected a positive integer)`);
  const unknown = names.filter((n) => !SECTIONS.some((s) => s.name === n));
  if (unknown.length) throw new Error(`invalid section: ${unknown.join(", ")} (expected one of ${SECTIONS.map((s) => s.name).join(", ")})`);
  const chosen = names.length ? SECTIONS.filter((s) => names.includes(s.name)) : SECTIONS;
  const all: BenchResult[] = [];
  for (const s of chosen) {
    console.log(`# ${s.name}: ${s.description} (${runs} runs after a warm-up, median)`);
    const res = await s.run({ runs });
    for (const r of res) console.log(`  ${r.case.padEnd(44)} ${Number.isNaN(r.medianMs) ? "".padStart(10) : `${r.medianMs.toFixed(1).padStart(7)} ms`}  ${r.note ?? ""}`);
    all.push(...res);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
