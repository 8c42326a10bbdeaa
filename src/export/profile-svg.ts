/**
 * The drawings of an area profile, as plain SVG strings (no scripts, no external resources):
 * the locator map, the spine chart (each indicator's range over all areas of the system, the
 * city mark and the area's position) and the four-year trend panels (area against city).
 * Every number drawn is a published value; hidden values are never placed, a gap or the table
 * symbol stands where they would be.
 */
import { resultIndex } from "../indicators/compute";
import { escapeHtml, formatNumber } from "../present/format";
import { Significance } from "../protect/intervals";
import { publishedCell, type ProfileContext } from "./profile-data";

/** Colours of the profile drawings (colour-blind safe: Okabe–Ito vermillion/blue, greys). */
export const PROFILE_COLOURS = { area: "#d55e00", above: "#d55e00", below: "#0072b2", same: "#7a7a7a", city: "#000000", range: "#e6e6e6", iqr: "#bdbdbd", other: "#d9d9d9" } as const;

function attrs(ctx: ProfileContext, measure: string, indicator: string): string {
  return ` data-kr-protection="${ctx.p.disabled ? "ohne-schutz" : "geschuetzt"}" data-kr-indicator="${escapeHtml(indicator)}" data-kr-year="${ctx.year}" data-kr-system="${escapeHtml(ctx.system)}" data-kr-measure="${measure}"`;
}

/**
 * The locator map: every area of the system in light grey, the parent district outlined
 * (nested systems) and the area filled dark. Carries the protection attributes with
 * `data-kr-measure="lage"` (a location map shows no values).
 *
 * @example
 * locatorSvg(profileContext(ds, "statbez"), "0101");
 */
export function locatorSvg(ctx: ProfileContext, area: string, maxWidth = 210, maxHeight = 210): string {
  const g = ctx.map;
  const s = Math.min(maxWidth / g.width, maxHeight / g.height);
  const width = Math.round(g.width * s), height = Math.round(g.height * s);
  // One path per layer (fewer elements for the printer: the locator of 143 areas prints ~2× faster).
  let others = "";
  for (const [id, d] of g.paths) if (id !== area && d) others += d;
  const base = g.background ? `<path d="${[...g.background.values()].join("")}" fill="#efefef" stroke="#ffffff" stroke-width="${(0.7 / s).toFixed(2)}"/>` : "";
  const own = g.paths.get(area) ?? "";
  const name = ctx.names.get(area) || area;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${g.width} ${g.height}" role="img" aria-label="Lage: ${escapeHtml(name)}"${attrs(ctx, "lage", "lage")}>${base}` +
    `<path d="${others}" fill="${PROFILE_COLOURS.other}" stroke="#ffffff" stroke-width="${(0.7 / s).toFixed(2)}"/>` +
    (own ? `<path d="${own}" fill="${PROFILE_COLOURS.area}" stroke="#000" stroke-width="${(1 / s).toFixed(2)}" stroke-linejoin="round"/>` : "") +
    ring(g.boxes.get(area), s) +
    `</svg>`;
}

/** A ring around an area drawn smaller than about 12 output pixels, so the reader finds it. */
function ring(box: [number, number, number, number] | undefined, s: number): string {
  if (!box || Math.max(box[2] - box[0], box[3] - box[1]) * s >= 12) return "";
  const cx = (box[0] + box[2]) / 2, cy = (box[1] + box[3]) / 2;
  return `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="${(9 / s).toFixed(1)}" fill="none" stroke="${PROFILE_COLOURS.area}" stroke-width="${(2 / s).toFixed(2)}"/>`;
}

const SIG_COLOUR: Record<number, string> = { [Significance.Above]: PROFILE_COLOURS.above, [Significance.Below]: PROFILE_COLOURS.below, [Significance.NotDifferent]: PROFILE_COLOURS.same, [Significance.None]: PROFILE_COLOURS.area };

/**
 * The spine chart: one row per non-count indicator, the bar spans the lowest to the highest
 * published value of all areas (light grey; the middle half darker), a black stroke marks the
 * city, the dot the area (coloured by significance against the city); a hidden value shows its
 * symbol instead of a dot.
 *
 * @example
 * spineSvg(profileContext(ds, "statbez"), "0101");
 */
export function spineSvg(ctx: ProfileContext, area: string, width = 700): string {
  const r = ctx.p.result;
  const a = r.areas.indexOf(area);
  if (a < 0) throw new Error(`invalid area: ${JSON.stringify(area)} (not an area of ${ctx.system})`);
  const rows = ctx.indicators.filter((x) => x.spine);
  const rowH = 13, top = 16, labelW = 262, valueW = 40, rangeW = 104;
  const x0 = labelW + valueW + 8, x1 = width - rangeW - 8;
  const height = top + rows.length * rowH + 6;
  const Y = r.years.length;
  const out: string[] = [];
  out.push(`<text x="${x0}" y="12" font-size="10" fill="#444">niedrigster Wert</text><text x="${x1}" y="12" font-size="10" fill="#444" text-anchor="end">höchster Wert</text>`);
  out.push(`<text x="${labelW + valueW - 2}" y="12" font-size="10" font-weight="bold" text-anchor="end">Gebiet</text><text x="${width - 2}" y="12" font-size="10" fill="#444" text-anchor="end">Spanne (Gebiete)</text>`);
  rows.forEach((ind, j) => {
    const sp = ind.spine!;
    const cy = top + j * rowH + rowH / 2;
    const k = resultIndex(r, ind.i, a, ctx.y);
    const cell = publishedCell(ctx.p, k, ind.def.digits);
    const city = r.reference.value[ind.i * Y + ctx.y]!;
    const pos = (v: number) => (sp.max > sp.min ? x0 + ((v - sp.min) / (sp.max - sp.min)) * (x1 - x0) : (x0 + x1) / 2);
    const label = `${ind.def.label}${ind.def.unit ? ` (${ind.def.unit})` : ""}`;
    if (j % 2 === 0) out.push(`<rect x="0" y="${top + j * rowH}" width="${width}" height="${rowH}" fill="#f7f7f7"/>`);
    out.push(`<text x="2" y="${cy + 3.5}" font-size="9.5">${escapeHtml(label)}</text>`);
    out.push(`<text x="${labelW + valueW - 2}" y="${cy + 3.5}" font-size="10" text-anchor="end" font-weight="bold">${escapeHtml(cell.text)}</text>`);
    if (sp.n > 0) {
      out.push(`<rect x="${pos(sp.min).toFixed(1)}" y="${cy - 4}" width="${Math.max(1, pos(sp.max) - pos(sp.min)).toFixed(1)}" height="8" fill="${PROFILE_COLOURS.range}"/>`);
      out.push(`<rect x="${pos(sp.q1).toFixed(1)}" y="${cy - 4}" width="${Math.max(1, pos(sp.q3) - pos(sp.q1)).toFixed(1)}" height="8" fill="${PROFILE_COLOURS.iqr}"/>`);
      out.push(`<text x="${width - 2}" y="${cy + 3.5}" font-size="9" fill="#444" text-anchor="end">${escapeHtml(`${formatNumber(sp.min, { digits: ind.def.digits })} – ${formatNumber(sp.max, { digits: ind.def.digits })}`)}</text>`);
    }
    if (Number.isFinite(city)) {
      const cx = Math.max(x0 - 6, Math.min(x1 + 6, pos(city)));
      out.push(`<line x1="${cx.toFixed(1)}" y1="${cy - 7}" x2="${cx.toFixed(1)}" y2="${cy + 7}" stroke="${PROFILE_COLOURS.city}" stroke-width="2"/>`);
    }
    if (!cell.hidden) {
      const v = r.value[k]!;
      const sig = ctx.p.significance[k] ?? 0;
      // Without an interval (counts, means) a hollow dot: no statement on significance.
      out.push(sig === Significance.None
        ? `<circle cx="${pos(v).toFixed(1)}" cy="${cy}" r="4.2" fill="#fff" stroke="#333" stroke-width="1.6"/>`
        : `<circle cx="${pos(v).toFixed(1)}" cy="${cy}" r="5" fill="${SIG_COLOUR[sig] ?? PROFILE_COLOURS.area}" stroke="#fff" stroke-width="1.2"/>`);
    }
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Arial, Helvetica, sans-serif" role="img" aria-label="Spinnenprofil"${attrs(ctx, "profil", "profil")}>${out.join("")}</svg>`;
}

/**
 * One small trend panel per trend indicator: the area's published values over the last
 * `changeYears` years (hidden years are gaps, marked with their symbol under the axis) against
 * the city (dashed).
 *
 * @example
 * trendSvg(profileContext(ds, "statbez"), "0101");
 */
export function trendSvg(ctx: ProfileContext, area: string, width = 700): string {
  const r = ctx.p.result;
  const a = r.areas.indexOf(area);
  if (a < 0) throw new Error(`invalid area: ${JSON.stringify(area)} (not an area of ${ctx.system})`);
  const panels = ctx.trend;
  if (!panels.length || ctx.trendYears.length < 2) return "";
  const n = panels.length, gap = 14;
  const pw = (width - gap * (n - 1)) / n, ph = 90;
  const Y = r.years.length;
  const ys = ctx.trendYears;
  const out: string[] = [];
  panels.forEach((ind, j) => {
    const ox = j * (pw + gap);
    const cells = ys.map((yy) => publishedCell(ctx.p, resultIndex(r, ind.i, a, yy), ind.def.digits));
    const vals = ys.map((yy, t) => (cells[t]!.hidden ? NaN : r.value[resultIndex(r, ind.i, a, yy)]!));
    const city = ys.map((yy) => r.reference.value[ind.i * Y + yy]!);
    const shown = ind.def.kind === "count" ? vals : [...vals, ...city];
    const finite = shown.filter(Number.isFinite);
    let lo = finite.length ? Math.min(...finite) : 0, hi = finite.length ? Math.max(...finite) : 1;
    const span = hi - lo || Math.max(Math.abs(hi) * 0.1, 1);
    lo -= span * 0.12; hi += span * 0.12;
    if (ind.def.kind !== "count" && lo < 0 && finite.every((v) => v >= 0)) lo = 0;
    const px0 = ox + 34, px1 = ox + pw - 14, py0 = 28, py1 = ph - 22;
    const X = (t: number) => px0 + (ys.length > 1 ? (t / (ys.length - 1)) * (px1 - px0) : 0);
    const Yp = (v: number) => py1 - ((v - lo) / (hi - lo)) * (py1 - py0);
    const title = `${ind.def.label}${ind.def.unit ? ` (${ind.def.unit})` : ""}`;
    const lines = wrap(title, Math.floor(pw / 5.6));
    lines.slice(0, 2).forEach((l, i) => out.push(`<text x="${ox}" y="${10 + i * 11}" font-size="9.5" font-weight="bold">${escapeHtml(l)}</text>`));
    out.push(`<rect x="${px0}" y="${py0}" width="${px1 - px0}" height="${py1 - py0}" fill="#fafafa" stroke="#ddd" stroke-width="0.5"/>`);
    out.push(`<text x="${px0 - 3}" y="${py0 + 4}" font-size="8" text-anchor="end" fill="#555">${escapeHtml(formatNumber(hi, { digits: ind.def.digits }))}</text>`);
    out.push(`<text x="${px0 - 3}" y="${py1}" font-size="8" text-anchor="end" fill="#555">${escapeHtml(formatNumber(lo, { digits: ind.def.digits }))}</text>`);
    ys.forEach((yy, t) => {
      out.push(`<text x="${X(t).toFixed(1)}" y="${py1 + 10}" font-size="8" text-anchor="middle" fill="#555">${r.years[yy]}</text>`);
      if (cells[t]!.hidden) out.push(`<text x="${X(t).toFixed(1)}" y="${py1 - 4}" font-size="10" text-anchor="middle" fill="#555">${escapeHtml(cells[t]!.text)}</text>`);
    });
    if (ind.def.kind !== "count") out.push(polyline(city.map((v, t) => [X(t), Number.isFinite(v) ? Yp(v) : NaN]), PROFILE_COLOURS.city, "4 3", 1.2));
    out.push(polyline(vals.map((v, t) => [X(t), Number.isFinite(v) ? Yp(v) : NaN]), PROFILE_COLOURS.area, "", 2));
    vals.forEach((v, t) => { if (Number.isFinite(v)) out.push(`<circle cx="${X(t).toFixed(1)}" cy="${Yp(v).toFixed(1)}" r="2.4" fill="${PROFILE_COLOURS.area}"/>`); });
    const last = cells[cells.length - 1]!;
    const lastCity = city[city.length - 1]!;
    out.push(`<text x="${ox}" y="${ph - 1}" font-size="8.5"><tspan fill="${PROFILE_COLOURS.area}" font-weight="bold">Gebiet ${escapeHtml(last.text)}</tspan>${ind.def.kind !== "count" && Number.isFinite(lastCity) ? `<tspan fill="#000"> · Stadt ${escapeHtml(formatNumber(lastCity, { digits: ind.def.digits }))}</tspan>` : ""}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${ph}" viewBox="0 0 ${width} ${ph}" font-family="Arial, Helvetica, sans-serif" role="img" aria-label="Entwicklung"${attrs(ctx, "entwicklung", panels.map((p) => p.def.id).join(" "))}>${out.join("")}</svg>`;
}

function polyline(points: [number, number][], colour: string, dash: string, w: number): string {
  // Gaps where a value is hidden or missing: separate segments.
  const segs: string[] = [];
  let cur: string[] = [];
  for (const [x, y] of points) {
    if (!Number.isFinite(y)) { if (cur.length > 1) segs.push(cur.join(" ")); cur = []; continue; }
    cur.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  }
  if (cur.length > 1) segs.push(cur.join(" "));
  return segs.map((s) => `<polyline points="${s}" fill="none" stroke="${colour}" stroke-width="${w}"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`).join("");
}

function wrap(text: string, perLine: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const w of text.split(/\s+/)) {
    if (line && (line + " " + w).length > perLine) { lines.push(line); line = w; } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}
