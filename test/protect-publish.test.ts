/**
 * Protection on the way out: one call per area system of a dataset, published tables with
 * symbols and ranks over published values, maps that hide suppressed areas, the export guard,
 * unprotected output only with a reason, and the reliability sentence.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { ROOT } from "../scripts/lib/jupyter-env";
import { computeIndicators, resultIndex, type CountCube } from "../src/indicators/compute";
import { loadDataset } from "../src/project/config";
import { germanCsv, writeOutput } from "../src/export/files";
import { indicatorMap, indicatorMapSvg } from "../src/present/indicator-map";
import { svgChoropleth } from "../src/present/svg-map";
import { protectIndicators, publishedCounts } from "../src/protect/apply";
import { protectedCountsFor, protectedIndicatorsFor } from "../src/protect/dataset";
import { resolveInquiry } from "../src/protect/inquiry";
import { reliabilitySentence } from "../src/protect/sentence";
import { auditTable } from "../src/protect/suppress";
import { answerTable, protectedDetailTable, protectedTable, tableCsv, tableHtml, unprotectedTable, writeTable } from "../src/protect/tables";

const CONFIG = path.join(ROOT, "data", "musterstadt", "dataset.json");
const dsP = loadDataset(CONFIG, { validate: false });

test("protectedIndicatorsFor: one count protection for the whole hierarchy, audited clean", async () => {
  const ds = await dsP;
  const main = protectedIndicatorsFor(ds, "statbez");
  const fine = protectedIndicatorsFor(ds, "bbg");
  assert.equal(main.countProtection, fine.countProtection, "every system of a chain shares the count protection");
  assert.deepEqual(main.countProtection.systems, ["bbg", "statbez", "stbz"]);
  const c = main.countProtection.counts;
  assert.equal(c.table.areas[c.table.areas.length - 1], "Stadt");
  assert.deepEqual(c.unresolved, []);
  const audit = auditTable(publishedCounts(c).values, c.relations);
  assert.equal(audit.recoverable.filter((x) => c.suppressed[x.cell]).length, 0);
  assert.ok(fine.suppressed.some((x) => x === 1), "block groups have hidden cells");
  assert.equal(main.system, "statbez");
  assert.match(main.source ?? "", /^Quelle: Musterstadt/);
  // A value whose input count is suppressed is suppressed too.
  const r = fine.result;
  const i = r.definitions.findIndex((d) => d.id === "unemployed");
  for (let a = 0; a < r.areas.length; a++) {
    const k = resultIndex(r, i, a, r.years.length - 1);
    if (fine.inputHidden[k]) assert.equal(fine.suppressed[k], 1);
  }
  // Explicit rules win over the configuration and are cached separately.
  assert.notEqual(protectedCountsFor(ds, "statbez", { preset: "ba", zeros: "suppress" }), main.countProtection);
});

test("protectedTable: symbols for hidden cells, ranks over published values only, notes with symbols and rules", async () => {
  const ds = await dsP;
  const p = protectedIndicatorsFor(ds, "bbg");
  const r = p.result;
  const i = r.definitions.findIndex((d) => d.id === "child_poverty");
  const y = r.years.length - 1;
  const value = protectedTable(p, { indicators: ["child_poverty"] });
  const rank = protectedTable(p, { indicators: ["child_poverty"], measure: "rank" });
  const col = value.columns[2]!, rcol = rank.columns[2]!;
  let published = 0;
  r.areas.forEach((id, a) => {
    const k = resultIndex(r, i, a, y);
    const row = value.rows.find((x) => x["Gebiet-ID"] === id)!;
    const rrow = rank.rows.find((x) => x["Gebiet-ID"] === id)!;
    if (p.suppressed[k]) {
      assert.ok([".", "/"].includes(row[col] as string), `${id}: ${row[col]}`);
      assert.equal(typeof rrow[rcol], "string");
    } else if (Number.isFinite(r.value[k]!)) {
      published++;
      assert.equal(typeof rrow[rcol], "number");
    }
  });
  const ranks = rank.rows.map((x) => x[rcol]).filter((v): v is number => typeof v === "number");
  assert.equal(Math.max(...ranks), published > 0 ? Math.max(...ranks) : 0);
  assert.ok(Math.max(...ranks) <= published, "no rank counts a hidden value");
  assert.ok(value.notes.includes("/ = keine Angabe, da Zahlenwert nicht sicher genug"));
  assert.ok(value.notes.some((n) => n.startsWith("Geheimhaltung (standard):")));
  assert.ok(!value.notes.some((n) => n.startsWith("– = kein Wert")), "the raw table's '–' note is replaced by the symbols");
  // Detail: hidden areas last, without interval, rank or difference.
  const detail = protectedDetailTable(p, "child_poverty");
  const firstHidden = detail.rows.findIndex((x) => typeof x[col] === "string" && x["Gebiet-ID"] !== "");
  assert.ok(firstHidden > 0);
  for (const row of detail.rows.slice(firstHidden)) {
    assert.equal(typeof row[col], "string");
    assert.equal(row["KI unten"], "");
    assert.equal(typeof row["Rang"], "string");
    assert.doesNotMatch(String(row["Hinweis"]), /Schwellenwert|Sekundär/, "public notes do not tell primary from secondary");
  }
  // The CSV carries the symbols and the rules.
  const csv = tableCsv(detail);
  assert.match(csv, /\r\n0\d+;[^;]*;\/;/);
  assert.match(csv, /Geheimhaltung \(standard\)/);
  // Answer table: the asked areas and years, interval and significance.
  const ans = answerTable(p, "child_poverty", [r.areas[0]!], { years: [2020, 2024] });
  assert.deepEqual(ans.rows.map((x) => x.Jahr), ["2020", "2024"]);
  assert.ok("Vergleich mit der Stadt" in ans.rows[0]!);
});

test("exports: CSV tables and SVG maps only with protection or a stated reason", async () => {
  const ds = await dsP;
  const out = mkdtempSync(path.join(tmpdir(), "kr-publish-"));
  const old = process.env.KLEINRAUM_OUTPUTS;
  process.env.KLEINRAUM_OUTPUTS = out;
  try {
    const p = protectedIndicatorsFor(ds, "statbez", { indicators: ["population", "child_poverty"] });
    const system = ds.areaSystems.get("statbez")!;
    assert.throws(() => writeOutput("t", "raw.csv", germanCsv([{ a: 1 }])), /refusing to write raw\.csv without small-number protection/);
    assert.throws(() => writeOutput("t", "raw.svg", "<svg></svg>"), /refusing to write raw\.svg without small-number protection/);
    assert.throws(() => writeTable("t", "x.csv", [{ a: 1 }] as never), /expected a published table/);
    assert.throws(() => indicatorMap(system, p.result, "child_poverty"), /without small-number protection/);
    assert.throws(() => unprotectedTable([{ a: 1 }], { unprotected: { reason: " " } }), /a reason is required/);
    const f1 = writeTable("t", "ok.csv", protectedTable(p));
    assert.match(readFileSync(f1, "utf8"), /Geheimhaltung \(standard\)/);
    const f2 = writeTable("t", "intern.csv", unprotectedTable([{ a: 1 }], { unprotected: { reason: "interne Prüfung" } }));
    assert.match(readFileSync(f2, "utf8"), /Ohne Geheimhaltungsschutz: interne Prüfung/);
    assert.match(tableHtml(unprotectedTable([{ a: 1 }], { unprotected: { reason: "interne Prüfung" } })), /Ohne Geheimhaltungsschutz: interne Prüfung – nicht zur Weitergabe/);
    const raw = indicatorMapSvg(system, p.result, "child_poverty", { unprotected: { reason: "Plausibilität" } });
    assert.match(raw, /data-kr-protection="ohne-schutz"/);
    assert.match(raw, /Ohne Geheimhaltungsschutz: Plausibilität/);
    writeOutput("t", "intern.svg", raw);
    writeOutput("t", "karte.svg", indicatorMapSvg(system, p, "child_poverty"));
    // Protection disabled in the rules: written, with the reason.
    const off = protectedIndicatorsFor(ds, "statbez", { indicators: ["population"], rules: { disable: true, reason: "Testlauf" } });
    assert.match(tableCsv(protectedTable(off)), /Geheimhaltung abgeschaltet: Testlauf/);
  } finally {
    if (old === undefined) delete process.env.KLEINRAUM_OUTPUTS; else process.env.KLEINRAUM_OUTPUTS = old;
    rmSync(out, { recursive: true, force: true });
  }
});

test("maps: hidden areas hatched with their own legend entry, never their value", async () => {
  const ds = await dsP;
  const p = protectedIndicatorsFor(ds, "bbg", { indicators: ["child_poverty"] });
  const svg = indicatorMapSvg(ds.areaSystems.get("bbg")!, p, "child_poverty");
  assert.match(svg, /nicht sicher genug \(\/\) \(\d+\)<\/text>/);
  const r = p.result;
  r.areas.forEach((id, a) => {
    const k = resultIndex(r, 0, a, r.years.length - 1);
    const title = new RegExp(`\\(${id}\\): ([^<]*)</title>`).exec(svg)![1]!;
    if (p.suppressed[k]) assert.match(title, /^(gesperrt \(\.\)|nicht sicher genug \(\/\))$/);
  });
  // svgChoropleth: hidden labels are not classified
  const sq = (x: number) => ({ type: "Polygon" as const, coordinates: [[[x, 0], [x, 1], [x + 1, 1], [x + 1, 0], [x, 0]]] });
  const s = svgChoropleth([{ id: "a", geometry: sq(0) }, { id: "b", geometry: sq(1) }, { id: "c", geometry: sq(2) }], new Map([["a", 1], ["b", 2], ["c", 99]]), { classes: 2, hiddenLabels: new Map([["c", "gesperrt (.)"]]) });
  assert.doesNotMatch(s, /99,0/);
  assert.match(s, /gesperrt \(\.\) \(1\)/);
  assert.match(s, /<title>c: gesperrt \(\.\)<\/title>/);
});

test("reliabilitySentence: value, interval, city comparison and small numbers; hidden values never stated", () => {
  // pop, kids <15, children in SGB II households
  const data: Record<string, number[]> = { A: [4000, 600, 180], B: [900, 130, 14], C: [1000, 150, 2], D: [800, 60, 20], E: [5000, 700, 90] };
  const areas = Object.keys(data);
  const cube: CountCube = { areas, years: [2024], variables: ["pop_total", "age_00_15", "sgb2_children_u15"], values: Float64Array.from(areas.flatMap((a) => data[a]!)) };
  const r = computeIndicators(cube, { indicators: ["population", "child_poverty"], changeYears: 4 });
  const p = protectIndicators(r);
  const s = (a: string) => reliabilitySentence(p, "child_poverty", a, { names: new Map([["A", "Nord"]]) }).replace(/\u202f/g, " ");
  assert.match(s("A"), /^Der Wert „Kinder in Bedarfsgemeinschaften“ lag in Nord \(A\) am 31\.12\.2024 bei 30,0 % \(95-%-Konfidenzintervall 26,5 % bis 33,8 %\) und damit signifikant über dem Stadtwert von 18,7 %; kleine Fallzahlen schränken diese Aussage nicht ein\.$/);
  assert.match(s("B"), /beruht auf kleinen Fallzahlen \(weniger als 20 Fälle/);
  assert.match(s("C"), /aus Gründen der statistischen Geheimhaltung nicht ausgewiesen/);
  assert.doesNotMatch(s("C"), /1,3/);
  assert.match(s("D"), /Bezugsgröße für eine belastbare Aussage zu klein/);
  assert.match(s("E"), /signifikant unter dem Stadtwert/);
});

test("resolveInquiry: asked parameters where the data support them, else fallbacks with notes", async () => {
  const ds = await dsP;
  const q = resolveInquiry(ds, { indicator: "child_poverty", areas: ["0205", "9999"], years: [2020, 2024, 1990] });
  assert.equal(q.system, "statbez");
  assert.deepEqual(q.areas, ["0205"]);
  assert.deepEqual(q.years, [2020, 2024]);
  assert.equal(q.notes.length, 2);
  const d = resolveInquiry(ds, { indicator: "nope" });
  assert.equal(d.indicator, "child_poverty");
  assert.equal(d.areas.length, 1);
  assert.match(d.notes.join(" "), /nicht berechenbar/);
});
