/**
 * The atlas's own area profile page, used where the export core's `areaProfileHtml`
 * (src/export/profile.ts) is not available or fails for a system: a self-contained HTML page
 * built only from the atlas's published data (so it cannot show more than the atlas does).
 */
import { escapeHtml } from "../present/format";
import type { AtlasManifest, AtlasSystemData } from "./data";
import { ATLAS_PROTECTION } from "./data";

/** Options of {@link atlasProfileHtml}. */
export interface AtlasProfileOptions {
  /** Href of the back link (default `../../index.html`). */
  backHref?: string;
  /** Label of the back link (default "Zurück zum Atlas"). */
  backLabel?: string;
}

function germanNumber(v: number, digits: number): string {
  return new Intl.NumberFormat("de-DE", { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
}

/**
 * A profile page of one area (index `a` of `data.areas`): every indicator of the system with the
 * area's published value per year (symbols for hidden cells, `( )` for limited reliability) and
 * the city value of the last year; source, reference date, rules and symbols under the table;
 * a back link that returns to the atlas state the page was opened from (`#system=…` in the URL).
 *
 * @example
 * const html = atlasProfileHtml(manifest, data, 0, { backHref: "../../index.html#system=statbez" });
 */
export function atlasProfileHtml(m: AtlasManifest, data: AtlasSystemData, a: number, options: AtlasProfileOptions = {}): string {
  const e = escapeHtml;
  const area = data.areas[a];
  if (!area) throw new Error(`invalid area index: ${a} (expected 0–${data.areas.length - 1})`);
  const ind = new Map(m.indicators.map((d) => [d.id, d]));
  const last = data.years.length - 1;
  const name = area.name || area.id;
  const topics: string[] = [];
  for (const id of data.indicators) { const t = ind.get(id)!.topic; if (!topics.includes(t)) topics.push(t); }
  const cellText = (id: string, y: number): string => {
    const v = data.values[id]![y]![a]!;
    if (typeof v === "string") return v;
    const t = germanNumber(v, ind.get(id)!.digits);
    return data.limited[id]![y]!.includes(a) ? `(${t})` : t;
  };
  const rows = topics.map((topic) => {
    const ids = data.indicators.filter((id) => ind.get(id)!.topic === topic);
    return `<tr class="topic"><th colspan="${data.years.length + 2}" scope="colgroup">${e(topic)}</th></tr>` + ids.map((id) => {
      const d = ind.get(id)!;
      const city = data.city[id]![last];
      return `<tr><th scope="row">${e(d.kind === "count" ? d.label : `${d.label} (${d.unit})`)}</th>${data.years.map((_, y) => `<td class="num">${e(cellText(id, y))}</td>`).join("")}<td class="num city">${city === null || city === undefined ? "." : e(germanNumber(city, d.digits))}</td></tr>`;
    }).join("");
  }).join("");
  const back = options.backHref ?? "../../index.html";
  const backLabel = options.backLabel ?? "Zurück zum Atlas";
  const p = m.provenance;
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="kr-protection" content="${ATLAS_PROTECTION}">
<title>${e(`Gebietsprofil ${name} – ${m.title}`)}</title>
<style>
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1b1b;background:#fafafa}
header{background:#0b4f8a;color:#fff;padding:12px 18px}header a{color:#fff}
h1{margin:6px 0 0;font-size:1.4rem;overflow-wrap:anywhere}
main,footer{max-width:1100px;margin:0 auto;padding:12px}
.wrap{overflow-x:auto}
table{border-collapse:collapse;background:#fff;font-size:.92rem;width:100%}
th,td{padding:4px 8px;border-bottom:1px solid #e5e5e5;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.city{background:#f3f6fa}
tr.topic th{background:#eef2f7;font-size:.95rem}
footer{font-size:.85rem;color:#333;overflow-wrap:anywhere}
a:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
</style>
</head>
<body data-kr-protection="${ATLAS_PROTECTION}">
<header>
<a id="kr-back" href="${e(back)}">← ${e(backLabel)}</a>
<h1>Gebietsprofil: ${e(name)}</h1>
<p>${e(data.label)}, Gebiet ${e(area.id)} · ${e(m.city)}</p>
</header>
<main>
<h2>Indikatoren ${data.years[0]}–${data.years[last]} im Vergleich mit der Stadt</h2>
<div class="wrap"><table>
<thead><tr><th scope="col">Indikator</th>${data.years.map((y) => `<th scope="col" class="num">${y}</th>`).join("")}<th scope="col">Stadt ${data.years[last]}</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>
</main>
<footer>
<p><strong>Quelle:</strong> ${e(p.source)}</p>
<p><strong>Stichtag:</strong> jeweils 31.12.</p>
<p><strong>Geheimhaltung:</strong> ${e(p.rules)}</p>
${p.symbols.length ? `<ul>${p.symbols.map((s) => `<li>${e(s)}</li>`).join("")}</ul>` : ""}
${data.notes.length ? `<ul>${data.notes.map((n) => `<li>${e(n)}</li>`).join("")}</ul>` : ""}
<p>Erstellt ${e(p.built)} mit ${e(p.version)}.</p>
</footer>
<script>(function(){var h=location.hash;if(!/^#system=/.test(h))return;var a=document.getElementById("kr-back");if(a)a.setAttribute("href","../../index.html"+h);})();</script>
</body>
</html>
`;
}
