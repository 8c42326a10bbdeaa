/**
 * Where things are: the project root, the active dataset configuration and the output folder.
 *
 * The same in Jupyter's UI and headless: the project kernel starts in the project root and
 * exports `KLEINRAUM_ROOT`; `npm start` passes the dataset configuration (`KLEINRAUM_CONFIG`)
 * and the output folder (`KLEINRAUM_OUTPUTS`) through the environment, so notebooks never
 * hard-code a path.
 */
import { existsSync, mkdirSync, readFileSync } from "fs";
import * as path from "path";

/** Name of the project in package.json, used to recognise its root. */
export const PROJECT_NAME = "kleinraum";

/** The default dataset configuration, relative to the project root. */
export const DEFAULT_CONFIG = path.join("data", "musterstadt", "dataset.json");

/**
 * The project root: `$KLEINRAUM_ROOT`, else the nearest folder above the working directory
 * whose package.json is this project's.
 *
 * @example
 * const root = projectRoot(); // "/home/me/kleinraum"
 */
export function projectRoot(): string {
  const fromEnv = process.env.KLEINRAUM_ROOT;
  if (fromEnv) return path.resolve(fromEnv);
  for (const start of [process.cwd(), __dirname]) {
    let dir = path.resolve(start);
    for (;;) {
      const pkg = path.join(dir, "package.json");
      if (existsSync(pkg)) {
        try {
          if ((JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === PROJECT_NAME) return dir;
        } catch {
          /* not ours */
        }
      }
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new Error(`cannot find the project root: no package.json named "${PROJECT_NAME}" above ${process.cwd()}; set KLEINRAUM_ROOT`);
}

/**
 * Absolute path of the active dataset configuration: `$KLEINRAUM_CONFIG` (absolute, or relative
 * to the project root), else the bundled default `data/musterstadt/dataset.json`.
 *
 * @example
 * activeConfigPath(); // ".../data/musterstadt/dataset.json"
 */
export function activeConfigPath(): string {
  const p = process.env.KLEINRAUM_CONFIG || DEFAULT_CONFIG;
  return path.resolve(projectRoot(), p);
}

/**
 * The root output folder: `$KLEINRAUM_OUTPUTS` (absolute or relative to the project root),
 * else `outputs/` in the project root.
 *
 * @example
 * outputRoot(); // ".../outputs"
 */
export function outputRoot(): string {
  return path.resolve(projectRoot(), process.env.KLEINRAUM_OUTPUTS || "outputs");
}

/**
 * The folder for one notebook's exported files (`<outputs>/<notebook>/`), created if needed.
 * Refuses names that would leave the output folder.
 *
 * @example
 * notebookOutputDir("01-ueberblick"); // ".../outputs/01-ueberblick"
 */
export function notebookOutputDir(notebook: string): string {
  if (!/^[\w.-]+$/.test(notebook) || notebook.startsWith(".")) {
    throw new Error(`invalid notebook name: ${JSON.stringify(notebook)} (expected letters, digits, "-", "_", ".")`);
  }
  const dir = path.join(outputRoot(), notebook);
  mkdirSync(dir, { recursive: true });
  return dir;
}
