/**
 * Showing case-study figures: several plotly specs side by side as static images (one row that
 * wraps), and the note a notebook shows when the shared data are absent.
 */
import { escapeHtml } from "../present/format";
import { renderPng, type PlotlySpec } from "../present/render";

/**
 * Renders specs to PNG and lays them out side by side (wrapping on narrow screens), as HTML.
 *
 * @example
 * tslab.display.html(await kr.figureRowHtml([mapA, mapB], { width: 540, height: 560 }));
 */
export async function figureRowHtml(specs: readonly PlotlySpec[], options: { width?: number; height?: number; caption?: string } = {}): Promise<string> {
  const imgs: string[] = [];
  for (const s of specs) {
    const width = options.width ?? (typeof s.layout.width === "number" ? s.layout.width : 540);
    const height = options.height ?? (typeof s.layout.height === "number" ? s.layout.height : 540);
    const png = await renderPng({ ...s, layout: { ...s.layout, width, height } }, { width, height, scale: 2 });
    imgs.push(`<img src="data:image/png;base64,${png.toString("base64")}" width="${width}" height="${height}" style="width:100%;height:auto" alt="${escapeHtml(String((s.layout.title as { text?: string } | undefined)?.text ?? "Abbildung"))}">`);
  }
  return `<figure style="margin:0"><div style="display:flex;flex-wrap:wrap;gap:8px">${imgs.map((i) => `<div style="flex:1 1 0;min-width:280px;max-width:${Math.round(100 / Math.max(1, imgs.length))}%">${i}</div>`).join("")}</div>` +
    (options.caption ? `<figcaption style="font-size:85%;color:#444;max-width:1100px">${escapeHtml(options.caption)}</figcaption>` : "") + `</figure>`;
}

/**
 * The note shown when a case study's data are absent: which files are missing, and that the
 * notebook shows nothing further (no failure).
 */
export function missingDataNote(what: string, missing: readonly string[]): string {
  return `<p style="padding:8px;border-left:4px solid #D55E00;background:#fff4ec"><strong>Hinweis:</strong> ${escapeHtml(what)} braucht die Daten unter <code>../shared/data</code>; es fehlen: ${missing.map((f) => `<code>${escapeHtml(f)}</code>`).join(", ")}. Die folgenden Zellen zeigen deshalb nichts.</p>`;
}
