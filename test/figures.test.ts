/**
 * Plotly figure specs: one golden snapshot per figure type (numbers rounded before comparing, as
 * Observable Plot's tests do; `REGEN=1 npm test` rewrites them, never in CI), and the rules every
 * figure keeps: protection is required, hidden values are never drawn, classes and legends in
 * German with counts, missing is not zero.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { test } from "node:test";
import * as F from "../src/present/plotly";
import { figureHtml, plotlyBundleHtml } from "../src/present/display";
import { FEATURES, figures, fixture, IDS } from "./figures-fixture";

const GOLDEN = path.join(__dirname, "fixtures", "figures");
const REGEN = process.env.REGEN === "1" && !process.env.CI;

/** Rounds every number to 4 decimals (floating-point noise of other platforms must not fail a snapshot). */
function normalise(x: unknown): unknown {
  if (typeof x === "number") return Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : String(x);
  if (Array.isArray(x)) return x.map(normalise);
  if (x && typeof x === "object") return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, normalise(v)]));
  return x;
}

for (const [name, spec] of Object.entries(figures())) {
  test(`snapshot: ${name}`, () => {
    const file = path.join(GOLDEN, `${name}.json`);
    const actual = JSON.stringify(normalise(spec), null, 1) + "\n";
    if (REGEN || !existsSync(file)) {
      if (process.env.CI) assert.fail(`golden ${file} missing (run REGEN=1 npm test locally)`);
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, actual);
    }
    assert.equal(actual, readFileSync(file, "utf8"), `${name} differs from ${file} (REGEN=1 rewrites after checking the change)`);
  });
}

type Trace = Record<string, unknown> & { name?: string; locations?: string[]; text?: string[]; y?: unknown[]; x?: unknown[] };
const traces = (s: { data: unknown[] }) => s.data as Trace[];

test("every builder demands protection or an explicit unprotected reason", () => {
  const { result } = fixture();
  assert.throws(() => F.indicatorChoropleth(FEATURES, result, "child_poverty", {} as never), /protection required/);
  assert.throws(() => F.indicatorChoropleth(FEATURES, result, "child_poverty", { protection: { unprotected: " " } }), /needs a reason/);
  assert.throws(() => F.choroplethFigure(FEATURES, new Map(), {} as never), /protection required/);
  assert.throws(() => F.rankingFigure(result, "child_poverty", {} as never), /protection required/);
  assert.throws(() => F.timeSeriesFigure(result, "child_poverty", ["01"], {} as never), /protection required/);
  assert.throws(() => F.spineFigure(result, "01", ["child_poverty"], {} as never), /protection required/);
  assert.throws(() => F.scatterFigure([], {} as never), /protection required/);
  assert.throws(() => F.pyramidFigure({ bands: [], left: { name: "a", values: [] }, right: { name: "b", values: [] } } as never), /protection required/);
  // the colleague's table form { unprotected: { reason } } is accepted too
  const s = F.indicatorChoropleth(FEATURES, result, "child_poverty", { protection: { unprotected: { reason: "interne Prüfung" } } });
  assert.deepEqual((s.layout.meta as Record<string, string>).krProtection, "ohne-schutz");
  assert.match(JSON.stringify(s.layout.annotations), /Ohne Geheimhaltungsprüfung: interne Prüfung\./);
});

test("suppressed values are never drawn, classed or written into a map", () => {
  const { result, protection } = fixture();
  const s = F.indicatorChoropleth(FEATURES, result, "child_poverty", { protection, year: 2022 });
  const grey = traces(s).find((t) => String(t.name).startsWith("gesperrt"))!;
  assert.deepEqual(grey.locations, ["01", "03"]);
  assert.equal((grey.colorscale as string[][])[0]![1], F.DEFAULT_STYLE.suppressed);
  for (const t of grey.text!) assert.match(t, /Wert: \. \(gesperrt \(Geheimhaltung\)\)$/);
  // the true values (4,6 and 20,0) are in no trace text, and the classes use the visible values only
  const visible = traces(s).filter((t) => t.type === "choropleth" && !String(t.name).startsWith("gesperrt"));
  assert.ok(!JSON.stringify(visible).includes("Altstadt"), "Altstadt (suppressed) is not in a class");
  assert.ok(!JSON.stringify(s).includes("4,6"));
  assert.equal(visible.reduce((n, t) => n + t.locations!.length, 0), 7);
  // primary and secondary suppression read alike
  assert.ok(!JSON.stringify(s).includes("Sekundär"));
  assert.ok(!JSON.stringify(s).includes("Schwellenwert"));
});

test("missing values are their own grey legend entry, never zero", () => {
  const { result, protection } = fixture();
  const s = F.indicatorChoropleth(FEATURES, result, "share_65plus", { protection });
  const names = traces(s).map((t) => t.name);
  assert.ok(names.includes("keine Angabe (1)"), names.join(" | "));
  assert.ok(names.includes("gesperrt / (1)"), names.join(" | "));
  const missing = traces(s).find((t) => t.name === "keine Angabe (1)")!;
  assert.deepEqual(missing.locations, ["07"]);
  assert.equal((missing.colorscale as string[][])[0]![1], F.DEFAULT_STYLE.missing);
  assert.notEqual(F.DEFAULT_STYLE.missing, F.DEFAULT_STYLE.suppressed);
  assert.ok(!F.DEFAULT_STYLE.sequential.includes(F.DEFAULT_STYLE.missing));
});

test("class legends: German ranges with counts, for every scheme", () => {
  assert.deepEqual(F.classLabels([10, 15.25, 1234.5]), ["bis 10,0", "über 10,0 bis 15,3", "über 15,3"]);
  assert.deepEqual(F.classLabels([10, 15, 20], "left", 0), ["unter 10", "10 bis unter 15", "15 und mehr"]);
  // bounds that would print alike get more digits
  assert.deepEqual(F.classLabels([1.01, 1.04, 2]), ["bis 1,01", "über 1,01 bis 1,04", "über 1,04"]);
  const s = F.choroplethFigure(FEATURES, new Map(IDS.map((id, i) => [id, i * 2.5])), { protection: { unprotected: "Test" }, breaks: [5, 10, 15] });
  assert.deepEqual(traces(s).filter((t) => t.type === "choropleth").map((t) => t.name), ["bis 5,0 (3)", "über 5,0 bis 10,0 (2)", "über 10,0 bis 15,0 (2)", "über 15,0 (2)"]);
  assert.match(JSON.stringify(s.layout.annotations), /Klassen: feste Grenzen, 4 Klassen/);
  const geo = s.layout.geo as Record<string, unknown>;
  assert.deepEqual([geo.fitbounds, geo.visible, (geo.projection as { type: string }).type], ["locations", false, "mercator"]);
  assert.equal(s.layout.separators, ",.");
});

test("pooled classes: one set of breaks for all years", () => {
  const { result, protection } = fixture();
  const a = F.indicatorChoropleth(FEATURES, result, "child_poverty", { protection, year: 2021, pooledYears: [2021, 2024], k: 3 });
  const b = F.indicatorChoropleth(FEATURES, result, "child_poverty", { protection, year: 2024, pooledYears: [2021, 2024], k: 3 });
  const ranges = (s: typeof a) => traces(s).filter((t) => t.type === "choropleth" && !/gesperrt|keine/.test(String(t.name))).map((t) => String(t.name).replace(/ \(\d+\)$/, ""));
  assert.deepEqual(ranges(a), ranges(b));
  assert.match(JSON.stringify(a.layout.annotations), /Grenzen gemeinsam für 2021–2024/);
});

test("charts: hidden values are gaps or symbols; the city is drawn", () => {
  const { result, protection, names } = fixture();
  const ts = F.timeSeriesFigure(result, "child_poverty", ["01"], { protection, names });
  assert.deepEqual(traces(ts)[0]!.y!.slice(0, 3), [null, null, null]);
  assert.equal(traces(ts)[1]!.name, "Stadt");
  const rk = F.rankingFigure(result, "child_poverty", { protection, names, year: 2022 });
  const bars = traces(rk).filter((t) => t.type === "bar").flatMap((t) => t.y as string[]);
  assert.ok(!bars.includes("Altstadt") && !bars.includes("Boy"));
  assert.deepEqual(traces(rk).find((t) => t.type === "scatter")!.y, ["Altstadt", "Boy"]);
  assert.match(JSON.stringify(rk.layout.annotations), /Stadt: /);
  const sc = F.indicatorScatter(result, "unemployment", "child_poverty", { protection, names });
  assert.match(JSON.stringify(sc.layout.annotations), /2 Gebiete ohne Punkt/);
  const sp = F.spineFigure(result, "03", ["unemployment", "share_65plus"], { protection, names });
  assert.deepEqual(traces(sp)[3]!.x, [null, null]);
});

test("figureStyle: defaults, rules.style of a dataset, errors by key", () => {
  const s = F.figureStyle({ source: "Stadt X", rules: { style: { logo: "Stadt X", fontSize: 14, sequential: ["#fff", "#000"] } } });
  assert.equal(s.source, "Quelle: Stadt X");
  assert.equal(s.logo, "Stadt X");
  assert.equal(s.fontSize, 14);
  assert.equal(F.figureStyle().categorical[0], "#0072B2");
  assert.throws(() => F.figureStyle({ rules: { style: { fontSize: "12" } } }), /invalid rules\.style\.fontSize/);
  assert.throws(() => F.figureStyle({ rules: { style: { colour: "red" } } }), /invalid rules\.style\.colour: unknown key/);
});

test("figureHtml and the inline bundle cannot close their script early", () => {
  const spec = F.choroplethFigure(FEATURES, new Map([["01", 1]]), { protection: { unprotected: "Test" }, title: "</script><script>alert(1)</script>" });
  const html = figureHtml(spec, { id: "kr-fig-test" });
  assert.equal(html.match(/<\/script>/g)!.length, 1);
  assert.match(html, /id="kr-fig-test"/);
  const bundle = plotlyBundleHtml();
  assert.equal(bundle.match(/<\/script>/gi)!.length, 2);
  assert.match(bundle, /PlotlyGeoAssets/);
});
