/**
 * A dependency-free choropleth map as SVG, drawn from projected (metre) coordinates, for inline
 * display in notebooks and in executed-notebook HTML (survives nbconvert, needs no browser).
 * Missing values are drawn hatched with their own legend entry: missing never looks like zero.
 */
import type { MultiPolygon, Polygon } from "geojson";
import { classify, type Classification, type ClassifyOptions } from "../explore/classify";
import { escapeHtml, formatNumber } from "./format";

/** One area to draw: id, label and its geometry in projected coordinates (metres). */
export interface MapArea {
  id: string;
  name?: string;
  geometry: Polygon | MultiPolygon;
}

/** Options of {@link svgChoropleth}. */
export interface SvgChoroplethOptions {
  /** Title above the map (default none). */
  title?: string;
  /** Legend heading, e.g. the indicator and unit (default `"Wert"`). */
  legendTitle?: string;
  /** Classification scheme: quantiles, equal_interval, std_mean, fisher_jenks, manual (default `"quantiles"`). */
  scheme?: ClassifyOptions["scheme"];
  /** Number of classes (default 5). */
  classes?: number;
  /** Upper class bounds for the `"manual"` scheme, or for pooled classes across years (then the scheme is `"manual"`). */
  breaks?: number[];
  /** A ready classification (e.g. pooled across years with `classifyPooled`); overrides scheme, classes and breaks. */
  classification?: Classification;
  /** Fill colours from low to high (default: a colour-blind-safe sequential palette, ColorBrewer YlGnBu). */
  palette?: string[];
  /** Width of the map in pixels (default 640); the height follows the shape of the areas. */
  width?: number;
  /** Digits in the legend and hover texts (default 1). */
  digits?: number;
  /** Legend text for areas without a value (default `"keine Angabe"`). */
  missingLabel?: string;
  /** Source line under the map (default none). */
  source?: string;
  /** Draw area names at their centre (default false). */
  labels?: boolean;
  /**
   * Areas drawn like missing (hatched) with their own legend entry, by id → legend label, e.g.
   * `"gesperrt (.)"` for suppressed values: their value is never drawn, classified or printed
   * (default none). Each distinct label gets its own hatching and legend row.
   */
  hiddenLabels?: ReadonlyMap<string, string>;
  /** Hover text per area id instead of the formatted value, e.g. `"(12,3)"` for limited reliability (default none). */
  valueTexts?: ReadonlyMap<string, string>;
  /** Areas outlined in black (e.g. the areas an inquiry asks about; default none). */
  highlight?: readonly string[];
  /** Further lines under the source, e.g. the symbols and rules of protection (wrapped to the width; default none). */
  notes?: string[];
  /** Attributes on the root `<svg>` element, e.g. `{ "data-kr-protection": "geschuetzt" }` (names `data-…` only). */
  attributes?: Record<string, string>;
}

/** Hatchings for hidden areas, in the order their labels first appear. */
const HIDDEN_PATTERNS = [
  `<pattern id="kr-hidden-0" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#d9d9d9"/><line x1="0" y1="0" x2="0" y2="6" stroke="#6f6f6f" stroke-width="1.5"/><line x1="0" y1="3" x2="6" y2="3" stroke="#6f6f6f" stroke-width="1"/></pattern>`,
  `<pattern id="kr-hidden-1" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#eeeeee"/><circle cx="3" cy="3" r="1.2" fill="#7a7a7a"/></pattern>`,
  `<pattern id="kr-hidden-2" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#f2f2f2"/><line x1="0" y1="3" x2="6" y2="3" stroke="#8a8a8a" stroke-width="1.2"/></pattern>`,
];

const YLGNBU = ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"];

/** Picks `n` colours spread over a palette. */
function spread(palette: string[], n: number): string[] {
  if (n <= 1) return [palette[Math.floor(palette.length / 2)]!];
  return Array.from({ length: n }, (_, i) => palette[Math.round((i * (palette.length - 1)) / (n - 1))]!);
}

function rings(g: Polygon | MultiPolygon): number[][][] {
  return g.type === "Polygon" ? (g.coordinates as number[][][]) : (g.coordinates as number[][][][]).flat();
}

/**
 * Draws a choropleth map as an SVG string.
 *
 * @param areas areas with projected geometry (metres)
 * @param values value per area id; `undefined`/`NaN` is drawn as missing (hatched)
 * @example
 * const svg = svgChoropleth(areas, new Map([["0101", 22.4]]), { legendTitle: "Kinder in BG (%)" });
 * tslab.display.html(svg);
 */
export function svgChoropleth(areas: MapArea[], values: ReadonlyMap<string, number | undefined>, options: SvgChoroplethOptions = {}): string {
  const width = options.width ?? 640;
  const digits = options.digits ?? 1;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const a of areas) for (const r of rings(a.geometry)) for (const [x, y] of r) {
    if (x! < minX) minX = x!; if (x! > maxX) maxX = x!; if (y! < minY) minY = y!; if (y! > maxY) maxY = y!;
  }
  if (!areas.length || !Number.isFinite(minX)) throw new Error("svgChoropleth: no areas with coordinates to draw");
  const pad = 8;
  const legendW = 190;
  const mapW = width - legendW - 2 * pad;
  const scale = mapW / Math.max(maxX - minX, 1e-9);
  const mapH = (maxY - minY) * scale;
  const top = options.title ? 34 : pad;
  const hiddenOf = (id: string) => options.hiddenLabels?.get(id);
  const valueOf = (id: string) => (hiddenOf(id) === undefined ? values.get(id) : undefined);
  // Sorted, so the same label gets the same hatching on every map ("gesperrt (.)" before "nicht sicher genug (/)").
  const hiddenKinds = [...new Set(areas.map((a) => hiddenOf(a.id)).filter((l): l is string => l !== undefined))].sort();
  const hiddenCounts = new Map(hiddenKinds.map((l) => [l, 0]));
  const finite = areas.map((a) => valueOf(a.id)).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const cls = options.classification ?? (finite.length
    ? classify(finite, options.breaks ? { scheme: "manual", breaks: options.breaks } : { scheme: options.scheme, k: Math.min(options.classes ?? 5, new Set(finite).size) })
    : undefined);
  const bins = cls?.bins ?? [];
  const colours = spread(options.palette ?? YLGNBU, Math.max(bins.length, 1));
  const counts = new Array(colours.length).fill(0) as number[];
  let missing = 0;
  const px = (x: number) => (pad + (x - minX) * scale).toFixed(1);
  const py = (y: number) => (top + (maxY - y) * scale).toFixed(1);

  const hiddenFill = (l: string) => `url(#kr-hidden-${Math.min(hiddenKinds.indexOf(l), HIDDEN_PATTERNS.length - 1)})`;
  const highlight = new Set(options.highlight ?? []);
  const paths = areas.map((a) => {
    const v = valueOf(a.id);
    const hidden = hiddenOf(a.id);
    const ok = v !== undefined && Number.isFinite(v);
    let fill = "url(#kr-missing)";
    if (hidden !== undefined) {
      fill = hiddenFill(hidden);
      hiddenCounts.set(hidden, hiddenCounts.get(hidden)! + 1);
    } else if (ok) {
      const c = Math.min(cls!.classOf(v) ?? 0, colours.length - 1);
      counts[c]!++;
      fill = colours[c]!;
    } else missing++;
    const d = rings(a.geometry).map((r) => "M" + r.map(([x, y]) => `${px(x!)},${py(y!)}`).join("L") + "Z").join("");
    const shown = hidden ?? (ok ? options.valueTexts?.get(a.id) ?? formatNumber(v, { digits }) : options.missingLabel ?? "keine Angabe");
    const label = `${a.name ? `${a.name} (${a.id})` : a.id}: ${shown}`;
    const stroke = highlight.has(a.id) ? `stroke="#000" stroke-width="2"` : `stroke="#fff" stroke-width="0.6"`;
    return `<path d="${d}" fill="${fill}" fill-rule="evenodd" ${stroke}><title>${escapeHtml(label)}</title></path>`;
  });
  // Highlighted outlines on top, so neighbours do not paint over them.
  const outlines = areas.filter((a) => highlight.has(a.id)).map((a) => {
    const d = rings(a.geometry).map((r) => "M" + r.map(([x, y]) => `${px(x!)},${py(y!)}`).join("L") + "Z").join("");
    return `<path d="${d}" fill="none" stroke="#000" stroke-width="2.2" pointer-events="none"/>`;
  });

  const labels = options.labels
    ? areas.map((a) => {
        let sx = 0, sy = 0, n = 0;
        for (const [x, y] of rings(a.geometry)[0] ?? []) { sx += x!; sy += y!; n++; }
        return n ? `<text x="${px(sx / n)}" y="${py(sy / n)}" font-size="9" text-anchor="middle" fill="#222">${escapeHtml(a.name ?? a.id)}</text>` : "";
      })
    : [];

  const lx = pad + mapW + 16;
  // The legend title wraps into lines of at most ~26 characters.
  const titleLines: string[] = [];
  for (const word of (options.legendTitle ?? "Wert").split(/\s+/)) {
    const last = titleLines[titleLines.length - 1];
    if (last !== undefined && (last + " " + word).length <= 26) titleLines[titleLines.length - 1] = last + " " + word;
    else titleLines.push(word);
  }
  const legendTop = top + (titleLines.length - 1) * 14;
  const legendRows: string[] = titleLines.map((line, i) => `<text x="${lx}" y="${top + 10 + i * 14}" font-size="12" font-weight="600">${escapeHtml(line)}</text>`);
  const lo = finite.length ? Math.min(...finite) : NaN;
  const hi = finite.length ? Math.max(...finite) : NaN;
  colours.forEach((c, i) => {
    const from = i === 0 ? lo : bins[i - 1]!;
    const to = i === bins.length - 1 ? Math.max(hi, bins[i] ?? hi) : bins[i] ?? hi;
    const y = legendTop + 22 + i * 20;
    const range = `${i === 0 ? "" : "über "}${formatNumber(from, { digits })} bis ${formatNumber(to, { digits })}`;
    legendRows.push(`<rect x="${lx}" y="${y}" width="16" height="14" fill="${c}" stroke="#999" stroke-width="0.5"/><text x="${lx + 22}" y="${y + 11}" font-size="11">${escapeHtml(range)} (${counts[i]})</text>`);
  });
  hiddenKinds.forEach((l, j) => {
    const y = legendTop + 22 + (colours.length + j) * 20;
    legendRows.push(`<rect x="${lx}" y="${y}" width="16" height="14" fill="${hiddenFill(l)}" stroke="#999" stroke-width="0.5"/><text x="${lx + 22}" y="${y + 11}" font-size="11">${escapeHtml(l)} (${hiddenCounts.get(l)})</text>`);
  });
  if (missing) {
    const y = legendTop + 22 + (colours.length + hiddenKinds.length) * 20;
    legendRows.push(`<rect x="${lx}" y="${y}" width="16" height="14" fill="url(#kr-missing)" stroke="#999" stroke-width="0.5"/><text x="${lx + 22}" y="${y + 11}" font-size="11">${escapeHtml(options.missingLabel ?? "keine Angabe")} (${missing})</text>`);
  }
  const legendBottom = legendTop + 22 + (colours.length + hiddenKinds.length + (missing ? 1 : 0)) * 20;
  const noteLines: string[] = [];
  const perLine = Math.max(40, Math.floor((width - 2 * pad) / 5.2));
  for (const note of options.notes ?? []) {
    let line = "";
    for (const word of note.split(/\s+/)) {
      if (line && (line + " " + word).length > perLine) { noteLines.push(line); line = word; }
      else line = line ? line + " " + word : word;
    }
    if (line) noteLines.push(line);
  }
  const notesH = noteLines.length * 12;
  const height = Math.ceil(Math.max(top + mapH, legendBottom) + (options.source ? 24 : pad) + notesH);
  const title = options.title ? `<text x="${pad}" y="22" font-size="15" font-weight="600">${escapeHtml(options.title)}</text>` : "";
  const source = (options.source ? `<text x="${pad}" y="${height - 8 - notesH}" font-size="10" fill="#555">${escapeHtml(options.source)}</text>` : "") +
    noteLines.map((l, i) => `<text x="${pad}" y="${height - 8 - notesH + 12 * (i + 1)}" font-size="9" fill="#555">${escapeHtml(l)}</text>`).join("");
  const attrs = Object.entries(options.attributes ?? {}).map(([k, v]) => {
    if (!/^data-[a-z0-9-]+$/.test(k)) throw new Error(`invalid map attribute ${JSON.stringify(k)} (expected a name like "data-kr-system")`);
    return ` ${k}="${escapeHtml(v)}"`;
  }).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Arial, Helvetica, sans-serif" role="img" aria-label="${escapeHtml(options.title ?? "Karte")}"${attrs}>` +
    `<defs><pattern id="kr-missing" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#e6e6e6"/><line x1="0" y1="0" x2="0" y2="6" stroke="#9a9a9a" stroke-width="1.5"/></pattern>${hiddenKinds.length ? HIDDEN_PATTERNS.join("") : ""}</defs>` +
    `<rect width="100%" height="100%" fill="#fff"/>${title}<g>${paths.join("")}</g><g>${outlines.join("")}</g><g>${labels.join("")}</g><g>${legendRows.join("")}</g>${source}</svg>`;
}
