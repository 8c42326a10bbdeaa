/**
 * Crosswalks (overlap tables) between two area systems, and areal interpolation of counts
 * through them, following tobler: extensive variables (counts) are distributed by the share
 * of each source that falls into each target (totals are conserved where the targets cover
 * the sources), intensive variables (rates) become weighted averages over each target.
 *
 * A crosswalk is a plain JSON-able object: it can be saved with the data, reviewed and loaded
 * again ({@link saveCrosswalk}, {@link loadCrosswalk}); it names the two systems with their
 * vintages and file hashes. Nothing is dropped silently: gaps (source area or population that
 * no target covers), slivers (tiny overlaps), unmatched areas and children split across
 * parents are listed with their amounts.
 */
import { readFileSync, writeFileSync } from "fs";
import Flatbush from "flatbush";
import * as polygonClipping from "polygon-clipping";
import type { CountCube } from "../indicators/compute";
import type { AreaGeometry } from "../load/geom";
import { geometryBBox, pointInRing, polygonsOf } from "../load/geom";
import type { AreaSystem } from "../load/geometry";
import { assertSameCrs, overlapAreas, OverlapTable } from "./overlay";

/** Current version of the crosswalk JSON format. */
export const CROSSWALK_VERSION = 1;

/** How the weights were made. */
export type CrosswalkMethod = "nested" | "area" | "population";

/** One area system as recorded in a crosswalk. */
export interface CrosswalkSystem {
  /** System id, e.g. `"plr"`. */
  id: string;
  /** Boundary vintage, e.g. `"2021-01-01"` (`""` when unknown). */
  vintage: string;
  /** CRS the areas were measured in, e.g. `"EPSG:25833"`. */
  crsName?: string;
  /** Boundary file, its SHA-256 and the SHA-256 of its sidecars. */
  source?: { file: string; sha256: string; sidecars?: Record<string, string> };
  /** Area keys in feature order: the id, or `id#featureIndex` where an id occurs more than once. */
  areas: string[];
  /** Area of each feature in m² (same order as `areas`). */
  areaM2?: number[];
}

/** One source → target link. */
export interface CrosswalkPair {
  /** Source area key. */
  source: string;
  /** Target area key. */
  target: string;
  /** Share of the source (its area or population) that lies in the target; used for extensive variables. */
  weight: number;
  /** Share of the target's matched area or population that comes from this source; used for intensive variables (sums to 1 per target). */
  targetWeight: number;
  /** Overlap area in m² (area and population methods; nested by geometry). */
  areaM2?: number;
  /** Population of the overlap (population method). */
  population?: number;
}

/** Part of a source that no target covers. */
export interface CrosswalkGap {
  source: string;
  /** Uncovered share of the source (of its area, or of its population for the population method). */
  share: number;
  /** Uncovered area in m² (area method) or population (population method). */
  amount: number;
  unit: "m2" | "population";
}

/** A tiny overlap (below `sliverShare` of the smaller of the two areas). */
export interface CrosswalkSliver {
  source: string;
  target: string;
  areaM2: number;
  /** Share of the source area. */
  shareOfSource: number;
  /** Share of the target area. */
  shareOfTarget: number;
  /** Whether it was removed from `pairs` (its weight given to the source's other targets). */
  dropped: boolean;
}

/** A child area that does not lie (≥ `minShare`) in one parent. */
export interface SplitChild {
  child: string;
  /** Parents with the share of the child's area in each (largest first). */
  parents: { parent: string; share: number }[];
  /** Parent by id, where the child declares one. */
  declaredParent?: string;
}

/** A crosswalk (overlap table) from one area system to another. */
export interface Crosswalk {
  version: number;
  method: CrosswalkMethod;
  from: CrosswalkSystem;
  to: CrosswalkSystem;
  /** Links, sorted by source then target. */
  pairs: CrosswalkPair[];
  /** Source keys with no pair at all (all their mass is unplaced). */
  unmatchedSources: string[];
  /** Target keys that receive nothing (interpolated values are missing there). */
  unmatchedTargets: string[];
  /** Sources only partly covered by targets (share above `gapShare`). */
  gaps: CrosswalkGap[];
  /** Tiny overlaps (boundary noise), kept or dropped as `dropSlivers` says. */
  slivers: CrosswalkSliver[];
  /** Nested method: children not within one parent (fallback to area shares for them). */
  split: SplitChild[];
  /** What was done beyond the rule (duplicate ids, fallbacks), in English sentences. */
  notes: string[];
  /** Options the crosswalk was made with. */
  options: Record<string, unknown>;
}

/** Options shared by the geometric crosswalks. */
export interface CrosswalkOptions {
  /** Pairs whose overlap is below `sliverShare × min(source area, target area)` are listed as slivers. Default `1e-4`. */
  sliverShare?: number;
  /** Remove slivers from `pairs`, giving their weight proportionally to the source's other targets (keeps totals). Default `false`. */
  dropSlivers?: boolean;
  /** Smallest uncovered share of a source listed as a gap. Default `1e-6`. */
  gapShare?: number;
  /** Key per source feature (e.g. to correct a known id error). Default: the id, `id#index` for duplicated ids. */
  sourceKeys?: readonly string[];
  /** Key per target feature. Default as for sources. */
  targetKeys?: readonly string[];
}

/**
 * Keys of a system's features: the id, or `id#featureIndex` for each feature of an id that
 * occurs more than once (so duplicates stay distinct and are never merged by accident).
 *
 * @example
 * areaKeys(oldPlr).filter((k) => k.includes("#")); // ["06010102#360", "06010102#361"]
 */
export function areaKeys(system: Pick<AreaSystem, "features">): string[] {
  const n = new Map<string, number>();
  for (const f of system.features) n.set(f.id, (n.get(f.id) ?? 0) + 1);
  return system.features.map((f) => (n.get(f.id)! > 1 ? `${f.id}#${f.index}` : f.id));
}

function keysFor(system: AreaSystem, given: readonly string[] | undefined, name: string, notes: string[]): string[] {
  if (given) {
    if (given.length !== system.features.length) throw new Error(`invalid ${name}: ${given.length} keys (expected one per feature of ${JSON.stringify(system.id)}: ${system.features.length})`);
    const dup = given.find((k, i) => given.indexOf(k) !== i);
    if (dup !== undefined) throw new Error(`invalid ${name}: key ${JSON.stringify(dup)} occurs twice (expected unique keys)`);
    const changed = given.map((k, i) => [system.features[i]!.id, k] as const).filter(([id, k]) => id !== k);
    if (changed.length) notes.push(`${system.id}: keys set by ${name} for ${changed.length} feature(s): ${changed.slice(0, 5).map(([id, k]) => `${id} → ${k}`).join(", ")}${changed.length > 5 ? ", …" : ""}.`);
    return [...given];
  }
  const keys = areaKeys(system);
  const dups = keys.filter((k) => k.includes("#") && !system.features.some((f) => f.id === k));
  if (dups.length) notes.push(`${system.id}: id(s) ${[...new Set(dups.map((k) => k.slice(0, k.lastIndexOf("#"))))].join(", ")} occur more than once; the features are kept apart as ${dups.join(", ")} (id#featureIndex). Counts keyed by the plain id do not match them and are reported as unplaced.`);
  return keys;
}

function describe(system: AreaSystem, keys: string[]): CrosswalkSystem {
  return { id: system.id, vintage: system.vintage, crsName: system.crsName, source: system.source, areas: keys, areaM2: system.features.map((f) => f.areaM2) };
}

function checkShare(name: string, v: number | undefined, def: number): number {
  const x = v ?? def;
  if (!(x >= 0 && x < 1)) throw new Error(`invalid ${name}: ${v} (expected a number in [0, 1))`);
  return x;
}

function checkSystem(name: string, s: AreaSystem): void {
  if (!s || !Array.isArray(s.features)) throw new Error(`invalid ${name}: ${typeof s} (expected an AreaSystem from loadAreaSystem)`);
}

interface RawPair { s: number; t: number; area: number; measure: number }

/**
 * Builds pairs, slivers, gaps and unmatched lists from raw (source, target, area, measure)
 * links; `measure` is what the weights share (area or population), `sourceMeasure` the total
 * of each source.
 */
function finish(
  method: CrosswalkMethod, from: CrosswalkSystem, to: CrosswalkSystem, raw: RawPair[], sourceMeasure: ArrayLike<number>,
  unit: CrosswalkGap["unit"], o: Required<Pick<CrosswalkOptions, "sliverShare" | "dropSlivers" | "gapShare">>, notes: string[], extra: Partial<Crosswalk> = {},
): Crosswalk {
  const sA = from.areaM2 ?? [], tA = to.areaM2 ?? [];
  const slivers: CrosswalkSliver[] = [];
  const kept: RawPair[] = [];
  const bySource = new Map<number, RawPair[]>();
  for (const p of raw) {
    const isSliver = p.area >= 0 && sA[p.s] !== undefined && tA[p.t] !== undefined && p.area < o.sliverShare * Math.min(sA[p.s]!, tA[p.t]!);
    if (isSliver) slivers.push({ source: from.areas[p.s]!, target: to.areas[p.t]!, areaM2: p.area, shareOfSource: sA[p.s]! > 0 ? p.area / sA[p.s]! : 0, shareOfTarget: tA[p.t]! > 0 ? p.area / tA[p.t]! : 0, dropped: false });
    if (isSliver && o.dropSlivers) continue;
    kept.push(p);
  }
  for (const p of kept) {
    const l = bySource.get(p.s) ?? [];
    l.push(p);
    bySource.set(p.s, l);
  }
  // Dropped slivers: their measure goes to the source's remaining targets (same covered share).
  const scale = new Float64Array(from.areas.length).fill(1);
  if (o.dropSlivers && slivers.length) {
    const full = new Float64Array(from.areas.length), rest = new Float64Array(from.areas.length);
    for (const p of raw) full[p.s]! += p.measure;
    for (const p of kept) rest[p.s]! += p.measure;
    for (let s = 0; s < scale.length; s++) if (rest[s]! > 0) scale[s] = full[s]! / rest[s]!;
    for (const sl of slivers) sl.dropped = true;
    const orphan = [...new Set(slivers.map((x) => x.source))].filter((k) => !bySource.has(from.areas.indexOf(k)));
    if (orphan.length) notes.push(`Sources whose only overlaps were slivers (now unmatched): ${orphan.join(", ")}.`);
  }
  const targetMeasure = new Float64Array(to.areas.length);
  for (const p of kept) targetMeasure[p.t]! += p.measure * scale[p.s]!;
  const pairs: CrosswalkPair[] = [];
  const covered = new Float64Array(from.areas.length);
  for (const p of kept) {
    const m = p.measure * scale[p.s]!;
    const total = sourceMeasure[p.s]!;
    const weight = total > 0 ? m / total : 0;
    covered[p.s]! += weight;
    const pair: CrosswalkPair = { source: from.areas[p.s]!, target: to.areas[p.t]!, weight, targetWeight: targetMeasure[p.t]! > 0 ? m / targetMeasure[p.t]! : 0 };
    if (method !== "nested" || p.area >= 0) pair.areaM2 = p.area;
    if (unit === "population") pair.population = m;
    pairs.push(pair);
  }
  pairs.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  const gaps: CrosswalkGap[] = [];
  const matchedS = new Set(kept.map((p) => p.s)), matchedT = new Set(kept.map((p) => p.t));
  for (let s = 0; s < from.areas.length; s++) {
    const share = 1 - covered[s]!;
    if (sourceMeasure[s]! > 0 && share > o.gapShare) gaps.push({ source: from.areas[s]!, share, amount: share * sourceMeasure[s]!, unit });
  }
  return {
    version: CROSSWALK_VERSION, method, from, to, pairs,
    unmatchedSources: from.areas.filter((_, s) => !matchedS.has(s)),
    unmatchedTargets: to.areas.filter((_, t) => !matchedT.has(t)),
    gaps, slivers, split: [], notes,
    options: { sliverShare: o.sliverShare, dropSlivers: o.dropSlivers, gapShare: o.gapShare },
    ...extra,
  };
}

function commonOptions(options: CrosswalkOptions) {
  if (options.dropSlivers !== undefined && typeof options.dropSlivers !== "boolean") throw new Error(`invalid dropSlivers: ${options.dropSlivers} (expected true or false)`);
  return { sliverShare: checkShare("sliverShare", options.sliverShare, 1e-4), dropSlivers: options.dropSlivers ?? false, gapShare: checkShare("gapShare", options.gapShare, 1e-6) };
}

/**
 * Area-weighted crosswalk: each source is shared among the targets it overlaps by area
 * (`weight` = overlap area / source area; `targetWeight` = overlap area / target area covered
 * by sources). Uses {@link overlapAreas}; both systems must be in the same projected CRS.
 *
 * @param options see {@link CrosswalkOptions} (defaults: `sliverShare` 1e-4, `dropSlivers` false, `gapShare` 1e-6)
 * @throws `invalid target CRS: …` when the systems' CRSs differ
 * @example
 * const cw = areaCrosswalk(plr, wahlbezirke);
 * cw.pairs[0]; // { source: "01100101", target: "0101101", weight: 0.42, targetWeight: 1, areaM2: 123456.7 }
 */
export function areaCrosswalk(source: AreaSystem, target: AreaSystem, options: CrosswalkOptions = {}): Crosswalk {
  checkSystem("source", source);
  checkSystem("target", target);
  assertSameCrs(source, target);
  const o = commonOptions(options);
  const notes: string[] = [];
  const from = describe(source, keysFor(source, options.sourceKeys, "sourceKeys", notes));
  const to = describe(target, keysFor(target, options.targetKeys, "targetKeys", notes));
  const ov = overlapAreas(source.features.map((f) => f.projected), target.features.map((f) => f.projected));
  const raw: RawPair[] = [];
  for (let k = 0; k < ov.length; k++) raw.push({ s: ov.source[k]!, t: ov.target[k]!, area: ov.areaM2[k]!, measure: ov.areaM2[k]! });
  from.areaM2 = Array.from(ov.sourceAreaM2);
  to.areaM2 = Array.from(ov.targetAreaM2);
  return finish("area", from, to, raw, ov.sourceAreaM2, "m2", o, notes);
}

/** Options of {@link nestedCrosswalk}. */
export interface NestedCrosswalkOptions extends CrosswalkOptions {
  /** `"ids"`: by the children's `parentId`; `"geometry"`: by containment. Default `"ids"` when every child has a `parentId`, else `"geometry"`. */
  by?: "ids" | "geometry";
  /** Share of a child's area that must lie in one parent for it to count as nested. Default `0.995`. */
  minShare?: number;
  /** With `by: "ids"`, also check the geometry and list children not within their declared parent in `split`. Default `true`. */
  checkGeometry?: boolean;
}

/**
 * Crosswalk from a fine system to a coarser one it nests in: each child goes wholly (weight 1)
 * to its parent, by parent ids or by geometric containment (≥ `minShare` of the child's area
 * in one parent). Children split across parents are listed in `split`; in geometry mode they
 * are shared by area, in ids mode they stay with their declared parent.
 *
 * @example
 * const cw = nestedCrosswalk(plr, bzr);            // by parentId where declared
 * const g = nestedCrosswalk(plr, bzr, { by: "geometry" });
 * g.split; // [] when the systems nest
 */
export function nestedCrosswalk(child: AreaSystem, parent: AreaSystem, options: NestedCrosswalkOptions = {}): Crosswalk {
  checkSystem("child", child);
  checkSystem("parent", parent);
  const o = commonOptions(options);
  const minShare = options.minShare ?? 0.995;
  if (!(minShare > 0.5 && minShare <= 1)) throw new Error(`invalid minShare: ${options.minShare} (expected a number in (0.5, 1])`);
  const by = options.by ?? (child.features.length > 0 && child.features.every((f) => f.parentId) ? "ids" : "geometry");
  if (by !== "ids" && by !== "geometry") throw new Error(`invalid by: ${JSON.stringify(by)} (expected "ids" or "geometry")`);
  const notes: string[] = [];
  const from = describe(child, keysFor(child, options.sourceKeys, "sourceKeys", notes));
  const to = describe(parent, keysFor(parent, options.targetKeys, "targetKeys", notes));
  const hasGeometry = child.features.some((f) => polygonsOf(f.projected).length) && parent.features.some((f) => polygonsOf(f.projected).length);
  let ov: OverlapTable | undefined;
  if (by === "geometry" || ((options.checkGeometry ?? true) && hasGeometry)) {
    assertSameCrs(child, parent);
    ov = overlapAreas(child.features.map((f) => f.projected), parent.features.map((f) => f.projected));
  }
  const byChild = new Map<number, { t: number; area: number }[]>();
  if (ov) for (let k = 0; k < ov.length; k++) {
    const l = byChild.get(ov.source[k]!) ?? [];
    l.push({ t: ov.target[k]!, area: ov.areaM2[k]! });
    byChild.set(ov.source[k]!, l);
  }
  const split: SplitChild[] = [];
  const raw: RawPair[] = [];
  const childArea = child.features.map((f, i) => ov?.sourceAreaM2[i] ?? f.areaM2);
  const parentIndex = new Map<string, number>();
  parent.features.forEach((f, i) => { if (!parentIndex.has(f.id)) parentIndex.set(f.id, i); });
  const noParent: string[] = [];
  child.features.forEach((f, i) => {
    const links = (byChild.get(i) ?? []).sort((a, b) => b.area - a.area);
    const a = childArea[i]!;
    const shares = links.map((l) => ({ parent: to.areas[l.t]!, share: a > 0 ? l.area / a : 0 }));
    if (by === "ids") {
      const t = f.parentId !== undefined ? parentIndex.get(f.parentId) : undefined;
      if (t === undefined) { noParent.push(from.areas[i]!); return; }
      raw.push({ s: i, t, area: -1, measure: 1 });
      if (ov && a > 0) {
        const inDeclared = links.find((l) => l.t === t)?.area ?? 0;
        if (inDeclared / a < minShare) split.push({ child: from.areas[i]!, parents: shares, declaredParent: f.parentId });
      }
      return;
    }
    if (!links.length) return;
    if (a > 0 && links[0]!.area / a >= minShare) raw.push({ s: i, t: links[0]!.t, area: links[0]!.area, measure: 1 });
    else {
      split.push({ child: from.areas[i]!, parents: shares });
      for (const l of links) raw.push({ s: i, t: l.t, area: l.area, measure: a > 0 ? l.area / a : 0 });
    }
  });
  if (noParent.length) notes.push(`Children whose parentId is not a parent area (unmatched): ${noParent.join(", ")}.`);
  if (split.length) notes.push(by === "ids" ? `${split.length} child area(s) lie less than ${minShare * 100} % in their declared parent (kept with it; see split).` : `${split.length} child area(s) lie less than ${minShare * 100} % in one parent and are shared by area (see split).`);
  // Nested weights share the child itself: measure 1 per child (or its area shares when split).
  const cw = finish("nested", from, to, raw, new Float64Array(child.features.length).fill(1), "m2", { ...o, sliverShare: 0, dropSlivers: false }, notes, { split });
  // targetWeight by child area (intensive variables: area-weighted over the parent).
  const tArea = new Map<string, number>();
  const areaOfKey = new Map(from.areas.map((k, i) => [k, childArea[i]!]));
  for (const p of cw.pairs) tArea.set(p.target, (tArea.get(p.target) ?? 0) + p.weight * areaOfKey.get(p.source)!);
  for (const p of cw.pairs) {
    const t = tArea.get(p.target)!;
    p.targetWeight = t > 0 ? (p.weight * areaOfKey.get(p.source)!) / t : 0;
    if (by === "ids") delete p.areaM2;
  }
  for (const g of cw.gaps) {
    g.unit = "m2";
    g.amount = g.share * areaOfKey.get(g.source)!;
  }
  cw.options = { by, minShare, checkGeometry: options.checkGeometry ?? true };
  return cw;
}

/** A building block given as a point (block centroid, census grid cell centre), in the systems' CRS. */
export interface BlockPoint {
  id: string;
  x: number;
  y: number;
}

/** Options of {@link populationCrosswalk}. */
export interface PopulationCrosswalkOptions extends CrosswalkOptions {
  /** Sources with no population in any block: `"area"` weights them by area (listed in notes), `"none"` leaves them unmatched. Default `"area"`. */
  fallback?: "area" | "none";
}

function populationLookup(blockPopulation: ReadonlyMap<string, number> | Readonly<Record<string, number>> | readonly number[], ids: string[]): Float64Array {
  const out = new Float64Array(ids.length);
  if (Array.isArray(blockPopulation)) {
    if (blockPopulation.length !== ids.length) throw new Error(`invalid blockPopulation: ${blockPopulation.length} values (expected one per block: ${ids.length})`);
    blockPopulation.forEach((v, i) => { out[i] = v; });
  } else {
    const get = blockPopulation instanceof Map ? (k: string) => blockPopulation.get(k) : (k: string) => (blockPopulation as Record<string, number>)[k];
    ids.forEach((id, i) => { out[i] = get(id) ?? 0; });
  }
  out.forEach((v, i) => {
    if (!Number.isFinite(v) || v < 0) throw new Error(`invalid blockPopulation for block ${JSON.stringify(ids[i])}: ${v} (expected a finite number ≥ 0)`);
  });
  return out;
}

function pointIn(g: AreaGeometry, x: number, y: number): boolean {
  let inside = false;
  for (const poly of polygonsOf(g)) for (const ring of poly) if (pointInRing([x, y], ring)) inside = !inside;
  return inside;
}

/** For each point, the index of the (first) polygon containing it, or −1. */
function locatePoints(points: readonly BlockPoint[], geoms: AreaGeometry[]): Int32Array {
  const index = new Flatbush(Math.max(1, geoms.length));
  for (const g of geoms) {
    const b = geometryBBox(g);
    if (b) index.add(b[0], b[1], b[2], b[3]);
    else index.add(Infinity, Infinity, Infinity, Infinity);
  }
  if (!geoms.length) index.add(Infinity, Infinity, Infinity, Infinity);
  index.finish();
  return Int32Array.from(points.map((p) => {
    for (const k of index.search(p.x, p.y, p.x, p.y).sort((a, b) => a - b)) if (pointIn(geoms[k]!, p.x, p.y)) return k;
    return -1;
  }));
}

/**
 * Population-weighted crosswalk through building blocks (block groups, Baublöcke, census grid
 * cells) whose population is known: a source's weight for a target is the share of the
 * source's population living in the target.
 *
 * - Blocks as an {@link AreaSystem} (polygons): each block's population is spread evenly over
 *   its area, so a block split by a source or target boundary is shared by area (exactly: the
 *   pieces block ∩ source are cut with polygon-clipping where a block is split both ways).
 * - Blocks as points (`{ id, x, y }` in the systems' CRS): each point goes wholly to the source
 *   and the target containing it.
 *
 * Population in no source, or in a source but no target, is reported (`notes`, `gaps`).
 *
 * @param blockPopulation population per block: a Map or record by block id, or an array in block order
 * @param options see {@link PopulationCrosswalkOptions} (default `fallback: "area"`)
 * @example
 * const cw = populationCrosswalk(plr, wahlbezirke, grid, population);
 * cw.pairs.find((p) => p.source === "01100101"); // { …, weight: 0.8, population: 2864 }
 */
export function populationCrosswalk(
  source: AreaSystem, target: AreaSystem, buildingBlocks: AreaSystem | readonly BlockPoint[],
  blockPopulation: ReadonlyMap<string, number> | Readonly<Record<string, number>> | readonly number[],
  options: PopulationCrosswalkOptions = {},
): Crosswalk {
  checkSystem("source", source);
  checkSystem("target", target);
  assertSameCrs(source, target);
  const o = commonOptions(options);
  const fallback = options.fallback ?? "area";
  if (fallback !== "area" && fallback !== "none") throw new Error(`invalid fallback: ${JSON.stringify(fallback)} (expected "area" or "none")`);
  const notes: string[] = [];
  const from = describe(source, keysFor(source, options.sourceKeys, "sourceKeys", notes));
  const to = describe(target, keysFor(target, options.targetKeys, "targetKeys", notes));
  const S = source.features.map((f) => f.projected), T = target.features.map((f) => f.projected);
  const st = overlapAreas(S, T);
  from.areaM2 = Array.from(st.sourceAreaM2);
  to.areaM2 = Array.from(st.targetAreaM2);
  const popST = new Map<number, number>(); // key s * nT + t
  const nT = T.length;
  const sourcePop = new Float64Array(S.length);
  let outside = 0, outsideBlocks = 0;
  const add = (s: number, t: number, v: number) => { if (v) popST.set(s * nT + t, (popST.get(s * nT + t) ?? 0) + v); };
  if (Array.isArray(buildingBlocks)) {
    const pts = buildingBlocks as readonly BlockPoint[];
    pts.forEach((p, i) => { if (!Number.isFinite(p?.x) || !Number.isFinite(p?.y)) throw new Error(`invalid buildingBlocks[${i}]: ${JSON.stringify(p)} (expected { id, x, y } in the systems' CRS)`); });
    const pop = populationLookup(blockPopulation, pts.map((p) => p.id));
    const inS = locatePoints(pts, S), inT = locatePoints(pts, T);
    pts.forEach((_, b) => {
      const v = pop[b]!;
      if (inS[b]! < 0) { outside += v; if (v > 0) outsideBlocks++; return; }
      sourcePop[inS[b]!]! += v;
      if (inT[b]! >= 0) add(inS[b]!, inT[b]!, v);
    });
    notes.push(`Population by ${pts.length} block points (point in polygon).`);
  } else {
    const blocks = buildingBlocks as AreaSystem;
    checkSystem("buildingBlocks", blocks);
    assertSameCrs(source, blocks);
    const ids = blocks.features.map((f) => f.id);
    const pop = populationLookup(blockPopulation, ids);
    const B = blocks.features.map((f) => f.projected);
    const bs = overlapAreas(B, S), bt = overlapAreas(B, T);
    const group = (ov: OverlapTable) => {
      const m = new Map<number, { j: number; a: number }[]>();
      for (let k = 0; k < ov.length; k++) {
        const l = m.get(ov.source[k]!) ?? [];
        l.push({ j: ov.target[k]!, a: ov.areaM2[k]! });
        m.set(ov.source[k]!, l);
      }
      return m;
    };
    const gs = group(bs), gt = group(bt);
    let cut = 0;
    for (let b = 0; b < B.length; b++) {
      const v = pop[b]!, area = bs.sourceAreaM2[b]!;
      if (!(v > 0) || !(area > 0)) continue;
      const ls = gs.get(b) ?? [], lt = gt.get(b) ?? [];
      let inSources = 0;
      for (const l of ls) { inSources += l.a; sourcePop[l.j]! += (v * l.a) / area; }
      if (inSources < area * (1 - 1e-9)) { outside += v * (1 - inSources / area); outsideBlocks++; }
      if (!ls.length) continue;
      const fullyInOne = ls.length === 1 && ls[0]!.a >= area * (1 - 1e-9);
      if (fullyInOne) { for (const l of lt) add(ls[0]!.j, l.j, (v * l.a) / area); continue; }
      const fullyInOneT = lt.length === 1 && lt[0]!.a >= area * (1 - 1e-9);
      if (fullyInOneT) { for (const l of ls) add(l.j, lt[0]!.j, (v * l.a) / area); continue; }
      if (!lt.length) continue;
      // Split both ways: cut the block by each of its sources, then overlap the pieces with the targets.
      cut++;
      const pieces = ls.map((l) => clip(B[b]!, S[l.j]!));
      const pt = overlapAreas(pieces, lt.map((l) => T[l.j]!));
      for (let k = 0; k < pt.length; k++) add(ls[pt.source[k]!]!.j, lt[pt.target[k]!]!.j, (v * pt.areaM2[k]!) / area);
    }
    notes.push(`Population by ${B.length} block polygons, spread evenly over each block's area; ${cut} block(s) split by both a source and a target boundary were cut exactly.`);
  }
  const total = [...sourcePop].reduce((a, b) => a + b, 0) + outside;
  if (outside > 0) notes.push(`Population ${round(outside)} of ${round(total)} lies in no source area (${outsideBlocks} block(s)); it is not part of any weight.`);
  const raw: RawPair[] = [];
  const areaOf = new Map<number, number>();
  for (let k = 0; k < st.length; k++) areaOf.set(st.source[k]! * nT + st.target[k]!, st.areaM2[k]!);
  const measure = Float64Array.from(sourcePop);
  const fallbackSources: string[] = [];
  for (const [key, v] of popST) raw.push({ s: Math.floor(key / nT), t: key % nT, area: areaOf.get(key) ?? 0, measure: v });
  if (fallback === "area") {
    for (let k = 0; k < st.length; k++) {
      const s = st.source[k]!;
      if (sourcePop[s]! > 0) continue;
      raw.push({ s, t: st.target[k]!, area: st.areaM2[k]!, measure: st.areaM2[k]! });
    }
    for (let s = 0; s < S.length; s++) if (!(sourcePop[s]! > 0)) { measure[s] = st.sourceAreaM2[s]!; if (measure[s]! > 0) fallbackSources.push(from.areas[s]!); }
  }
  if (fallbackSources.length) notes.push(`Sources without population in any block, weighted by area instead: ${fallbackSources.join(", ")}.`);
  const cw = finish("population", from, to, raw, measure, "population", o, notes);
  for (const g of cw.gaps) if (fallbackSources.includes(g.source)) g.unit = "m2";
  for (const p of cw.pairs) if (fallbackSources.includes(p.source)) delete p.population;
  cw.options = { ...cw.options, fallback, blocks: Array.isArray(buildingBlocks) ? "points" : "polygons" };
  return cw;
}

function clip(a: AreaGeometry, b: AreaGeometry): AreaGeometry {
  type Geom = polygonClipping.Polygon | polygonClipping.MultiPolygon;
  const out = polygonClipping.intersection(polygonsOf(a) as unknown as Geom, polygonsOf(b) as unknown as Geom);
  return { type: "MultiPolygon", coordinates: out };
}

const round = (x: number) => Math.round(x * 100) / 100;

// ---------------------------------------------------------------------------------------------
// Save / load

/**
 * Writes a crosswalk as JSON (pretty-printed, pairs one per line).
 *
 * @example
 * saveCrosswalk(cw, "out/crosswalk_plr2006_plr2021.json");
 */
export function saveCrosswalk(cw: Crosswalk, file: string): void {
  validateCrosswalk(cw, file);
  const { pairs, ...rest } = cw;
  const head = JSON.stringify(rest, null, 1);
  const body = pairs.map((p) => JSON.stringify(p)).join(",\n  ");
  writeFileSync(file, `${head.slice(0, -2)},\n "pairs": [\n  ${body}\n ]\n}\n`);
}

/** Options of {@link loadCrosswalk}. */
export interface LoadCrosswalkOptions {
  /** Systems the crosswalk must have been made from: their ids, vintages and file hashes are compared. Default: no check. */
  from?: AreaSystem;
  /** System the crosswalk must lead to. Default: no check. */
  to?: AreaSystem;
}

/**
 * Reads a crosswalk written by {@link saveCrosswalk}; checks the version and structure, and
 * (when given) that it was made from the same boundary files as `from`/`to`.
 *
 * @throws `invalid crosswalk <file>: …` on a wrong version, structure or source file hash
 * @example
 * const cw = loadCrosswalk("out/crosswalk_plr2006_plr2021.json", { from: oldPlr, to: plr });
 */
export function loadCrosswalk(file: string, options: LoadCrosswalkOptions = {}): Crosswalk {
  let cw: Crosswalk;
  try {
    cw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`invalid crosswalk ${file}: ${(e as Error).message} (expected a JSON file written by saveCrosswalk)`);
  }
  validateCrosswalk(cw, file);
  for (const [side, sys] of [["from", options.from], ["to", options.to]] as const) {
    if (!sys) continue;
    const rec = cw[side];
    if (rec.id !== sys.id || rec.vintage !== sys.vintage) throw new Error(`invalid crosswalk ${file}: ${side} is ${rec.id} (${rec.vintage || "no vintage"}) (expected ${sys.id} (${sys.vintage || "no vintage"}))`);
    if (rec.source && sys.source && rec.source.sha256 !== sys.source.sha256) throw new Error(`invalid crosswalk ${file}: ${side} boundary file hash ${rec.source.sha256.slice(0, 12)}… (expected ${sys.source.sha256.slice(0, 12)}… of ${sys.source.file}: the boundaries changed, rebuild the crosswalk)`);
    if (rec.areas.length !== sys.features.length) throw new Error(`invalid crosswalk ${file}: ${side} has ${rec.areas.length} areas (expected ${sys.features.length})`);
  }
  return cw;
}

function validateCrosswalk(cw: Crosswalk, file: string): void {
  const bad = (what: string) => { throw new Error(`invalid crosswalk ${file}: ${what}`); };
  if (!cw || typeof cw !== "object") bad(`${typeof cw} (expected an object)`);
  if (cw.version !== CROSSWALK_VERSION) bad(`version ${JSON.stringify(cw.version)} (expected ${CROSSWALK_VERSION})`);
  if (!["nested", "area", "population"].includes(cw.method)) bad(`method ${JSON.stringify(cw.method)} (expected "nested", "area" or "population")`);
  for (const side of ["from", "to"] as const) if (!cw[side] || !Array.isArray(cw[side].areas)) bad(`${side}.areas missing (expected the list of area keys)`);
  if (!Array.isArray(cw.pairs)) bad("pairs missing (expected an array)");
  const fromKeys = new Set(cw.from.areas), toKeys = new Set(cw.to.areas);
  cw.pairs.forEach((p, i) => {
    if (!fromKeys.has(p.source)) bad(`pairs[${i}].source ${JSON.stringify(p.source)} (expected a key of from.areas)`);
    if (!toKeys.has(p.target)) bad(`pairs[${i}].target ${JSON.stringify(p.target)} (expected a key of to.areas)`);
    if (!(p.weight >= 0) || !(p.targetWeight >= 0)) bad(`pairs[${i}] weight ${p.weight}/${p.targetWeight} (expected numbers ≥ 0)`);
  });
}

// ---------------------------------------------------------------------------------------------
// Interpolation

/** Options of {@link interpolate}. */
export interface InterpolateOptions {
  /** Count variables (extensive): distributed by `weight`, totals conserved. Required (may be empty). */
  extensive: readonly string[];
  /** Rate/mean variables (intensive): `targetWeight`-weighted averages over the sources in each target. Default none. */
  intensive?: readonly string[];
  /**
   * Crosswalk sources with no row in the counts: `"propagate"` makes the targets they feed
   * missing (NaN), `"skip"` leaves them out (listed in `sourcesWithoutCounts`). Default `"propagate"`.
   */
  missingSources?: "propagate" | "skip";
}

/** Result of {@link interpolate}. */
export interface InterpolationResult {
  /** Target areas × years × (extensive then intensive variables); NaN where missing. */
  counts: CountCube;
  /** Count areas that are not crosswalk sources: their mass is not placed anywhere. `amounts[y * E + e]` per year and extensive variable. */
  unplaced: { area: string; amounts: Float64Array }[];
  /** Crosswalk sources without counts. */
  sourcesWithoutCounts: string[];
  /** Totals per year and extensive variable (`[y * E + e]`): of the input, of the result, unplaced (no source), and outside all targets (gaps). `input = placed + unplaced + outsideTargets` up to rounding (NaN cells aside). */
  totals: { input: Float64Array; placed: Float64Array; unplaced: Float64Array; outsideTargets: Float64Array };
  /** Target keys with no source (all values NaN). */
  targetsWithoutSources: string[];
}

/**
 * Areal interpolation of a count cube to the crosswalk's target areas (tobler's
 * `area_interpolate` with a precomputed table): extensive variables are split by `weight`
 * (share of the source in each target), intensive variables are averaged with `targetWeight`.
 * Mass of count areas that are not in the crosswalk, and mass outside all targets, is reported
 * with its amount in `unplaced`/`totals`, never silently dropped.
 *
 * @throws `invalid extensive: …` for a variable not in the cube
 * @example
 * const r = interpolate(pop2020Old, cw, { extensive: ["pop_total"] });
 * r.counts.areas.length;        // 542 (new PLR)
 * r.totals.unplaced[0];         // inhabitants that could not be placed
 */
export function interpolate(counts: CountCube, crosswalk: Crosswalk, options: InterpolateOptions): InterpolationResult {
  const ext = options?.extensive;
  if (!Array.isArray(ext)) throw new Error(`invalid extensive: ${JSON.stringify(ext)} (expected an array of variable names)`);
  const int = options.intensive ?? [];
  const missing = options.missingSources ?? "propagate";
  if (missing !== "propagate" && missing !== "skip") throw new Error(`invalid missingSources: ${JSON.stringify(missing)} (expected "propagate" or "skip")`);
  for (const [name, list] of [["extensive", ext], ["intensive", int]] as const) {
    for (const v of list) if (!counts.variables.includes(v)) throw new Error(`invalid ${name}: ${JSON.stringify(v)} (expected one of ${counts.variables.join(", ")})`);
  }
  const both = ext.find((v) => int.includes(v));
  if (both) throw new Error(`invalid intensive: ${JSON.stringify(both)} (expected a variable not also listed as extensive)`);
  const Y = counts.years.length, V = counts.variables.length, E = ext.length, I = int.length, VO = E + I;
  const ei = ext.map((v) => counts.variables.indexOf(v)), ii = int.map((v) => counts.variables.indexOf(v));
  const targets = crosswalk.to.areas;
  const tIndex = new Map(targets.map((k, i) => [k, i]));
  const row = new Map<string, number>();
  counts.areas.forEach((a, i) => { if (!row.has(a)) row.set(a, i); });
  const sourceKeys = new Set(crosswalk.from.areas);
  const values = new Float64Array(targets.length * Y * VO);
  const intW = new Float64Array(targets.length * Y * I);
  const input = new Float64Array(Y * E), placed = new Float64Array(Y * E), unplacedT = new Float64Array(Y * E), outsideT = new Float64Array(Y * E);
  const unplaced: InterpolationResult["unplaced"] = [];
  counts.areas.forEach((a, i) => {
    const amounts = new Float64Array(Y * E);
    for (let y = 0; y < Y; y++) for (let e = 0; e < E; e++) {
      const x = counts.values[(i * Y + y) * V + ei[e]!]!;
      if (Number.isNaN(x)) continue;
      input[y * E + e]! += x;
      amounts[y * E + e] = x;
    }
    if (!sourceKeys.has(a)) {
      unplaced.push({ area: a, amounts });
      for (let k = 0; k < Y * E; k++) unplacedT[k]! += amounts[k]!;
    }
  });
  const sourcesWithoutCounts = crosswalk.from.areas.filter((k) => !row.has(k));
  const covered = new Map<string, number>();
  const fed = new Uint8Array(targets.length);
  for (const p of crosswalk.pairs) {
    const t = tIndex.get(p.target)!;
    const r = row.get(p.source);
    if (r === undefined && missing === "skip") continue;
    fed[t] = 1;
    covered.set(p.source, (covered.get(p.source) ?? 0) + p.weight);
    for (let y = 0; y < Y; y++) {
      const out = (t * Y + y) * VO;
      for (let e = 0; e < E; e++) {
        const x = r === undefined ? NaN : counts.values[(r * Y + y) * V + ei[e]!]!;
        values[out + e]! += p.weight * x;
        if (!Number.isNaN(x)) placed[y * E + e]! += p.weight * x;
      }
      for (let k = 0; k < I; k++) {
        const x = r === undefined ? NaN : counts.values[(r * Y + y) * V + ii[k]!]!;
        if (p.targetWeight === 0) continue;
        values[out + E + k]! += p.targetWeight * x;
        intW[(t * Y + y) * I + k]! += p.targetWeight;
      }
    }
  }
  // Intensive: normalise by the weight of the sources that took part.
  for (let t = 0; t < targets.length; t++) for (let y = 0; y < Y; y++) for (let k = 0; k < I; k++) {
    const w = intW[(t * Y + y) * I + k]!;
    const at = (t * Y + y) * VO + E + k;
    values[at] = w > 0 ? values[at]! / w : NaN;
  }
  for (let t = 0; t < targets.length; t++) if (!fed[t]) values.fill(NaN, t * Y * VO, (t + 1) * Y * VO);
  // Mass outside all targets: (1 − Σ weights) of every source with counts.
  for (const k of crosswalk.from.areas) {
    const r = row.get(k);
    if (r === undefined) continue;
    const rest = 1 - (covered.get(k) ?? 0);
    if (Math.abs(rest) < 1e-15) continue;
    for (let y = 0; y < Y; y++) for (let e = 0; e < E; e++) {
      const x = counts.values[(r * Y + y) * V + ei[e]!]!;
      if (!Number.isNaN(x)) outsideT[y * E + e]! += rest * x;
    }
  }
  // Count areas that are crosswalk sources but feed no target are already in outsideT (covered 0).
  return {
    counts: { areas: [...targets], years: [...counts.years], variables: [...ext, ...int], values },
    unplaced, sourcesWithoutCounts,
    totals: { input, placed, unplaced: unplacedT, outsideTargets: outsideT },
    targetsWithoutSources: targets.filter((_, t) => !fed[t]),
  };
}

/**
 * Total mass per source key that a crosswalk places (Σ weights): 1 where targets cover the
 * source, less at gaps, 0 for unmatched sources.
 *
 * @example
 * coverage(cw).get("01100101"); // 1
 */
export function coverage(crosswalk: Crosswalk): Map<string, number> {
  const m = new Map<string, number>(crosswalk.from.areas.map((k) => [k, 0]));
  for (const p of crosswalk.pairs) m.set(p.source, (m.get(p.source) ?? 0) + p.weight);
  return m;
}
