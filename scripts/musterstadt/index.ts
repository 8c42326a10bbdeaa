/**
 * Musterstadt: a deterministic synthetic default dataset shaped like Bottrop (NRW).
 *
 * `buildMusterstadt(seed)` returns the in-memory model (geometry + counts);
 * `writeMusterstadt(outDir, seed)` writes the files cities deliver into `outDir`.
 */
import { mkdirSync, writeFileSync } from "fs";
import * as path from "path";
import { renderFiles, type OutputFile } from "./files";
import { buildGeography, type Geography } from "./layout";
import { createRng } from "./prng";
import { buildStatistics, DEFAULT_TARGETS, type StatisticsModel } from "./stats";
import { summarize, type Summary } from "./summary";

export { DEFAULT_TARGETS } from "./stats";
export type { CountRecord, QuarterGeo, StatisticsModel, Targets } from "./stats";
export type { BlockGroupGeo, DistrictGeo, Geography } from "./layout";
export { indicators, sumCounts, summarize } from "./summary";

/** The seed of the committed dataset. */
export const DEFAULT_SEED = 20241231;

/** The generated city in memory. */
export interface MusterstadtModel {
  seed: number;
  years: number[];
  geography: Geography;
  statistics: StatisticsModel;
}

/**
 * Builds Musterstadt in memory: ~250 block groups, 17 statistical districts, 3 Stadtbezirke,
 * 8 quarters, counts for 2019–2024. Deterministic in `seed`.
 *
 * @example
 * const city = buildMusterstadt();
 * city.geography.statbez.length;                      // 17
 * city.statistics.counts[2024][0].pop_total;          // residents of block group 0 in 2024
 */
export function buildMusterstadt(seed: number = DEFAULT_SEED): MusterstadtModel {
  const rng = createRng(seed);
  const geography = buildGeography(rng.fork("geometry"), {
    blockGroups: 250,
    area: 100.6e6,
    center: [356800, 5715700],
    semiAxes: [4300, 8300],
  });
  const statistics = buildStatistics(rng.fork("statistics"), geography, DEFAULT_TARGETS);
  return { seed, years: statistics.years, geography, statistics };
}

/**
 * Renders the files of a model (paths relative to the dataset folder).
 *
 * @example
 * const files = await renderMusterstadt(buildMusterstadt());
 * files.find((f) => f.path === "dataset.json");
 */
export function renderMusterstadt(model: MusterstadtModel): Promise<OutputFile[]> {
  return renderFiles(model.seed, model.geography, model.statistics);
}

/**
 * Generates Musterstadt and writes its files into `outDir` (created if missing); writes
 * nothing outside it. Returns the written paths (relative) and the summary.
 *
 * @example
 * const { files, summary } = await writeMusterstadt("/tmp/musterstadt");
 * summary.city.childPoverty; // ≈ 0.224
 */
export async function writeMusterstadt(outDir: string, seed: number = DEFAULT_SEED): Promise<{ files: string[]; summary: Summary; model: MusterstadtModel }> {
  const model = buildMusterstadt(seed);
  const files = await renderMusterstadt(model);
  for (const f of files) {
    const target = path.join(outDir, ...f.path.split("/"));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, f.data);
  }
  return { files: files.map((f) => f.path), summary: summarize(model.geography, model.statistics), model };
}
