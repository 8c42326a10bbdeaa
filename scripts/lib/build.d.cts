/** Compiles src/ to dist/ (incremental); type errors are returned, not thrown. */
export function buildLibrary(): { ms: number; diagnostics: string[] };
/** Rebuilds dist/ when src/ changed since the last build; returns whether a build ran. */
export function ensureFresh(log?: (msg: string) => void): boolean;
export const DIST: string;
export const SRC: string;
