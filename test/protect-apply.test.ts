/**
 * Rules, symbols and protection of indicator results and count tables: rules validated with
 * clear errors, on by default, disabling needs a reason; hand-made indicator results whose
 * flags are known cell by cell.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { computeIndicators, resultIndex, type CountCube } from "../src/indicators/compute";
import { cellProtection, countRows, ProtectionReason, protectCounts, protectedRows, protectIndicators, protectionFootnotes } from "../src/protect/apply";
import { Significance } from "../src/protect/intervals";
import { countRuleFor, describeRules, isSmallCount, rateRuleFor, resolveRules, rulesFromConfig } from "../src/protect/rules";
import { stackHierarchy } from "../src/protect/suppress";
import { displayValue, symbolFootnotes } from "../src/protect/symbols";

// --- rules ----------------------------------------------------------------------------------

test("resolveRules: the standard preset is the default (BA counts, Destatis rates, 300 residents)", () => {
  const r = resolveRules();
  assert.equal(r.preset, "standard");
  assert.deepEqual(r.counts, { threshold: 3, zeros: "publish" });
  assert.equal(r.rates.minDenominator, 100);
  assert.equal(r.rates.minNumerator, 3);
  assert.equal(r.rates.minPopulation, 300);
  assert.equal(r.secondary, true);
  assert.equal(r.disabled, undefined);
  assert.deepEqual(resolveRules("ba").rates.minDenominator, 0);
  assert.equal(resolveRules("monitoring").counts.threshold, 0);
});

test("resolveRules: zeros are an explicit option; overrides per variable and indicator", () => {
  const r = resolveRules({ preset: "ba", zeros: "suppress", variables: { unemployed: { threshold: 5 } }, indicators: { child_poverty: { minDenominator: 50 } } });
  assert.deepEqual(r.counts, { threshold: 3, zeros: "suppress" });
  assert.deepEqual(countRuleFor(r, "unemployed"), { threshold: 5, zeros: "suppress" });
  assert.deepEqual(countRuleFor(r, "pop_total"), { threshold: 3, zeros: "suppress" });
  assert.equal(rateRuleFor(r, "child_poverty").minDenominator, 50);
  assert.equal(rateRuleFor(r, "minsec_rate").minDenominator, 0);
  assert.equal(isSmallCount(0, r.counts), true);
  assert.equal(isSmallCount(0, resolveRules().counts), false);
  assert.equal(isSmallCount(2, resolveRules().counts), true);
  assert.equal(isSmallCount(NaN, r.counts), false);
});

test("resolveRules: malformed rules throw 'invalid rule <path>: expected …'", () => {
  assert.throws(() => resolveRules({ preset: "strict" }), /invalid rule rules\.protection\.preset: expected one of "standard", "ba"/);
  assert.throws(() => resolveRules({ counts: { threshold: "3" } }), /invalid rule rules\.protection\.counts\.threshold: expected a non-negative integer, got "3"/);
  assert.throws(() => resolveRules({ zeros: true }), /invalid rule rules\.protection\.zeros: expected "publish" or "suppress", got true/);
  assert.throws(() => resolveRules({ treshold: 3 }), /invalid rule rules\.protection\.treshold: expected one of the keys/);
  assert.throws(() => resolveRules({ indicators: { child_poverty: { minDenominater: 50 } } }), /invalid rule rules\.protection\.indicators\.child_poverty\.minDenominater/);
  assert.throws(() => resolveRules({ variables: { unemployed: 5 } }), /invalid rule rules\.protection\.variables\.unemployed: expected an object/);
  assert.throws(() => resolveRules({ confidence: 95 }), /invalid rule rules\.protection\.confidence: expected a number between 0 and 1/);
  assert.throws(() => resolveRules({ preset: "none" }), /invalid rule rules\.protection\.preset: expected a preset other than "none"/);
});

test("protection is on by default; disabling needs a reason, which is kept", () => {
  assert.throws(() => resolveRules({ disable: true }), /invalid rule rules\.protection\.reason: expected a non-empty reason/);
  assert.throws(() => resolveRules({ disable: true, reason: "  " }), /invalid rule rules\.protection\.reason/);
  assert.throws(() => resolveRules({ reason: "x" }), /expected no reason unless "disable": true/);
  const r = rulesFromConfig({ rules: { protection: { disable: true, reason: "interne Prüfung der Eingangsdaten" } } });
  assert.deepEqual(r.disabled, { reason: "interne Prüfung der Eingangsdaten" });
  assert.match(describeRules(r), /^Geheimhaltung abgeschaltet: interne Prüfung/);
  assert.equal(rulesFromConfig({}).preset, "standard");
  assert.match(describeRules(resolveRules()), /Fallzahlen unter 3 gesperrt; Quoten nur bei Nenner mindestens 100 und Zähler mindestens 3; keine Quoten für Gebiete unter 300 Einwohnern/);
});

// --- symbols --------------------------------------------------------------------------------

test("displayValue: German numbers; hidden values show their symbol, never the value", () => {
  assert.deepEqual(displayValue(1234.56, {}, { digits: 1 }), { text: "1.234,6" });
  assert.deepEqual(displayValue(2, { suppressed: true, symbol: "." }), { text: ".", symbol: "." });
  assert.deepEqual(displayValue(12.5, { suppressed: true, symbol: "/" }, { digits: 1 }), { text: "/", symbol: "/" });
  assert.deepEqual(displayValue(12.34, { symbol: "()" }, { digits: 1 }), { text: "(12,3)", symbol: "()" });
  assert.deepEqual(displayValue(0), { text: "–", symbol: "–" });
  assert.deepEqual(displayValue(NaN), { text: ".", symbol: "." });
  assert.deepEqual(displayValue(NaN, { symbol: "x" }), { text: "x", symbol: "x" });
  assert.deepEqual(displayValue(0.04, {}, { digits: 1 }), { text: "0,0", symbol: "0" });
});

test("symbolFootnotes: only the symbols used, in the order of the Zeichenerklärung", () => {
  assert.deepEqual(symbolFootnotes([".", "", "()", "–", "."]), [
    "– = nichts vorhanden",
    ". = Zahlenwert unbekannt oder geheim zu halten",
    "( ) = Aussagewert eingeschränkt, da der Zahlenwert statistisch relativ unsicher ist",
  ]);
  assert.deepEqual(symbolFootnotes([{ text: "/", symbol: "/" }]), ["/ = keine Angabe, da Zahlenwert nicht sicher genug"]);
});

// --- indicator results ----------------------------------------------------------------------

const VARS = ["pop_total", "minsec_recipients", "unemployed"];
// 2024:          pop   minsec unemployed
const DATA: Record<string, [number, number, number][]> = {
  A: [[1000, 150, 35], [1000, 200, 40]], // large: published; 20 % against city 10.8 % → above
  B: [[260, 40, 9], [250, 50, 10]],      // < 300 residents: rate "/" (monitoring floor)
  C: [[780, 5, 4], [800, 2, 2]],         // numerator 2: rate ".", count 2: "."
  D: [[95, 8, 6], [90, 10, 5]],          // denominator 90 < 100: rate "/"
  E: [[1150, 90, 28], [1200, 100, 30]],  // 8.3 % → below the city value
};
function cube(): CountCube {
  const areas = Object.keys(DATA);
  return { areas, years: [2020, 2024], variables: VARS, values: Float64Array.from(areas.flatMap((a) => DATA[a]!.flat())) };
}
const result = () => computeIndicators(cube(), { indicators: ["population", "minsec_rate", "unemployed"] });
const at = (p: ReturnType<typeof protectIndicators>, id: string, area: string, year = 2024) =>
  resultIndex(p.result, p.result.definitions.findIndex((d) => d.id === id), p.result.areas.indexOf(area), p.result.years.indexOf(year));

test("protectIndicators: primary reasons and symbols per cell under the standard rules", () => {
  const p = protectIndicators(result());
  const reason = (id: string, area: string) => p.reason[at(p, id, area)];
  assert.equal(reason("minsec_rate", "A"), ProtectionReason.None);
  assert.equal(reason("minsec_rate", "B"), ProtectionReason.SmallPopulation);
  assert.equal(reason("minsec_rate", "C"), ProtectionReason.SmallNumerator);
  assert.equal(reason("minsec_rate", "D"), ProtectionReason.SmallDenominator);
  assert.equal(reason("unemployed", "C"), ProtectionReason.SmallCount);
  assert.deepEqual(["A", "B", "C", "D", "E"].map((a) => p.symbol[at(p, "minsec_rate", a)]), ["", "/", ".", "/", ""]);
  // values are never changed
  assert.equal(p.result.value[at(p, "minsec_rate", "C")], 0.25);
  assert.deepEqual(p.unresolved, []);
});

test("protectIndicators: secondary suppression of a count over the areas and the city total", () => {
  const p = protectIndicators(result());
  // unemployed 2024: city 87 = A 40 + B 10 + C 2 + D 5 + E 30; C is primary → D (5, smallest) secondary
  assert.deepEqual(["A", "B", "C", "D", "E"].filter((a) => p.suppressed[at(p, "unemployed", a)]), ["C", "D"]);
  assert.equal(p.reason[at(p, "unemployed", "D")], ProtectionReason.Secondary);
  assert.equal(p.primary[at(p, "unemployed", "D")], 0);
  // minsec_rate: B and D are hidden ("/") already, so C needs no complement
  assert.deepEqual(["A", "B", "C", "D", "E"].filter((a) => p.suppressed[at(p, "minsec_rate", a)]), ["B", "C", "D"]);
  // without the reliability rules, B and D are published and D becomes C's complement
  const q = protectIndicators(result(), { rules: { rates: { minPopulation: 0, minDenominator: 0 } } });
  assert.deepEqual(["A", "B", "C", "D", "E"].filter((a) => q.suppressed[at(q, "minsec_rate", a)]), ["C", "D"]);
  assert.equal(q.reason[at(q, "minsec_rate", "D")], ProtectionReason.Secondary);
  // changes touching a suppressed year are hidden
  assert.equal(q.changeSuppressed[at(q, "minsec_rate", "C")], 1);
  assert.equal(q.changeSuppressed[at(q, "minsec_rate", "A")], 0);
});

test("protectIndicators: intervals and significance against the city value; none for hidden cells", () => {
  const p = protectIndicators(result());
  const a = cellProtection(p, "minsec_rate", "A", 2024);
  assert.equal(a.display, "20,0");
  assert.ok(a.lo < 20 && a.hi > 20);
  assert.equal(a.significance, "signifikant über dem Stadtwert");
  assert.equal(p.significance[at(p, "minsec_rate", "E")], Significance.Below);
  const c = cellProtection(p, "minsec_rate", "C", 2024);
  assert.equal(c.display, ".");
  assert.ok(Number.isNaN(c.lo) && Number.isNaN(c.hi));
  assert.equal(c.significance, "");
  const i = p.result.definitions.findIndex((d) => d.id === "minsec_rate");
  assert.ok(p.reference.lo[i * 2 + 1]! < p.result.reference.value[i * 2 + 1]!);
  // Clopper-Pearson on request
  const cp = protectIndicators(result(), { rules: { intervalMethod: "clopper-pearson" } });
  assert.ok(cp.lo[at(cp, "minsec_rate", "A")]! < p.lo[at(p, "minsec_rate", "A")]!);
});

test("protectIndicators: suppressed input counts suppress the values built from them", () => {
  const s = stackHierarchy(cube(), []);
  // pop_total under 100 is suppressed in the count table (override), so D's rate is too
  const counts = protectCounts(s.table, { parentOf: s.parentOf }, { variables: { pop_total: { threshold: 100 } } });
  const p = protectIndicators(result(), { counts, rules: { variables: { pop_total: { threshold: 100 } } } });
  assert.equal(p.reason[at(p, "minsec_rate", "D")], ProtectionReason.InputSuppressed);
  assert.equal(p.symbol[at(p, "minsec_rate", "D")], ".");
});

test("protectIndicators: disabled protection flags nothing but keeps the reason for provenance", () => {
  const p = protectIndicators(result(), { rules: { disable: true, reason: "interne Auswertung" } });
  assert.deepEqual(p.disabled, { reason: "interne Auswertung" });
  assert.equal(p.suppressed.reduce((s, x) => s + x, 0), 0);
  assert.ok(Number.isFinite(p.lo[at(p, "minsec_rate", "C")]!));
  assert.match(protectionFootnotes(p).join("\n"), /Geheimhaltung abgeschaltet: interne Auswertung/);
});

test("protectedRows and footnotes: German columns, symbols instead of hidden values", () => {
  const p = protectIndicators(result());
  const rows = protectedRows(p, { indicators: ["minsec_rate"], withValues: false });
  const c = rows.find((r) => r.gebiet_id === "C" && r.jahr === 2024)!;
  assert.equal(c.anzeige, ".");
  assert.equal(c.gesperrt, 1);
  assert.equal(c.grund, "Zähler unter dem Mindestwert (Geheimhaltung)");
  assert.equal("wert" in c, false);
  const notes = protectionFootnotes(p, ["minsec_rate"]);
  assert.ok(notes.includes(". = Zahlenwert unbekannt oder geheim zu halten"));
  assert.ok(notes.includes("/ = keine Angabe, da Zahlenwert nicht sicher genug"));
  assert.ok(notes.some((n) => n.startsWith("Konfidenzintervalle 95 %: Anteile nach Wilson")));
});

test("protectIndicators: without population data the floor is not applied and a note says so", () => {
  const r = computeIndicators(cube(), { indicators: ["minsec_rate"] });
  const p = protectIndicators(r);
  assert.equal(p.reason[at(p, "minsec_rate", "B")], ProtectionReason.None);
  assert.match(p.notes[0]!, /Mindesteinwohnerzahl nicht geprüft/);
});

test("countRows: flags as columns next to the value", () => {
  const s = stackHierarchy(cube(), []);
  const p = protectCounts(s.table, { parentOf: s.parentOf });
  const rows = countRows(p);
  const c = rows.find((r) => r.gebiet_id === "C" && r.jahr === 2024 && r.merkmal === "unemployed")!;
  assert.deepEqual([c.wert, c.anzeige, c.primaer, c.gesperrt, c.zeichen], [2, ".", 1, 1, "."]);
  assert.equal(rows.filter((r) => r.gesperrt === 1 && r.primaer === 0).length > 0, true);
  assert.match(protectionFootnotes(p).join("\n"), /Sekundärsperrung/);
});
