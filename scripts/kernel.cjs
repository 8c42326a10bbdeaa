#!/usr/bin/env node
// Launcher of the project's Jupyter kernel (registered by scripts/setup.ts).
//
// tslab compiles cells and imported .ts files under its root, which is the kernel's working
// directory. Jupyter starts kernels in the notebook's folder (notebooks/), so `import "../src"`
// would fail with "not under rootDir" (STACK.md). This launcher moves to the project root first:
// every notebook imports the shared module with `import * as kr from "./src"`, data and output
// paths resolve the same in Jupyter's UI and headless, and re-running an import cell picks up
// edits in src/.
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
require(path.join(root, "node_modules", "tslab", "dist", "main.js")).startKernel({
  configPath,
  enableFindLocal: false,
});
