/**
 * Generates the default dataset "Musterstadt" (synthetic, Bottrop-like) into data/musterstadt/.
 *
 *   npx tsx scripts/generate-musterstadt.ts [--out DIR] [--seed N]
 *
 * Deterministic: the same seed gives byte-identical files. See data/musterstadt/README.md.
 */
import { existsSync, readdirSync, statSync } from "fs";
import * as path from "path";
import { DEFAULT_SEED, writeMusterstadt } from "./musterstadt";
import { formatPercent, formatThousands } from "./musterstadt/files";

function parseArgs(argv: string[]): { out: string; seed: number } {
  let out = path.resolve(__dirname, "..", "data", "musterstadt");
  let seed = DEFAULT_SEED;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
      if (v === undefined) throw new Error(`missing value for ${a}`);
      return v;
    };
    if (a === "--out" || a.startsWith("--out=")) out = path.resolve(value());
    else if (a === "--seed" || a.startsWith("--seed=")) {
      seed = Number(value());
      if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer`);
    } else if (a === "--help" || a === "-h") {
      console.log("usage: npx tsx scripts/generate-musterstadt.ts [--out DIR] [--seed N]");
      process.exit(0);
    } else throw new Error(`unknown argument: ${a}`);
  }
  return { out, seed };
}

function listFiles(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((name) => {
    const p = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(p).isDirectory() ? listFiles(p, rel) : [rel];
  });
}

async function main(): Promise<void> {
  const { out, seed } = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const { files, summary } = await writeMusterstadt(out, seed);
  const ms = performance.now() - t0;
  const c = summary.city;
  console.log(`Musterstadt (seed ${seed}): ${files.length} files written to ${out} in ${(ms / 1000).toFixed(1)} s`);
  console.log(
    `${summary.year}: ${formatThousands(c.population)} Einwohner, 65+ ${formatPercent(c.share65plus)} %, ` +
      `Migrationshintergrund ${formatPercent(c.migrationBackground)} %, Arbeitslose/E15–65 ${formatPercent(c.unemployment)} %, ` +
      `BG/Haushalte ${formatPercent(c.sgb2Households)} %, Kinder in BG ${formatPercent(c.childPoverty)} %, ` +
      `Personen/Haushalt ${c.personsPerHousehold.toFixed(2).replace(".", ",")}`,
  );
  console.log(
    `Armutsinsel ${summary.pocket.id} ${summary.pocket.name}: Kinder in BG ${formatPercent(summary.pocket.childPoverty)} % ` +
      `vs. Statistischer Bezirk ${summary.pocketDistrict.id} ${summary.pocketDistrict.name}: ${formatPercent(summary.pocketDistrict.childPoverty)} %`,
  );
  const stale = listFiles(out).filter((f) => !files.includes(f));
  if (stale.length) console.warn(`note: files in ${out} not written by this run (left untouched): ${stale.join(", ")}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
