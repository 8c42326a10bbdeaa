/**
 * `npm run jupyter`: opens Jupyter Notebook on notebooks/ with the project kernel selected.
 *
 *   npm run jupyter                                   (Musterstadt)
 *   npm run jupyter -- --config data/berlin/dataset.json
 *   npm run jupyter -- --no-browser --port 8899       (other arguments go to Jupyter)
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { KERNEL_NAME, ROOT, jupyterEnv, jupyterPython } from "./lib/jupyter-env";

const args = process.argv.slice(2);
const extra: Record<string, string> = {};
const i = args.indexOf("--config");
if (i >= 0) {
  const value = args[i + 1];
  if (!value) throw new Error("--config needs a file");
  extra.KLEINRAUM_CONFIG = path.resolve(value);
  args.splice(i, 2);
}
if (process.env.KLEINRAUM_CONFIG) extra.KLEINRAUM_CONFIG ??= path.resolve(process.env.KLEINRAUM_CONFIG);

const child = spawn(
  jupyterPython(),
  [
    "-m", "notebook",
    `--NotebookApp.notebook_dir=${path.join(ROOT, "notebooks")}`,
    `--MappingKernelManager.default_kernel_name=${KERNEL_NAME}`,
    // Jupyter refuses to run as root without this (containers, CI).
    ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
    ...args,
  ],
  { stdio: "inherit", env: jupyterEnv(extra), cwd: ROOT },
);
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
