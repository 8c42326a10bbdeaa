/**
 * `npm run atlas`: writes the public "Demografie- und Sozialatlas" of a dataset as a static site.
 *
 *   npm run atlas                                        Musterstadt → outputs/atlas/
 *   npm run atlas -- --config data/berlin/dataset.json   Berlin → outputs/berlin/atlas/
 *   npm run atlas -- --out /tmp/atlas                    another folder
 *   npm run atlas -- --profiles 200                      profile pages only for systems with ≤ 200 areas
 *   npm run atlas -- --measure                           also load it in headless Chromium: size, time to first map
 * The environment variable KLEINRAUM_CONFIG works like --config (as for npm start).
 */
import * as path from "path";
import { parseArgs } from "node:util";
import { readFileSync } from "fs";
import { buildAtlas } from "../src/atlas/build";
import { measureAtlasLoad } from "../src/atlas/browser";
import { loadDataset } from "../src/project/config";
import { DEFAULT_CONFIG, projectRoot } from "../src/project/paths";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: "string", short: "c" },
      out: { type: "string", short: "o" },
      profiles: { type: "string" },
      measure: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log("usage: npm run atlas -- [--config file.json] [--out dir] [--profiles all|none|N] [--measure]");
    return;
  }
  const root = projectRoot();
  const config = path.resolve(root, values.config ?? process.env.KLEINRAUM_CONFIG ?? DEFAULT_CONFIG);
  const isDefault = config === path.resolve(root, DEFAULT_CONFIG);
  // Like npm start: another dataset writes to outputs/<dataset id>/.
  const id = (JSON.parse(readFileSync(config, "utf8")) as { id?: string }).id ?? path.basename(config, ".json");
  const outDir = path.resolve(values.out ?? (isDefault ? path.join(root, "outputs", "atlas") : path.join(root, "outputs", id, "atlas")));
  const p = values.profiles;
  const profiles = p === undefined || p === "all" ? "all" : p === "none" ? "none" : Number(p);
  if (typeof profiles === "number" && !(profiles >= 0)) throw new Error(`invalid --profiles: ${p} (expected all, none or a number of areas)`);
  const ds = await loadDataset(config);
  const r = await buildAtlas(ds, { outDir, profiles });
  const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
  console.log(`Atlas ${path.relative(root, r.index)} (${r.ms} ms): ${r.systems.map((s) => `${s.label} ${s.areas}`).join(", ")}`);
  console.log(`  ${r.files} files, ${kib(r.bytes)}; first map loads ${kib(r.initialBytes)}; ${r.profiles} profile pages (${r.profileSource}, ${r.profileMs} ms); downloads CSV${r.xlsx ? " + XLSX" : ""}`);
  if (values.measure) {
    const m = await measureAtlasLoad(r.dir, { runs: 5 });
    console.log(`  in Chromium: ${kib(m.bytes)} in ${m.files.length} files (${m.files.map((f) => f.file).join(", ")}), ${m.areas} areas; atlas.js starts after ${m.scriptStartMs.toFixed(0)} ms, data loaded ${m.dataMs.toFixed(0)} ms, map drawn ${m.mapDrawnMs.toFixed(0)} ms, painted after ${m.mapPaintedMs.toFixed(0)} ms (median of 5)`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
