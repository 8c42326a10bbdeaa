/**
 * kleinraum — the shared module every notebook imports:
 *
 * ```ts
 * import * as kr from "./src";
 * ```
 *
 * (The project kernel runs in the project root, so `./src` works from every notebook.)
 */
export * from "./project/paths";
export * from "./project/config-types";
export * from "./variables";
