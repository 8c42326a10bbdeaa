/**
 * Statistics checks of the validator: ids against the geometry, negative / non-integer /
 * non-finite counts, parts larger than their whole, and years.
 */
import type { AreaSystem } from "../load/geometry";
import { cellIndex, CountTable } from "../load/statistics";
import { countVariable, parseAgeBand } from "../variables";
import { FindingLimiter } from "./geometry-checks";
import type { Finding } from "./report";

function originOf(t: CountTable, i: number): { file?: string; row?: number; field?: string; rowKind?: "row" } {
  const o = t.origin.get(i);
  return o ? { file: t.sources[o.source].file, row: o.row, field: o.column, rowKind: "row" } : {};
}

/**
 * Compares the area ids of a count table with its area system, both ways.
 *
 * @example
 * checkIdsAgainstGeometry(counts, plr, findings, 50);
 */
export function checkIdsAgainstGeometry(t: CountTable, sys: AreaSystem, out: Finding[], maxFindings: number): void {
  const lim = new FindingLimiter(out, maxFindings);
  const geo = new Set(sys.features.map((f) => f.id));
  const stat = new Set(t.areas);
  t.areas.forEach((id, a) => {
    if (geo.has(id)) return;
    let firstCell = -1;
    for (let y = 0; y < t.years.length && firstCell < 0; y++) for (let v = 0; v < t.variables.length; v++) if (t.origin.has(cellIndex(t, a, y, v))) { firstCell = cellIndex(t, a, y, v); break; }
    const o = originOf(t, firstCell);
    lim.push({ severity: "error", check: "id-not-in-geometry", areaSystem: t.areaSystem, areaId: id, file: o.file, row: o.row, rowKind: "row", message: `Gebiets-ID ${JSON.stringify(id)} der Statistik fehlt in der Geometrie (${sys.id}, ${sys.features.length} Gebiete)`, expected: "eine ID der Geometrie" });
  });
  for (const f of sys.features) {
    if (!stat.has(f.id)) {
      lim.push({ severity: "warning", check: "id-without-statistics", areaSystem: sys.id, areaId: f.id, file: sys.source.file, row: f.index, rowKind: "feature", message: `Gebiet ${JSON.stringify(f.id)}${f.name ? ` (${f.name})` : ""} hat keine Werte in der Statistik`, expected: "Werte für jedes Gebiet" });
    }
  }
  lim.flush();
}

/** Age bands of the table that tile `[from, to)` exactly (`to` null: open end), or undefined. */
function tiling(t: CountTable, from: number, to: number | null): number[] | undefined {
  const bands = t.variables.map((v, i) => ({ i, b: parseAgeBand(v) })).filter((x) => x.b) as { i: number; b: [number, number | null] }[];
  const walk = (cur: number): number[] | undefined => {
    for (const x of bands.filter((x) => x.b[0] === cur)) {
      if (x.b[1] === to) return [x.i];
      if (x.b[1] !== null && (to === null || x.b[1] < to)) {
        const rest = walk(x.b[1]);
        if (rest) return [x.i, ...rest];
      }
    }
    return undefined;
  };
  return walk(from);
}

/**
 * Checks the values of a count table: negative, non-integer or non-finite counts; parts larger
 * than their whole (`partOf` in `src/variables.ts`, and `sgb2_children_u15` against the
 * children under 15 summed from age bands); the sum of age bands covering all ages against
 * `pop_total`.
 *
 * @example
 * checkCountValues(counts, findings, 50);
 */
export function checkCountValues(t: CountTable, out: Finding[], maxFindings: number): void {
  const lim = new FindingLimiter(out, maxFindings);
  const nv = t.variables.length;
  for (let i = 0; i < t.values.length; i++) {
    const x = t.values[i];
    if (Number.isNaN(x)) continue;
    const v = i % nv;
    const y = Math.floor(i / nv) % t.years.length;
    const a = Math.floor(i / (nv * t.years.length));
    const base = { areaSystem: t.areaSystem, areaId: t.areas[a], year: t.years[y], ...originOf(t, i), value: x };
    if (!Number.isFinite(x)) lim.push({ ...base, severity: "error", check: "non-finite", message: `${t.variables[v]} = ${x}`, expected: "eine endliche Zahl" });
    else if (x < 0) lim.push({ ...base, severity: "error", check: "negative-count", message: `negative Anzahl ${t.variables[v]} = ${x}`, expected: "eine Anzahl ≥ 0" });
    else if (!Number.isInteger(x)) lim.push({ ...base, severity: "warning", check: "non-integer-count", message: `Anzahl ${t.variables[v]} = ${x} ist nicht ganzzahlig`, expected: "eine ganze Zahl (Personen/Haushalte)" });
  }
  // parts and wholes
  const pairs: { part: number[]; whole: number[]; label: string; partName: string; wholeName: string }[] = [];
  t.variables.forEach((v, pi) => {
    const whole = countVariable(v).partOf;
    const wi = whole ? t.variables.indexOf(whole) : -1;
    if (wi >= 0) pairs.push({ part: [pi], whole: [wi], label: `${v} > ${whole}`, partName: v, wholeName: whole! });
  });
  const sgb = t.variables.indexOf("sgb2_children_u15");
  const u15 = tiling(t, 0, 15);
  if (sgb >= 0 && u15) pairs.push({ part: [sgb], whole: u15, label: "sgb2_children_u15 > Kinder unter 15", partName: "sgb2_children_u15", wholeName: u15.map((i) => t.variables[i]).join(" + ") });
  const sum = (a: number, y: number, idx: number[]) => idx.reduce((s, v) => s + t.values[cellIndex(t, a, y, v)], 0);
  for (const p of pairs) {
    for (let a = 0; a < t.areas.length; a++) {
      for (let y = 0; y < t.years.length; y++) {
        const part = sum(a, y, p.part), whole = sum(a, y, p.whole);
        if (part > whole) {
          lim.push({
            severity: "error", check: "part-exceeds-whole", areaSystem: t.areaSystem, areaId: t.areas[a], year: t.years[y], ...originOf(t, cellIndex(t, a, y, p.part[0])), value: part - whole,
            message: `Teil größer als das Ganze: ${p.partName} = ${part} > ${p.wholeName} = ${whole}`, expected: `${p.partName} ≤ ${p.wholeName}`,
          });
        }
      }
    }
  }
  // age bands covering all ages against pop_total
  const all = tiling(t, 0, null);
  const pop = t.variables.indexOf("pop_total");
  if (all && pop >= 0) {
    for (let a = 0; a < t.areas.length; a++) {
      for (let y = 0; y < t.years.length; y++) {
        const s = sum(a, y, all), total = t.values[cellIndex(t, a, y, pop)];
        if (Number.isFinite(s) && Number.isFinite(total) && Math.abs(s - total) > 0.5) {
          lim.push({
            severity: "warning", check: "age-sum-mismatch", areaSystem: t.areaSystem, areaId: t.areas[a], year: t.years[y], ...originOf(t, cellIndex(t, a, y, pop)), value: s - total,
            message: `Summe der Altersgruppen (${all.map((i) => t.variables[i]).join(" + ")}) = ${s} weicht von pop_total = ${total} ab`, expected: "Summe der Altersgruppen = pop_total",
          });
        }
      }
    }
  }
  // variables entirely missing in a year they have elsewhere
  for (let v = 0; v < nv; v++) {
    const present = t.years.map((_, y) => t.areas.some((__, a) => !Number.isNaN(t.values[cellIndex(t, a, y, v)])));
    if (present.some(Boolean)) {
      present.forEach((ok, y) => {
        if (!ok) lim.push({ severity: "warning", check: "variable-missing-in-year", areaSystem: t.areaSystem, field: t.variables[v], year: t.years[y], message: `${t.variables[v]} fehlt ${t.years[y]} für alle Gebiete`, expected: "Werte in jedem Jahr" });
      });
    }
  }
  lim.flush();
}
