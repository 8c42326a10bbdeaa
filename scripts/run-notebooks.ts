/**
 * `npm start`: executes every numbered notebook in notebooks/ headless with the project kernel.
 *
 *   npm start                                  all notebooks on the bundled Musterstadt → outputs/
 *   npm start -- --notebook 02                 only notebooks whose name starts with 02
 *   npm start -- --config data/berlin/dataset.json   all notebooks on another city → outputs/<id>/
 *   npm start -- --out /tmp/run                another output folder
 *   npm start -- --changed                     only what changed since the last run (watch mode)
 *   npm start -- --jobs 1                      one notebook at a time (default 2 kernels in parallel)
 * The environment variable KLEINRAUM_CONFIG works like --config.
 * Exits non-zero, naming notebook and cell, when a cell fails.
 */
import { parseArgs } from "node:util";
import { runNotebooks } from "./lib/runner";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      notebook: { type: "string", short: "n", multiple: true },
      config: { type: "string", short: "c" },
      out: { type: "string", short: "o" },
      "notebooks-dir": { type: "string" },
      changed: { type: "boolean", default: false },
      timeout: { type: "string" },
      jobs: { type: "string", short: "j" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log("usage: npm start -- [--notebook 01] [--config file.json] [--out dir] [--changed] [--jobs N] [--timeout seconds]");
    return;
  }
  const run = await runNotebooks({
    only: values.notebook,
    config: values.config ?? process.env.KLEINRAUM_CONFIG,
    outDir: values.out,
    notebooksDir: values["notebooks-dir"],
    changedOnly: values.changed,
    timeout: values.timeout ? Number(values.timeout) : undefined,
    jobs: values.jobs ? Number(values.jobs) : undefined,
  });
  if (!run.ok) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
