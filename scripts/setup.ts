/**
 * Install step (runs as npm's postinstall, or `npm run setup`):
 * 1. finds a Python with Jupyter (nbconvert, nbclient, ipykernel, jupyter-client, notebook);
 *    where none exists, installs Debian's packages when it may (root on Debian/Ubuntu),
 *    otherwise stops with the exact command to run;
 * 2. registers the project-local kernelspec `kleinraum` under `.jupyter/` (not the user's
 *    global Jupyter), whose launcher starts tslab in the project root.
 * Idempotent: a second run changes nothing and takes about a second.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { buildLibrary } from "./lib/build.cjs";
import {
  APT_PACKAGES, JUPYTER_MODULES, KERNEL_DIR, KERNEL_DISPLAY_NAME, KERNEL_NAME, PYTHON_FILE, ROOT,
  findJupyterPython, missingModules, pythonCandidates,
} from "./lib/jupyter-env";

function log(msg: string): void {
  console.log(`[setup] ${msg}`);
}

function isDebianLike(): boolean {
  return existsSync("/etc/debian_version") && spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
}

function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function aptInstall(packages: string[]): void {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  log(`installing Debian packages: ${packages.join(" ")}`);
  const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  if (update.status !== 0) throw new Error("apt-get update failed");
  const inst = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], { stdio: "inherit", env });
  if (inst.status !== 0) throw new Error(`apt-get install ${packages.join(" ")} failed`);
}

function ensureJupyter(): string {
  let python = findJupyterPython();
  if (python) return python;
  if (isDebianLike() && isRoot() && process.env.KLEINRAUM_NO_APT !== "1") {
    aptInstall(APT_PACKAGES);
    python = findJupyterPython();
    if (python) return python;
  }
  const report = pythonCandidates().map((p) => `  ${p}: missing ${missingModules(p).join(", ")}`).join("\n");
  const cmd = isDebianLike()
    ? `sudo apt-get install -y --no-install-recommends ${APT_PACKAGES.join(" ")}`
    : `python3 -m pip install --user notebook nbconvert nbclient ipykernel jupyter-client`;
  console.error(
    `[setup] No Python with Jupyter found (needs the modules ${JUPYTER_MODULES.join(", ")}).\n${report}\n` +
      `Run:\n  ${cmd}\nthen \`npm run setup\`. To use a particular interpreter, set KLEINRAUM_PYTHON=/path/to/python.`,
  );
  process.exit(1);
}

/** Debian package names of the browser used for figure export and browser tests, and of the PDF tools the export tests use (`pdftotext`, `pdfinfo`). */
const BROWSER_PACKAGES = ["chromium", "fonts-dejavu-core", "poppler-utils"];

function hasPdfTools(): boolean {
  return spawnSync("pdftotext", ["-v"], { encoding: "utf8" }).error === undefined;
}

/** A Chromium/Chrome executable: $KLEINRAUM_CHROMIUM, else the usual names on PATH. */
function findChromium(): string | undefined {
  const candidates = [process.env.KLEINRAUM_CHROMIUM, "/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"].filter((x): x is string => !!x);
  for (const c of candidates) {
    const r = spawnSync(c, ["--version"], { encoding: "utf8" });
    if (r.status === 0) return c;
  }
  return undefined;
}

/**
 * Chromium renders figures (PNG/SVG/PDF) and runs the browser tests. Installed like Jupyter:
 * Debian's package when running as root on Debian/Ubuntu, otherwise a clear instruction.
 */
function ensureChromium(): void {
  let chromium = findChromium();
  if ((!chromium || !hasPdfTools()) && isDebianLike() && isRoot() && process.env.KLEINRAUM_NO_APT !== "1") {
    aptInstall(BROWSER_PACKAGES);
    chromium = findChromium();
  }
  if (!chromium) {
    console.error(
      `[setup] No Chromium found (needed to export figures and for browser tests). Run:\n  ` +
        (isDebianLike() ? `sudo apt-get install -y --no-install-recommends ${BROWSER_PACKAGES.join(" ")}` : "install Chromium or Chrome, then set KLEINRAUM_CHROMIUM=/path/to/chrome") +
        `\nthen \`npm run setup\`.`,
    );
    process.exit(1);
  }
  log(`Chromium: ${spawnSync(chromium, ["--version"], { encoding: "utf8" }).stdout.trim()}`);
  if (!hasPdfTools()) {
    console.warn(`[setup] pdftotext not found (the PDF export tests need it): ${isDebianLike() ? "sudo apt-get install -y --no-install-recommends poppler-utils" : "install poppler"}`);
  }
}

function registerKernel(python: string): void {
  mkdirSync(KERNEL_DIR, { recursive: true });
  const spec = {
    argv: [process.execPath, path.join(ROOT, "scripts", "kernel.cjs"), "{connection_file}"],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    metadata: { kleinraum: { root: ROOT } },
  };
  writeFileSync(path.join(KERNEL_DIR, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  writeFileSync(PYTHON_FILE, JSON.stringify({ python: resolveExecutable(python) }, null, 2) + "\n");
}

function resolveExecutable(python: string): string {
  // Record the interpreter's real path so later runs do not depend on PATH order.
  return execFileSync(python, ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).trim();
}

function main(): void {
  const python = ensureJupyter();
  registerKernel(python);
  ensureChromium();
  const version = execFileSync(python, ["-c", "import nbconvert, notebook; print(f'nbconvert {nbconvert.__version__}, notebook {notebook.__version__}')"], { encoding: "utf8" }).trim();
  log(`Jupyter: ${resolveExecutable(python)} (${version})`);
  log(`kernel "${KERNEL_NAME}" registered in ${path.relative(ROOT, KERNEL_DIR)}/ (project-local)`);
  const build = buildLibrary();
  log(`src/ compiled to dist/ in ${build.ms} ms${build.diagnostics.length ? ` (${build.diagnostics.length} type errors: run npm run typecheck)` : ""}`);
}

main();
