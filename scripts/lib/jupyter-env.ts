/**
 * Where the project keeps its Jupyter pieces, and how scripts find the Python that runs Jupyter.
 *
 * The kernelspec lives inside the project (`.jupyter/share/jupyter/kernels/kleinraum/`), never
 * in the user's global Jupyter; every script that starts Jupyter puts `.jupyter/share/jupyter`
 * on `JUPYTER_PATH`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");
export const KERNEL_NAME = "kleinraum";
export const KERNEL_DISPLAY_NAME = "TypeScript (kleinraum)";
export const JUPYTER_DIR = path.join(ROOT, ".jupyter");
export const JUPYTER_DATA = path.join(JUPYTER_DIR, "share", "jupyter");
export const KERNEL_DIR = path.join(JUPYTER_DATA, "kernels", KERNEL_NAME);
/** Written by setup: the Python interpreter that has Jupyter. */
export const PYTHON_FILE = path.join(JUPYTER_DIR, "python.json");

/** Python modules the project needs from Jupyter. */
export const JUPYTER_MODULES = ["nbconvert", "nbclient", "nbformat", "ipykernel", "jupyter_client", "notebook"];

/** Debian/Ubuntu packages that provide them (STACK.md). */
export const APT_PACKAGES = ["jupyter-nbconvert", "python3-ipykernel", "jupyter-client", "jupyter-notebook", "python3-nbformat"];

/** Returns the modules among JUPYTER_MODULES that `python` cannot import (all of them if it does not run). */
export function missingModules(python: string): string[] {
  const probe = `import importlib.util, json; print(json.dumps([m for m in ${JSON.stringify(JUPYTER_MODULES)} if importlib.util.find_spec(m) is None]))`;
  try {
    const out = execFileSync(python, ["-c", probe], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return JSON.parse(out.trim()) as string[];
  } catch {
    return [...JUPYTER_MODULES];
  }
}

/** Candidate interpreters, in order: $KLEINRAUM_PYTHON, python3 and python on PATH, /usr/bin/python3. */
export function pythonCandidates(): string[] {
  const c = [process.env.KLEINRAUM_PYTHON, "python3", "python", "/usr/bin/python3"].filter((x): x is string => !!x);
  return [...new Set(c)];
}

/** The first candidate with every Jupyter module, or undefined. */
export function findJupyterPython(): string | undefined {
  return pythonCandidates().find((p) => missingModules(p).length === 0);
}

/** The Python recorded by setup; throws with the fix when setup has not run. */
export function jupyterPython(): string {
  if (existsSync(PYTHON_FILE)) {
    const { python } = JSON.parse(readFileSync(PYTHON_FILE, "utf8")) as { python: string };
    if (missingModules(python).length === 0) return python;
  }
  throw new Error(`The project's Jupyter is not set up (${path.relative(ROOT, PYTHON_FILE)} missing or stale): run \`npm run setup\` (or \`npm install\`).`);
}

/** Environment for any Jupyter process of the project: the project kernelspec first on JUPYTER_PATH. */
export function jupyterEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const jp = [JUPYTER_DATA, process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter);
  return { ...process.env, JUPYTER_PATH: jp, KLEINRAUM_ROOT: ROOT, PYDEVD_DISABLE_FILE_VALIDATION: "1", ...extra };
}
