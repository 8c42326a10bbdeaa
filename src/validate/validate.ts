/**
 * `validateDataset`: every data-quality check over a loaded dataset, as one report.
 */
import type { AreaSystem } from "../load/geometry";
import type { CountTable } from "../load/statistics";
import type { DatasetConfig } from "../project/config-types";
import { checkIdsAndValidity, checkNesting, checkTessellation, GeometryCheckOptions } from "./geometry-checks";
import type { Finding, ValidationReport } from "./report";
import { checkCountValues, checkIdsAgainstGeometry } from "./statistics-checks";

/** Options of {@link validateDataset}. */
export interface ValidateOptions {
  /** Overlaps and gaps smaller than this (m²) are ignored. Default 1. */
  areaToleranceM2?: number;
  /** Share of a child's area allowed outside its parent (digitising slivers). Default 0.005 (0.5 %). */
  nestingTolerance?: number;
  /** Check gaps and overlaps: for all systems (`true`, default), none (`false`) or the listed system ids. */
  tessellation?: boolean | string[];
  /** Findings of one check and system listed one by one before a summary takes over. Default 50. */
  maxFindingsPerCheck?: number;
}

/** What {@link validateDataset} needs: area systems and counts (and the configuration for years). */
export interface ValidatableDataset {
  config?: Pick<DatasetConfig, "years">;
  areaSystems: Map<string, AreaSystem>;
  counts: Map<string, CountTable>;
}

/**
 * Checks a loaded dataset and returns the findings (German messages): duplicate ids; empty,
 * degenerate, unclosed or self-intersecting geometry; gaps and overlaps in each tessellation
 * (pairs with m², sum of areas against the union); nesting where a parent is declared (parent
 * id exists, child within parent); statistics ids missing in the geometry and the reverse;
 * negative, non-integer or non-finite counts; parts larger than their whole; years of the
 * configuration without data. Loading findings are not repeated here (`loadDataset` merges both).
 *
 * @example
 * const report = validateDataset(await loadDataset("data/berlin/dataset.json", { validate: false }));
 * report.findings.filter((f) => f.check === "duplicate-id");
 */
export function validateDataset(dataset: ValidatableDataset, options: ValidateOptions = {}): ValidationReport {
  const opt: GeometryCheckOptions = {
    areaToleranceM2: options.areaToleranceM2 ?? 1,
    nestingTolerance: options.nestingTolerance ?? 0.005,
    maxFindingsPerCheck: options.maxFindingsPerCheck ?? 50,
  };
  const tess = options.tessellation ?? true;
  const findings: Finding[] = [];
  for (const sys of dataset.areaSystems.values()) {
    checkIdsAndValidity(sys, findings, opt);
    if (tess === true || (Array.isArray(tess) && tess.includes(sys.id))) checkTessellation(sys, findings, opt);
    if (sys.parent) {
      const parent = dataset.areaSystems.get(sys.parent.system);
      if (!parent) findings.push({ severity: "error", check: "parent-system-missing", areaSystem: sys.id, message: `übergeordnetes Gebietssystem ${JSON.stringify(sys.parent.system)} ist nicht geladen` });
      else checkNesting(sys, parent, findings, opt);
    }
  }
  const allYears = new Set<number>();
  for (const t of dataset.counts.values()) for (const y of t.years) allYears.add(y);
  for (const [sysId, t] of dataset.counts) {
    const sys = dataset.areaSystems.get(sysId);
    if (!sys) findings.push({ severity: "error", check: "area-system-missing", areaSystem: sysId, message: `Statistik bezieht sich auf das Gebietssystem ${JSON.stringify(sysId)}, das nicht geladen ist` });
    else checkIdsAgainstGeometry(t, sys, findings, opt.maxFindingsPerCheck);
    checkCountValues(t, findings, opt.maxFindingsPerCheck);
    for (const y of t.years) {
      if (dataset.config && !dataset.config.years.includes(y)) findings.push({ severity: "info", check: "year-not-configured", areaSystem: sysId, year: y, message: `Jahr ${y} ist in den Daten, aber nicht in years der Konfiguration` });
    }
  }
  if (dataset.config) {
    for (const y of dataset.config.years) {
      if (!allYears.has(y)) findings.push({ severity: "warning", check: "year-missing", year: y, message: `Jahr ${y} steht in years der Konfiguration, aber keine Statistik hat Werte dafür`, expected: "Daten für jedes konfigurierte Jahr" });
      else {
        for (const [sysId, t] of dataset.counts) {
          if (!t.years.includes(y)) findings.push({ severity: "info", check: "year-missing", areaSystem: sysId, year: y, message: `Jahr ${y} fehlt für ${sysId} (andere Gebietssysteme haben es, z. B. nach einem Gebietsstandwechsel)` });
        }
      }
    }
  }
  return { findings };
}
