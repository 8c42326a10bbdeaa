// Builds the shared module src/ into dist/ (JavaScript + declarations), incrementally.
//
// Why: tslab type-checks every cell together with every local .ts file it depends on, so a
// notebook importing src/ directly pays ~0.5 s per cell and ~5 s for the first import (measured
// on this 2-core machine). Importing the compiled dist/ gives tslab declaration files, which it
// does not re-check: the first import takes ~0.5 s and a cell ~30 ms.
//
// Edits in src/ are still picked up by re-running a cell: the project kernel (kernel.cjs) calls
// ensureFresh() before compiling each cell, which rebuilds when a file in src/ changed and
// drops the old modules from Node's require cache.
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const SRC = path.join(ROOT, "src");
const DIST = path.join(ROOT, "dist");
const STAMP = path.join(DIST, ".build-stamp");

/** Newest modification time (ms) of any .ts file under src/, and the number of files. */
function sourceState() {
  let newest = 0;
  let files = 0;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) {
        files++;
        const t = fs.statSync(p).mtimeMs;
        if (t > newest) newest = t;
      }
    }
  };
  walk(SRC);
  return `${newest}:${files}`;
}

/**
 * Compiles src/ to dist/ with the project's TypeScript (incremental). Type errors do not stop
 * the build (the JavaScript is still written); they are returned as text.
 * @returns {{ ms: number, diagnostics: string[] }}
 */
function buildLibrary() {
  const t0 = Date.now();
  const ts = require(require.resolve("typescript", { paths: [ROOT] }));
  const configFile = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile);
  if (configFile.error) throw new Error(ts.flattenDiagnosticMessageText(configFile.error.messageText, "\n"));
  const raw = configFile.config;
  raw.include = ["src/**/*.ts"];
  raw.compilerOptions = {
    ...raw.compilerOptions,
    noEmit: false,
    declaration: true,
    sourceMap: false,
    outDir: "dist",
    rootDir: "src",
    incremental: true,
    tsBuildInfoFile: "dist/.tsbuildinfo",
  };
  const parsed = ts.parseJsonConfigFileContent(raw, ts.sys, ROOT);
  const state = sourceState();
  const program = ts.createIncrementalProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const emitted = program.emit();
  const all = [...ts.getPreEmitDiagnostics(program.getProgram()), ...emitted.diagnostics];
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => "\n" };
  const diagnostics = all.map((d) => ts.formatDiagnostic(d, host).trim());
  fs.mkdirSync(DIST, { recursive: true });
  fs.writeFileSync(STAMP, state);
  return { ms: Date.now() - t0, diagnostics };
}

/**
 * Rebuilds dist/ when src/ changed since the last build, and then forgets the old compiled
 * modules so the next `require` loads the new code.
 * @returns {boolean} whether a build ran
 */
function ensureFresh(log = (msg) => process.stderr.write(msg + "\n")) {
  let previous = "";
  try {
    previous = fs.readFileSync(STAMP, "utf8");
  } catch {
    /* never built */
  }
  if (previous === sourceState() && fs.existsSync(path.join(DIST, "index.js"))) return false;
  const { ms, diagnostics } = buildLibrary();
  for (const key of Object.keys(require.cache)) if (key.startsWith(DIST + path.sep)) delete require.cache[key];
  if (diagnostics.length) log(`[kleinraum] src/ rebuilt in ${ms} ms with ${diagnostics.length} type error(s):\n${diagnostics.join("\n")}`);
  return true;
}

module.exports = { buildLibrary, ensureFresh, DIST, SRC };

if (require.main === module) {
  // `npm run build`
  const { ms, diagnostics } = buildLibrary();
  if (diagnostics.length) console.error(diagnostics.join("\n"));
  console.log(`src/ compiled to dist/ in ${ms} ms${diagnostics.length ? ` with ${diagnostics.length} type error(s)` : ""}`);
  process.exitCode = diagnostics.length ? 1 : 0;
}
