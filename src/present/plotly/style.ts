/**
 * One style for every plotly figure: fonts, colours, palettes, source line and logo text. The
 * defaults are colour-blind safe; a dataset configuration may override any of them under
 * `rules.style` (see {@link figureStyle}).
 */
import type { PlotlySpec } from "../render";

/** Style of the plotly figures. Every field has a documented default ({@link DEFAULT_STYLE}). */
export interface FigureStyle {
  /** CSS font family (default `"Arial, Helvetica, sans-serif"`). */
  font: string;
  /** Base font size in px (default 12). */
  fontSize: number;
  /** Title font size in px (default 16). */
  titleSize: number;
  /** Text colour (default `"#222222"`). */
  text: string;
  /** Colour of secondary text: source line, notes (default `"#555555"`). */
  muted: string;
  /** Grid lines (default `"#e5e5e5"`). */
  grid: string;
  /** Sequential palette, low → high (default ColorBrewer YlGnBu, 7 colours; colour-blind safe). */
  sequential: string[];
  /** Diverging palette, negative → positive (default ColorBrewer RdYlBu reversed, 7 colours; colour-blind safe). */
  diverging: string[];
  /** Categorical palette (default Okabe–Ito, colour-blind safe). */
  categorical: string[];
  /** Fill of areas without a value ("keine Angabe", default `"#d9d9d9"`). */
  missing: string;
  /** Fill of suppressed areas ("gesperrt", default `"#8c8c8c"`): a distinct grey, never a palette colour. */
  suppressed: string;
  /** Area borders (default `"#ffffff"`). */
  border: string;
  /** Outlines of an overlaid second area system (default `"#000000"`). */
  outline: string;
  /** The city reference (lines, markers; default `"#000000"`). */
  city: string;
  /** The highlighted area (default `"#D55E00"`, Okabe–Ito vermilion). */
  highlight: string;
  /** Source line under each figure (default: the dataset's `source`, else none). */
  source?: string;
  /** Logo text at the bottom right (default none), e.g. `"Stadt Bottrop · Sozialplanung"`. */
  logo?: string;
  /** Default figure width and height in px (default 820 × 560). */
  width: number;
  height: number;
}

/** The defaults of {@link FigureStyle}. */
export const DEFAULT_STYLE: Readonly<FigureStyle> = Object.freeze({
  font: "Arial, Helvetica, sans-serif",
  fontSize: 12,
  titleSize: 16,
  text: "#222222",
  muted: "#555555",
  grid: "#e5e5e5",
  sequential: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
  diverging: ["#4575b4", "#91bfdb", "#e0f3f8", "#ffffbf", "#fee090", "#fc8d59", "#d73027"],
  categorical: ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"],
  missing: "#d9d9d9",
  suppressed: "#8c8c8c",
  border: "#ffffff",
  outline: "#000000",
  city: "#000000",
  highlight: "#D55E00",
  width: 820,
  height: 560,
});

const STRING_KEYS = ["font", "text", "muted", "grid", "missing", "suppressed", "border", "outline", "city", "highlight", "source", "logo"] as const;
const NUMBER_KEYS = ["fontSize", "titleSize", "width", "height"] as const;
const PALETTE_KEYS = ["sequential", "diverging", "categorical"] as const;

/**
 * The figure style of a dataset: {@link DEFAULT_STYLE}, the dataset's `source` as source line,
 * then `rules.style` of the configuration (any subset of {@link FigureStyle}); wrong types are
 * rejected by key.
 *
 * @example
 * // dataset.json: "rules": { "style": { "logo": "Stadt Bottrop · Sozialplanung", "fontSize": 13 } }
 * const style = figureStyle(ds.config);
 * style.logo; // "Stadt Bottrop · Sozialplanung"
 */
export function figureStyle(config?: { source?: string; rules?: Record<string, unknown> }, overrides: Partial<FigureStyle> = {}): FigureStyle {
  const style: FigureStyle = { ...DEFAULT_STYLE, sequential: [...DEFAULT_STYLE.sequential], diverging: [...DEFAULT_STYLE.diverging], categorical: [...DEFAULT_STYLE.categorical] };
  if (config?.source) style.source = `Quelle: ${config.source}`;
  const raw = config?.rules?.style;
  if (raw !== undefined) {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new Error(`invalid rules.style: ${JSON.stringify(raw)} (expected an object)`);
    const r = raw as Record<string, unknown>;
    const known = new Set<string>([...STRING_KEYS, ...NUMBER_KEYS, ...PALETTE_KEYS, "$comment"]);
    for (const k of Object.keys(r)) if (!known.has(k)) throw new Error(`invalid rules.style.${k}: unknown key (expected one of ${[...known].filter((x) => x !== "$comment").join(", ")})`);
    for (const k of STRING_KEYS) if (k in r) {
      if (typeof r[k] !== "string") throw new Error(`invalid rules.style.${k}: ${JSON.stringify(r[k])} (expected a string)`);
      style[k] = r[k] as string;
    }
    for (const k of NUMBER_KEYS) if (k in r) {
      if (typeof r[k] !== "number" || !(r[k] as number > 0)) throw new Error(`invalid rules.style.${k}: ${JSON.stringify(r[k])} (expected a positive number)`);
      style[k] = r[k] as number;
    }
    for (const k of PALETTE_KEYS) if (k in r) {
      const v = r[k];
      if (!Array.isArray(v) || v.length < 2 || v.some((c) => typeof c !== "string")) throw new Error(`invalid rules.style.${k}: ${JSON.stringify(v)} (expected at least two colour strings)`);
      style[k] = [...(v as string[])];
    }
  }
  return { ...style, ...overrides };
}

/** Picks `n` colours spread evenly over a palette (first and last always included). */
export function spreadPalette(palette: readonly string[], n: number): string[] {
  if (n <= 0) return [];
  if (n === 1) return [palette[Math.floor(palette.length / 2)]!];
  return Array.from({ length: n }, (_, i) => palette[Math.round((i * (palette.length - 1)) / (n - 1))]!);
}

/** Text parts around a figure. */
export interface FrameText {
  title?: string;
  /** Lines under the figure, before the source (definitions, protection notes). */
  notes?: string[];
  /** Source line (default: `style.source`). */
  source?: string;
}

/** Wraps a line into pieces of at most `width` characters (at spaces). */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = out[out.length - 1];
    if (last !== undefined && (last + " " + word).length <= width) out[out.length - 1] = last + " " + word;
    else out.push(word);
  }
  return out;
}

/** Fixed parts of a figure's frame, in px. */
export interface FrameSize {
  width?: number;
  height?: number;
  /** Left margin (room for axis labels; default 60). */
  left?: number;
  /** Room under the plot area for the x axis (ticks and title) above the notes (default 0). */
  axisBottom?: number;
  /** Top margin (default: 56 with a title, else 24). */
  top?: number;
}

/**
 * Layout shared by every figure: font, German number separators (`1.234,5`), white
 * background, title at the top left, notes + source at the bottom left of the figure, logo at
 * the bottom right. Margins are fixed (no automargin), so the notes sit under the axis.
 */
export function baseLayout(style: FigureStyle, text: FrameText, size: FrameSize = {}): Record<string, unknown> {
  const width = size.width ?? style.width;
  const left = size.left ?? 60;
  const axisBottom = size.axisBottom ?? 0;
  const chars = Math.max(40, Math.floor((width - 24) / (style.fontSize * 0.5)));
  const foot = [...(text.notes ?? []), ...((text.source ?? style.source) ? [text.source ?? style.source!] : [])].flatMap((l) => wrapText(l, chars));
  const lineH = Math.round((style.fontSize - 1) * 1.25);
  const bottom = axisBottom + 16 + (foot.length + (style.logo ? 1 : 0)) * lineH;
  const annotations: Record<string, unknown>[] = [];
  if (foot.length) annotations.push({
    text: foot.map(escapeText).join("<br>"), xref: "paper", yref: "paper", x: 0, y: 0, xanchor: "left", yanchor: "top",
    xshift: -left + 10, yshift: -axisBottom - 6, align: "left", showarrow: false, font: { size: style.fontSize - 2, color: style.muted }, name: "notes",
  });
  if (style.logo) annotations.push({
    text: escapeText(style.logo), xref: "paper", yref: "paper", x: 1, y: 0, xanchor: "right", yanchor: "top",
    yshift: -bottom + lineH + 4, xshift: 10, showarrow: false, font: { size: style.fontSize - 1, color: style.muted }, name: "logo",
  });
  return {
    width, height: size.height ?? style.height,
    font: { family: style.font, size: style.fontSize, color: style.text },
    separators: ",.",
    paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff",
    ...(text.title ? { title: { text: escapeText(text.title), x: 0.01, xanchor: "left", y: 0.985, yanchor: "top", font: { size: style.titleSize } } } : {}),
    margin: { l: left, r: 20, t: size.top ?? (text.title ? 56 : 24), b: bottom, autoexpand: false },
    annotations,
    hoverlabel: { font: { family: style.font } },
  };
}

/** Left margin that fits the longest of `labels` (px). */
export function labelMargin(labels: readonly string[], style: FigureStyle, min = 60, max = 420): number {
  const n = Math.max(0, ...labels.map((l) => l.length));
  return Math.min(max, Math.max(min, Math.round(n * style.fontSize * 0.56 + 24)));
}

/** Escapes `<`, `>` and `&` for plotly text (which understands a small HTML subset). */
export function escapeText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Merges annotations and shapes of a figure's own layout into the base layout. */
export function mergeLayout(base: Record<string, unknown>, own: Record<string, unknown>): Record<string, unknown> {
  const annotations = [...((base.annotations as unknown[]) ?? []), ...((own.annotations as unknown[]) ?? [])];
  const margin = { ...(base.margin as object), ...((own.margin as object) ?? {}) };
  // own margins add room; the bottom margin (notes) stays as the base computed it
  return { ...base, ...own, annotations, margin };
}

/**
 * How a figure's values were protected, recorded in `layout.meta.krProtection` and written by
 * `renderSvg` as `data-kr-protection` on the root `<svg>` (the export guard reads it):
 * `"geschuetzt"` (protection applied) or `"ohne-schutz"` (explicitly unprotected, with reason).
 */
export type ProtectionState = { state: "geschuetzt" } | { state: "ohne-schutz"; reason: string };

/** Builds a spec with the default (display) config and the protection state in `layout.meta`. */
export function spec(data: Array<Record<string, unknown>>, layout: Record<string, unknown>, protection: ProtectionState): PlotlySpec {
  const meta = { ...((layout.meta as object) ?? {}), krProtection: protection.state, ...("reason" in protection ? { krProtectionReason: protection.reason } : {}) };
  return { data, layout: { ...layout, meta }, config: { displaylogo: false, responsive: false } };
}
