import assert from "node:assert/strict";
import { test } from "node:test";
import type { Polygon } from "geojson";
import { escapeHtml, formatNumber } from "../src/present/format";
import { htmlTable } from "../src/present/html-table";
import { svgChoropleth } from "../src/present/svg-map";

const square = (x: number, y: number, s = 100): Polygon => ({
  type: "Polygon",
  coordinates: [[[x, y], [x, y + s], [x + s, y + s], [x + s, y], [x, y]]],
});

test("formatNumber writes German numbers and never turns missing into 0", () => {
  assert.equal(formatNumber(1234.56, { digits: 1 }), "1.234,6");
  assert.equal(formatNumber(117000), "117.000");
  assert.equal(formatNumber(22.14, { digits: 1, unit: "%" }), "22,1\u202f%");
  assert.equal(formatNumber(NaN), "–");
  assert.equal(formatNumber(undefined, { missing: "." }), ".");
});

test("svgChoropleth draws every area, hatches missing values and counts classes in the legend", () => {
  const areas = [
    { id: "01", name: "Nord", geometry: square(0, 100) },
    { id: "02", name: "Süd", geometry: square(0, 0) },
    { id: "03", name: "Ost", geometry: square(100, 0) },
    { id: "04", name: "<img src=x onerror=alert(1)>", geometry: square(100, 100) },
  ];
  const svg = svgChoropleth(areas, new Map([["01", 10], ["02", 20], ["03", 30], ["04", NaN]]), { classes: 3, legendTitle: "Anteil (%)", source: "Quelle: Test" });
  assert.equal((svg.match(/<path /g) ?? []).length, 4);
  assert.equal((svg.match(/fill="url\(#kr-missing\)"/g) ?? []).length, 2, "one missing area + its legend swatch");
  assert.match(svg, /keine Angabe \(1\)/);
  assert.match(svg, /10,0 bis 16,7 \(1\)/); // quantiles (numpy linear, as mapclassify)
  assert.match(svg, /über 23,3 bis 30,0 \(1\)/);
  assert.ok(!svg.includes("<img"), "area names are escaped");
  assert.match(svg, /&lt;img src=x onerror=alert\(1\)&gt;/);
  // North is up: the area with the larger y is drawn above (smaller SVG y).
  const yOf = (id: string) => Number(new RegExp(`<path d="M[\\d.]+,([\\d.]+)[^"]*"[^>]*><title>[^<]*\\(${id}\\)`).exec(svg)![1]);
  assert.ok(yOf("01") < yOf("02"));
});

test("htmlTable right-aligns German numbers and escapes text", () => {
  const html = htmlTable([{ Gebiet: "A&B", Einwohner: 1234, Anteil: 12.345 }], { digits: { Anteil: 1 }, notes: ["Quelle: Test"] });
  assert.match(html, /<td style="text-align:left">A&amp;B<\/td>/);
  assert.match(html, /<td style="text-align:right">1\.234<\/td>/);
  assert.match(html, /12,3/);
  assert.match(html, /Quelle: Test/);
  assert.equal(escapeHtml(`"'`), "&quot;&#39;");
});
