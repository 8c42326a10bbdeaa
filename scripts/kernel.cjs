#!/usr/bin/env node
// Launcher of the project's Jupyter kernel (registered by scripts/setup.ts).
//
// 1. tslab compiles cells with the kernel's working directory as its root. Jupyter starts
//    kernels in the notebook's folder (notebooks/), where `import "../src"` would fail with
//    "not under rootDir" (STACK.md). The launcher moves to the project root first, so every
//    notebook imports the shared module with one line, `import * as kr from "./dist/index";`,
//    and data and output paths resolve the same in Jupyter's UI and headless.
// 2. Before each cell, src/ is rebuilt into dist/ if a file in it changed (scripts/lib/build.cjs),
//    so an edit in src/ is picked up by running the import cell again, without a restart —
//    except in batch runs (KLEINRAUM_FROZEN_DIST=1, set by npm start), which build once.
"use strict";
const path = require("path");
const root = path.resolve(__dirname, "..");
const configPath = process.argv[2];
if (!configPath) {
  console.error("usage: kernel.cjs <connection_file>");
  process.exit(2);
}
process.env.KLEINRAUM_ROOT = root;
process.chdir(root);

const { ensureFresh } = require("./lib/build.cjs");
const tslabDist = path.join(root, "node_modules", "tslab", "dist");
const executorModule = require(path.join(tslabDist, "executor.js"));
const createExecutor = executorModule.createExecutor;
// main.js reads executor_1.createExecutor at call time, so wrapping the export is enough.
executorModule.createExecutor = function (...args) {
  const executor = createExecutor.apply(this, args);
  const execute = executor.execute;
  executor.execute = function (src) {
    // Batch runs (npm start) build once and set KLEINRAUM_FROZEN_DIST.
    if (process.env.KLEINRAUM_FROZEN_DIST === "1") return execute.call(this, src);
    try {
      ensureFresh((msg) => console.error(msg));
    } catch (e) {
      console.error(`[kleinraum] could not rebuild src/: ${e && e.message}`);
    }
    return execute.call(this, src);
  };
  return executor;
};
require(path.join(tslabDist, "main.js")).startKernel({ configPath, enableFindLocal: false });
