/**
 * How much small-number protection hides, per dataset and preset:
 *
 *   npx tsx scripts/protection-report.ts                 Musterstadt and Berlin (if ../shared/data is there)
 *   npx tsx scripts/protection-report.ts --config data/berlin/dataset.json   one dataset
 *
 * For every preset (standard, ba, destatis-sgb2, monitoring):
 *  - count cells: the whole protected hierarchy of the dataset (every nested chain, e.g.
 *    plr → bzr → pgr → Stadt, and separate systems such as plr2006 → Stadt), per area system;
 *  - indicator cells: the reporting systems the notebooks use (`reportingSystems`);
 * each split into primary and secondary suppression, and whether an attacker with the published
 * count table and the hierarchy (`auditTable`) recovers any hidden count.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "./lib/jupyter-env";
import { loadDataset, type Dataset } from "../src/project/config";
import { reportingSystems } from "../src/project/overview";
import { protectedIndicatorsFor, type DatasetCountProtection } from "../src/protect/dataset";
import { ProtectionReason } from "../src/protect/apply";
import { auditTable } from "../src/protect/suppress";
import type { PresetName } from "../src/protect/rules";

const PRESETS: PresetName[] = ["standard", "ba", "destatis-sgb2", "monitoring"];
const DATASETS = [
  { name: "Musterstadt", config: path.join(ROOT, "data", "musterstadt", "dataset.json"), needs: undefined as string | undefined },
  { name: "Berlin", config: path.join(ROOT, "data", "berlin", "dataset.json"), needs: path.join(ROOT, "..", "shared", "data", "berlin-lor-2021-shapes") },
];

interface Row { dataset: string; preset: string; kind: "Zählwerte" | "Indikatoren"; system: string; cells: number; primary: number; secondary: number; input: number; recovered: number | "" }

function countRows(dataset: string, preset: string, cp: DatasetCountProtection): Row[] {
  const c = cp.counts;
  const { areas, years, variables } = c.table;
  const Y = years.length, V = variables.length;
  const per = new Map<string, Row>();
  // Attack: the published table (hidden and missing cells unknown) with the hierarchy and variable sums.
  const published = Float64Array.from(c.table.values, (v, i) => (c.suppressed[i] ? NaN : v));
  const recovered = new Set(auditTable(published, c.relations).recoverable.filter((x) => c.suppressed[x.cell] && Number.isFinite(c.table.values[x.cell]!)).map((x) => x.cell));
  areas.forEach((id, a) => {
    const system = cp.systemOf.get(id) ?? "?";
    let row = per.get(system);
    if (!row) per.set(system, (row = { dataset, preset, kind: "Zählwerte", system, cells: 0, primary: 0, secondary: 0, input: 0, recovered: 0 }));
    for (let k = a * Y * V; k < (a + 1) * Y * V; k++) {
      if (c.reason[k] === ProtectionReason.Missing) continue;
      row.cells++;
      if (c.primary[k]) row.primary++;
      else if (c.suppressed[k]) row.secondary++;
      if (recovered.has(k)) (row.recovered as number)++;
    }
  });
  return [...per.values()];
}

async function report(name: string, config: string): Promise<Row[]> {
  const ds: Dataset = await loadDataset(config, { validate: false });
  const systems = reportingSystems(ds);
  const rows: Row[] = [];
  for (const preset of PRESETS) {
    const chains = new Map<string, DatasetCountProtection>();
    const ind: Row[] = [];
    for (const system of systems) {
      const p = protectedIndicatorsFor(ds, system, { rules: preset });
      chains.set(p.countProtection.systems.join(">"), p.countProtection);
      let cells = 0, primary = 0, secondary = 0, input = 0;
      for (let k = 0; k < p.suppressed.length; k++) {
        if (p.reason[k] === ProtectionReason.Missing) continue;
        cells++;
        if (!p.suppressed[k]) continue;
        // Hidden because an input count is suppressed in the count table: follows from the count protection.
        if (p.reason[k] === ProtectionReason.InputSuppressed) input++;
        else if (p.reason[k] === ProtectionReason.Secondary) secondary++;
        else primary++;
      }
      ind.push({ dataset: name, preset, kind: "Indikatoren", system, cells, primary, secondary, input, recovered: p.unresolved.length ? p.unresolved.length : "" });
    }
    const counts = [...chains.values()].flatMap((cp) => countRows(name, preset, cp));
    const sum = (rs: Row[], kind: Row["kind"]): Row => ({
      dataset: name, preset, kind, system: "gesamt",
      cells: rs.reduce((s, r) => s + r.cells, 0), primary: rs.reduce((s, r) => s + r.primary, 0), secondary: rs.reduce((s, r) => s + r.secondary, 0), input: rs.reduce((s, r) => s + r.input, 0),
      recovered: kind === "Zählwerte" ? rs.reduce((s, r) => s + (r.recovered as number), 0) : rs.reduce((s, r) => s + (r.recovered || 0), 0) || "",
    });
    // The city appears once per chain: merge rows of the same system.
    const merged = new Map<string, Row>();
    for (const r of counts) {
      const m = merged.get(r.system);
      if (!m) merged.set(r.system, { ...r });
      else { m.cells += r.cells; m.primary += r.primary; m.secondary += r.secondary; m.input += r.input; m.recovered = (m.recovered as number) + (r.recovered as number); }
    }
    rows.push(...merged.values(), sum(counts, "Zählwerte"), ...ind, sum(ind, "Indikatoren"));
  }
  return rows;
}

function print(rows: Row[]): void {
  const head = ["Datensatz", "Preset", "Art", "System", "Zellen", "primär", "sekundär", "Eingang", "gesperrt %", "Audit"];
  const body = rows.map((r) => [r.dataset, r.preset, r.kind, r.system, String(r.cells), String(r.primary), String(r.secondary), r.kind === "Indikatoren" ? String(r.input) : "",
    r.cells ? ((100 * (r.primary + r.secondary + r.input)) / r.cells).toFixed(1) : "–",
    r.kind === "Zählwerte" ? (r.recovered ? `${r.recovered} aufgedeckt` : "nichts") : (r.recovered ? `${r.recovered} offen` : "")]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i >= 4 && i <= 8 ? x.padStart(w[i]!) : x.padEnd(w[i]!))).join("  ").trimEnd();
  console.log(line(head));
  console.log(w.map((n) => "-".repeat(n)).join("  "));
  let last = "";
  for (const b of body) {
    const key = `${b[0]}|${b[1]}`;
    if (last && key !== last) console.log("");
    last = key;
    console.log(line(b));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: "string", short: "c" } } });
  const todo = values.config ? [{ name: path.basename(path.dirname(path.resolve(values.config))), config: path.resolve(values.config), needs: undefined }] : DATASETS;
  const rows: Row[] = [];
  for (const d of todo) {
    if (d.needs && !existsSync(d.needs)) { console.log(`${d.name}: übersprungen (${path.relative(ROOT, d.needs)} fehlt)`); continue; }
    const t0 = Date.now();
    rows.push(...(await report(d.name, d.config)));
    console.error(`${d.name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  print(rows);
  console.log("\nIndikatoren: primär = eigene Regel (Fallzahl, Zähler, Nenner, Einwohner < Mindestzahl); sekundär = Ergänzungssperre; Eingang = gesperrt, weil eine Eingangszahl in der Zähltabelle (primär oder sekundär) gesperrt ist.");
  console.log("Zellen: veröffentlichbare Zellen (ohne fehlende Werte), alle Jahre und Merkmale. Zählwerte: die ganze geschützte Hierarchie (jede Kette einmal, Stadt je Kette).");
  console.log("Audit (Zählwerte): gesperrte Zellen, die auditTable aus der veröffentlichten Tabelle (Hierarchie und Altersgruppen-Summen) zurückrechnet. Indikatoren: Zellen, die der interne Audit offen ließ.");
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
