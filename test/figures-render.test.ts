/**
 * Every figure type rendered to PNG in headless Chromium (one browser for the file): a PNG of
 * the expected pixel size, not blank; PNGs are kept under the temp folder for looking at
 * (`$TMPDIR/kleinraum-figures/`). SVG export carries the protection state for the export guard.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { after, test } from "node:test";
import { inflateSync } from "zlib";
import { closeRenderer, renderPng, renderSvg } from "../src/present/render";
import { figures } from "./figures-fixture";

const OUT = path.join(os.tmpdir(), "kleinraum-figures");
mkdirSync(OUT, { recursive: true });
after(() => closeRenderer());

function pngSize(png: Buffer): { width: number; height: number } {
  assert.equal(png.subarray(0, 8).toString("hex"), "89504e470d0a1a0a", "PNG signature");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Number of distinct colours in (a sample of) the PNG's pixels: a blank image has one. */
function colourCount(png: Buffer): number {
  const { width, height } = pngSize(png);
  const idat: Buffer[] = [];
  let colourType = 0;
  for (let o = 8; o < png.length;) {
    const len = png.readUInt32BE(o), type = png.toString("ascii", o + 4, o + 8);
    if (type === "IHDR") colourType = png[o + 8 + 9]!;
    if (type === "IDAT") idat.push(png.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const bpp = colourType === 6 ? 4 : 3;
  const stride = width * bpp + 1;
  const seen = new Set<string>();
  // filter bytes make raw rows differ from pixels, but a blank image still yields very few byte patterns
  for (let y = 0; y < height; y += 7) for (let x = 0; x < width; x += 5) seen.add(raw.subarray(y * stride + 1 + x * bpp, y * stride + 1 + x * bpp + bpp).toString("hex"));
  return seen.size;
}

for (const [name, spec] of Object.entries(figures())) {
  test(`render PNG: ${name}`, async () => {
    const width = (spec.layout.width as number) ?? 800, height = (spec.layout.height as number) ?? 500;
    const png = await renderPng(spec, { scale: 2 });
    writeFileSync(path.join(OUT, `${name}.png`), png);
    assert.deepEqual(pngSize(png), { width: width * 2, height: height * 2 });
    assert.ok(png.length > 10_000, `${name}: ${png.length} bytes`);
    assert.ok(colourCount(png) > 20, `${name}: looks blank`);
  });
}

test("render SVG: root carries the protection state; given size wins", async () => {
  const f = figures();
  const svg = await renderSvg(f["choropleth-quantiles"]!, { width: 500, height: 400 });
  assert.match(svg, /^<svg data-kr-protection="geschuetzt"/);
  assert.match(svg, /width="500"/);
  const pyramid = await renderSvg(f.pyramid!);
  assert.match(pyramid, /^<svg data-kr-protection="ohne-schutz" data-kr-protection-reason="synthetische Testdaten"/);
  const png = await renderPng(f["mss-matrix"]!, { width: 300, height: 200, scale: 1 });
  assert.deepEqual(pngSize(png), { width: 300, height: 200 });
});
