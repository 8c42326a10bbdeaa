/**
 * The atlas's browser code and style sheet (hand-written vanilla JavaScript and CSS, no
 * framework, no CDN), written to `atlas.js` and `atlas.css` by `buildAtlas`.
 *
 * Every piece of data reaches the page through `textContent` and attribute setters; the code
 * never assigns `innerHTML`. The page reads the manifest from
 * `<script type="application/json" id="kr-atlas-manifest">` and loads `data/<system>.js` with a
 * `<script>` element on demand (works from `file://`).
 */

/** `atlas.js`: state in the URL hash, map, legend, ranking, selected area, time series. */
export const ATLAS_JS = String.raw`(function () {
  "use strict";
  performance.mark("kr-start");
  var M = JSON.parse(document.getElementById("kr-atlas-manifest").textContent);
  var SVGNS = "http://www.w3.org/2000/svg";
  var DATA = (window.KR_ATLAS_DATA = window.KR_ATLAS_DATA || {});
  var state = { system: M.defaults.system, indicator: M.defaults.indicator, year: M.defaults.year, area: null };
  var IND = {};
  M.indicators.forEach(function (d) { IND[d.id] = d; });
  var SYS = {};
  M.systems.forEach(function (s) { SYS[s.id] = s; });
  var PALETTE = { worse: ["#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"], other: ["#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d"] };
  var SYMBOL_TEXT = { ".": "gesperrt oder unbekannt", "/": "nicht sicher genug", "x": "nicht sinnvoll", "\u2013": "nichts vorhanden", "0": "weniger als die Hälfte der kleinsten Einheit" };
  var SYMBOL_FILL = { ".": "url(#kr-hatch)", "/": "url(#kr-hatch-light)", "x": "#f2f2f2", "\u2013": "#f2f2f2", "0": "#f2f2f2" };
  var $ = function (id) { return document.getElementById(id); };
  var el = function (tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  };
  var svgEl = function (tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    if (attrs) for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  };
  var clear = function (e) { while (e.firstChild) e.removeChild(e.firstChild); };
  var fmtCache = {};
  function fmt(v, digits) {
    var f = fmtCache[digits] || (fmtCache[digits] = new Intl.NumberFormat("de-DE", { minimumFractionDigits: digits, maximumFractionDigits: digits }));
    return f.format(v);
  }
  function unitText(d) { return d.kind === "count" ? "" : (d.unit === "%" ? "\u202f%" : " " + d.unit); }
  function title(d) { return d.kind === "count" ? d.label : d.label + " (" + d.unit + ")"; }

  // --- state in the hash ------------------------------------------------------------------
  function readHash() {
    var h = location.hash.replace(/^#/, "");
    if (!h) return;
    var q = new URLSearchParams(h);
    if (q.get("system") && SYS[q.get("system")]) state.system = q.get("system");
    if (q.get("indicator") && IND[q.get("indicator")]) state.indicator = q.get("indicator");
    if (q.get("year") && /^\d{4}$/.test(q.get("year"))) state.year = Number(q.get("year"));
    if (q.get("area")) state.area = q.get("area");
  }
  function hashOf(area) {
    var q = new URLSearchParams();
    q.set("system", state.system); q.set("indicator", state.indicator); q.set("year", String(state.year));
    if (area === undefined) area = state.area;
    if (area) q.set("area", area);
    return "#" + q.toString();
  }
  function writeHash() {
    var h = hashOf();
    if (location.hash === h) return;
    try { history.replaceState(null, "", h); } catch (e) { location.hash = h; }
  }

  // --- data loading -----------------------------------------------------------------------
  function load(system, done) {
    if (DATA[system]) { done(); return; }
    var s = document.createElement("script");
    s.src = SYS[system].file;
    s.onload = function () { done(); };
    s.onerror = function () { $("status").textContent = "Daten für " + SYS[system].label + " konnten nicht geladen werden."; };
    document.head.appendChild(s);
  }

  // --- controls ---------------------------------------------------------------------------
  function fillSystems() {
    var sel = $("sel-system");
    clear(sel);
    M.systems.forEach(function (s) { sel.appendChild(el("option", { value: s.id }, s.label + " (" + s.areas + ")")); });
    sel.value = state.system;
  }
  function fillIndicators() {
    var D = DATA[state.system], sel = $("sel-indicator");
    clear(sel);
    var groups = {};
    D.indicators.forEach(function (id) {
      var d = IND[id];
      if (!groups[d.topic]) { groups[d.topic] = el("optgroup", { label: d.topic }); sel.appendChild(groups[d.topic]); }
      groups[d.topic].appendChild(el("option", { value: id }, title(d)));
    });
    if (D.indicators.indexOf(state.indicator) < 0) state.indicator = D.indicators.indexOf(M.defaults.indicator) >= 0 ? M.defaults.indicator : D.indicators[0];
    sel.value = state.indicator;
  }
  function fillYears() {
    var D = DATA[state.system], sel = $("sel-year");
    clear(sel);
    D.years.forEach(function (y) { sel.appendChild(el("option", { value: String(y) }, String(y))); });
    if (D.years.indexOf(state.year) < 0) state.year = D.years[D.years.length - 1];
    sel.value = String(state.year);
  }

  // --- cells ------------------------------------------------------------------------------
  function cell(a, year) {
    var D = DATA[state.system], y = D.years.indexOf(year === undefined ? state.year : year);
    var v = D.values[state.indicator][y][a];
    var lim = D.limited[state.indicator][y].indexOf(a) >= 0;
    var ci = D.ci[state.indicator] ? D.ci[state.indicator][y] : null;
    return { value: typeof v === "number" ? v : null, symbol: typeof v === "string" ? v : (lim ? "()" : ""), lo: ci ? ci[2 * a] : null, hi: ci ? ci[2 * a + 1] : null };
  }
  function cellText(c, d) {
    if (c.value === null) return c.symbol;
    var t = fmt(c.value, d.digits);
    return c.symbol === "()" ? "(" + t + ")" : t;
  }
  function cellLong(c, d) {
    if (c.value === null) return c.symbol + " (" + (SYMBOL_TEXT[c.symbol] || "kein Wert") + ")";
    return cellText(c, d) + unitText(d) + (c.symbol === "()" ? " – eingeschränkte Aussagekraft" : "");
  }
  function classOf(v, breaks) {
    for (var i = 0; i < breaks.length; i++) if (v <= breaks[i]) return i;
    return breaks.length - 1;
  }
  function palette(d) { return d.higherIsWorse ? PALETTE.worse : PALETTE.other; }

  // --- map --------------------------------------------------------------------------------
  var paths = [], drawnSystem = null, firstMap = true;
  function buildMap() {
    var D = DATA[state.system], g = $("kr-areas");
    clear(g);
    paths = D.areas.map(function (area, a) {
      var p = svgEl("path", { d: area.d, "data-area": area.id, "class": "area" });
      p.appendChild(svgEl("title"));
      p.addEventListener("click", function () { select(a, true); });
      p.addEventListener("mouseenter", function () { hover(a); });
      p.addEventListener("mouseleave", function () { hover(-1); });
      g.appendChild(p);
      return p;
    });
    drawnSystem = state.system;
  }
  function paintMap() {
    var D = DATA[state.system], d = IND[state.indicator], br = D.breaks[state.indicator] || [], pal = palette(d);
    var counts = br.map(function () { return 0; }), symbols = {};
    D.areas.forEach(function (area, a) {
      var c = cell(a), p = paths[a], fill;
      if (c.value === null) { fill = SYMBOL_FILL[c.symbol] || "#f2f2f2"; symbols[c.symbol] = (symbols[c.symbol] || 0) + 1; }
      else { var k = classOf(c.value, br); counts[k]++; fill = pal[Math.min(k, pal.length - 1)]; }
      p.setAttribute("fill", fill);
      p.firstChild.textContent = (area.name || area.id) + ": " + cellLong(c, d);
    });
    $("karte-titel").textContent = title(d) + " " + state.year + " – " + SYS[state.system].label;
    $("kr-map").setAttribute("aria-label", "Karte: " + title(d) + " " + state.year + " nach " + SYS[state.system].label + ". Die Werte stehen als Text in der Rangliste.");
    legend(d, br, pal, counts, symbols);
    outline();
  }
  function legend(d, br, pal, counts, symbols) {
    var L = $("legende");
    clear(L);
    L.appendChild(el("p", { "class": "legend-title", id: "legend-title" }, title(d) + ", " + state.year));
    var ul = el("ul");
    br.forEach(function (b, i) {
      var lo = i === 0 ? null : br[i - 1];
      var text = lo === null ? "bis " + fmt(b, d.digits) : (i === br.length - 1 ? "über " + fmt(lo, d.digits) : "über " + fmt(lo, d.digits) + " bis " + fmt(b, d.digits));
      var li = el("li");
      var sw = el("span", { "class": "swatch" });
      sw.style.background = pal[Math.min(i, pal.length - 1)];
      li.appendChild(sw);
      li.appendChild(el("span", null, text + " (" + counts[i] + ")"));
      ul.appendChild(li);
    });
    Object.keys(symbols).forEach(function (s) {
      var li = el("li");
      li.appendChild(el("span", { "class": "swatch sym-" + (s === "." ? "dot" : s === "/" ? "slash" : "other") }));
      li.appendChild(el("span", null, s + " " + (SYMBOL_TEXT[s] || "kein Wert") + " (" + symbols[s] + ")"));
      ul.appendChild(li);
    });
    L.appendChild(ul);
    L.appendChild(el("p", { "class": "legend-note" }, "Klassen: Quantile über alle Jahre (vergleichbar zwischen den Jahren); Stadt: " + cityText(d) + "."));
  }
  function cityText(d, year) {
    var D = DATA[state.system], y = D.years.indexOf(year === undefined ? state.year : year);
    var v = D.city[state.indicator][y];
    return v === null ? "." : fmt(v, d.digits) + unitText(d);
  }
  function hover(a) {
    var h = $("hover");
    if (a < 0) { h.textContent = ""; return; }
    var D = DATA[state.system];
    h.textContent = (D.areas[a].name || D.areas[a].id) + ": " + cellLong(cell(a), IND[state.indicator]);
  }
  function outline() {
    var o = $("kr-selected"), a = selectedIndex();
    if (a < 0) { o.setAttribute("d", ""); return; }
    o.setAttribute("d", DATA[state.system].areas[a].d);
  }
  function selectedIndex() {
    if (!state.area) return -1;
    var D = DATA[state.system];
    for (var i = 0; i < D.areas.length; i++) if (D.areas[i].id === state.area) return i;
    return -1;
  }

  // --- ranking ----------------------------------------------------------------------------
  function ranking() {
    var D = DATA[state.system], d = IND[state.indicator];
    var rows = D.areas.map(function (area, a) { return { a: a, c: cell(a) }; });
    var pub = rows.filter(function (r) { return r.c.value !== null; }).sort(function (x, z) { return z.c.value - x.c.value; });
    var hid = rows.filter(function (r) { return r.c.value === null; }).sort(function (x, z) { return D.areas[x.a].id < D.areas[z.a].id ? -1 : 1; });
    var prev = null, prevRank = 0;
    pub.forEach(function (r, i) { r.rank = r.c.value === prev ? prevRank : i + 1; prev = r.c.value; prevRank = r.rank; });
    $("rang-titel").textContent = "Rangliste: " + title(d) + " " + state.year + " (" + SYS[state.system].label + ")";
    $("rang-stadt").textContent = "Stadt insgesamt: " + cityText(d) + ". Rang 1 = höchster Wert; gesperrte Werte haben keinen Rang und stehen am Ende.";
    var head = $("rang-head");
    clear(head);
    var tr = el("tr");
    ["Rang", "Gebiet", d.kind === "count" ? "Anzahl" : "Wert (" + d.unit + ")"].concat(D.ci[state.indicator] ? ["95-%-KI"] : []).concat(["Profil"]).forEach(function (t) { tr.appendChild(el("th", { scope: "col", "class": t === "95-%-KI" ? "ci num" : (t === "Gebiet" || t === "Profil" ? "" : "num") }, t)); });
    head.appendChild(tr);
    var body = $("rang-body");
    clear(body);
    var sel = selectedIndex();
    pub.concat(hid).forEach(function (r) {
      var area = D.areas[r.a];
      var row = el("tr", { "data-area": area.id });
      if (r.a === sel) row.setAttribute("aria-selected", "true");
      row.appendChild(el("td", { "class": "num" }, r.rank ? String(r.rank) : ""));
      var td = el("td");
      var b = el("button", { type: "button", "class": "area-btn", "aria-label": (area.name || area.id) + " auswählen" }, area.name || area.id);
      b.addEventListener("click", function () { select(r.a, false); });
      b.addEventListener("focus", function () { hover(r.a); paths[r.a].classList.add("focus"); });
      b.addEventListener("blur", function () { hover(-1); paths[r.a].classList.remove("focus"); });
      td.appendChild(b);
      td.appendChild(el("span", { "class": "id" }, " " + area.id));
      row.appendChild(td);
      row.appendChild(el("td", { "class": "num" }, cellText(r.c, d)));
      if (D.ci[state.indicator]) row.appendChild(el("td", { "class": "num ci" }, r.c.lo === null || r.c.lo === undefined ? "" : fmt(r.c.lo, d.digits) + "–" + fmt(r.c.hi, d.digits)));
      var tp = el("td");
      if (SYS[state.system].profiles) tp.appendChild(el("a", { href: profileHref(area), "aria-label": "Profil " + (area.name || area.id) }, "Profil"));
      row.appendChild(tp);
      body.appendChild(row);
    });
  }

  // --- selected area and time series -------------------------------------------------------
  function profileHref(area) { return "profile/" + state.system + "/" + area.f + ".html" + hashOf(area.id); }
  function select(a, fromMap) {
    var D = DATA[state.system];
    state.area = D.areas[a].id;
    writeHash();
    outline();
    detail();
    var rows = $("rang-body").querySelectorAll("tr");
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute("data-area") === state.area) rows[i].setAttribute("aria-selected", "true");
      else rows[i].removeAttribute("aria-selected");
    }
    if (fromMap) { var link = $("profil-link"); if (link) link.focus({ preventScroll: true }); }
  }
  function detail() {
    var box = $("detail-body"), a = selectedIndex(), D = DATA[state.system], d = IND[state.indicator];
    clear(box);
    if (a < 0) { box.appendChild(el("p", { "class": "muted" }, "Gebiet in der Karte anklicken oder in der Rangliste wählen.")); return; }
    var area = D.areas[a], c = cell(a);
    box.appendChild(el("h3", { id: "detail-name" }, area.name || area.id));
    box.appendChild(el("p", { "class": "muted" }, SYS[state.system].label + ", Gebiet " + area.id));
    var dl = el("dl");
    var add = function (k, v) { dl.appendChild(el("dt", null, k)); dl.appendChild(el("dd", null, v)); };
    add(title(d) + " " + state.year, cellLong(c, d));
    if (c.lo !== null && c.lo !== undefined) add("95-%-Konfidenzintervall", fmt(c.lo, d.digits) + " bis " + fmt(c.hi, d.digits));
    add("Stadt insgesamt", cityText(d));
    box.appendChild(dl);
    if (SYS[state.system].profiles) {
      var p = el("a", { href: profileHref(area), id: "profil-link", "class": "button" }, "Gebietsprofil öffnen: " + (area.name || area.id));
      box.appendChild(p);
    }
    series(a);
  }
  function series(a) {
    var D = DATA[state.system], d = IND[state.indicator], box = $("detail-body");
    var pts = D.years.map(function (y) { return { year: y, c: cell(a, y), city: D.city[state.indicator][D.years.indexOf(y)] }; });
    var vals = [];
    pts.forEach(function (p) { if (p.c.value !== null) vals.push(p.c.value); if (p.city !== null) vals.push(p.city); });
    box.appendChild(el("h3", { "class": "ts-title" }, "Zeitreihe: " + (D.areas[a].name || D.areas[a].id) + " und Stadt"));
    if (!vals.length) { box.appendChild(el("p", null, "Keine veröffentlichten Werte.")); return; }
    var W = 340, H = 170, L = 48, R = 22, T = 10, B = 26;
    var lo = Math.min.apply(null, vals), hi = Math.max.apply(null, vals);
    if (lo === hi) { lo -= 1; hi += 1; }
    var pad = (hi - lo) * 0.08; lo -= pad; hi += pad;
    var x = function (i) { return L + (pts.length === 1 ? (W - L - R) / 2 : i * (W - L - R) / (pts.length - 1)); };
    var y = function (v) { return T + (hi - v) * (H - T - B) / (hi - lo); };
    var svg = svgEl("svg", { viewBox: "0 0 " + W + " " + H, "class": "ts", role: "img", "aria-label": "Zeitreihe " + title(d) + ": " + (D.areas[a].name || D.areas[a].id) + " und Stadt; Werte in der Tabelle darunter" });
    svg.appendChild(svgEl("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, "class": "axis" }));
    [lo + pad, hi - pad].forEach(function (v) {
      svg.appendChild(svgEl("text", { x: L - 4, y: y(v) + 4, "text-anchor": "end", "class": "tick" }, fmt(v, d.digits)));
      svg.appendChild(svgEl("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), "class": "grid" }));
    });
    pts.forEach(function (p, i) { svg.appendChild(svgEl("text", { x: x(i), y: H - 8, "text-anchor": "middle", "class": "tick" }, String(p.year))); });
    var line = function (get, cls) {
      var dd = "", pen = false;
      pts.forEach(function (p, i) {
        var v = get(p);
        if (v === null) { pen = false; return; }
        dd += (pen ? "L" : "M") + x(i).toFixed(1) + " " + y(v).toFixed(1);
        pen = true;
      });
      svg.appendChild(svgEl("path", { d: dd, "class": cls }));
      pts.forEach(function (p, i) { var v = get(p); if (v !== null) svg.appendChild(svgEl("circle", { cx: x(i), cy: y(v), r: 3, "class": cls + (cls === "ts-area" && p.c.symbol === "()" ? " limited" : "") })); });
    };
    line(function (p) { return p.city; }, "ts-city");
    line(function (p) { return p.c.value; }, "ts-area");
    box.appendChild(svg);
    var key = el("p", { "class": "ts-key" });
    key.appendChild(el("span", { "class": "k-area" }, "\u2014 " + (D.areas[a].name || D.areas[a].id)));
    key.appendChild(el("span", { "class": "k-city" }, " - - Stadt insgesamt"));
    box.appendChild(key);
    var det = el("details");
    det.appendChild(el("summary", null, "Zeitreihe als Tabelle"));
    var t = el("table", { "class": "ts-table" });
    var hr = el("tr");
    ["Jahr", "Gebiet", "Stadt"].forEach(function (h) { hr.appendChild(el("th", { scope: "col" }, h)); });
    t.appendChild(hr);
    pts.forEach(function (p) {
      var r = el("tr");
      r.appendChild(el("td", null, String(p.year)));
      r.appendChild(el("td", { "class": "num" }, cellText(p.c, d)));
      r.appendChild(el("td", { "class": "num" }, p.city === null ? "." : fmt(p.city, d.digits)));
      t.appendChild(r);
    });
    det.appendChild(t);
    box.appendChild(det);
  }

  // --- downloads --------------------------------------------------------------------------
  function downloads() {
    var name = state.system + "-" + IND[state.indicator].file, base = "downloads/" + name;
    var csv = $("dl-csv"), xlsx = $("dl-xlsx");
    csv.setAttribute("href", base + ".csv");
    csv.setAttribute("download", name + ".csv");
    csv.textContent = "Tabelle als CSV (" + title(IND[state.indicator]) + ", " + SYS[state.system].label + ", alle Jahre)";
    if (M.downloads.xlsx) {
      xlsx.hidden = false;
      xlsx.setAttribute("href", base + ".xlsx");
      xlsx.setAttribute("download", name + ".xlsx");
      xlsx.textContent = "als XLSX";
    } else xlsx.hidden = true;
  }

  // --- update -----------------------------------------------------------------------------
  function render() {
    if (drawnSystem !== state.system) buildMap();
    if (state.area && selectedIndex() < 0) state.area = null;
    paintMap();
    downloads();
    writeHash();
    $("status").textContent = SYS[state.system].label + ", " + title(IND[state.indicator]) + ", " + state.year;
    if (!firstMap) { ranking(); detail(); return; }
    // First load: the map first, the ranking and the selected area right after it is painted.
    firstMap = false;
    performance.mark("kr-map-drawn");
    requestAnimationFrame(function () { setTimeout(function () {
      performance.mark("kr-map-painted");
      ranking();
      detail();
      document.documentElement.setAttribute("data-kr-ready", "1");
    }, 0); });
  }
  function switchSystem(id) {
    state.system = id;
    load(id, function () { if (firstMap) performance.mark("kr-data"); fillIndicators(); fillYears(); render(); });
  }
  $("sel-system").addEventListener("change", function (e) { state.area = null; switchSystem(e.target.value); });
  $("sel-indicator").addEventListener("change", function (e) { state.indicator = e.target.value; render(); });
  $("sel-year").addEventListener("change", function (e) { state.year = Number(e.target.value); render(); });
  window.addEventListener("hashchange", function () { readHash(); $("sel-system").value = state.system; switchSystem(state.system); });
  readHash();
  fillSystems();
  switchSystem(state.system);
})();
`;

/** `atlas.css`: responsive layout (phone: one column, no horizontal scrolling), focus styles. */
export const ATLAS_CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#1b1b1b;background:#fafafa}
a{color:#0b4f8a}
a:focus-visible,button:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px 10px;z-index:10}
header{background:#0b4f8a;color:#fff;padding:14px 18px}
header h1{margin:0;font-size:1.45rem}
header p{margin:4px 0 0;opacity:.9}
main{max-width:1280px;margin:0 auto;padding:12px;display:grid;gap:14px;grid-template-columns:minmax(0,1fr)}
@media (min-width:980px){main{grid-template-columns:minmax(0,3fr) minmax(0,2fr)}#steuerung,#rangliste{grid-column:1 / -1}}
section,form{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px;min-width:0}
h2{font-size:1.1rem;margin:0 0 8px}
h3{font-size:1rem;margin:10px 0 4px}
#steuerung{display:flex;flex-wrap:wrap;gap:10px 18px;align-items:flex-end}
#steuerung label{display:flex;flex-direction:column;font-weight:600;font-size:.9rem;min-width:0;max-width:100%}
select{font:inherit;padding:6px;min-width:0;max-width:100%;border:1px solid #888;border-radius:4px;background:#fff}
.downloads{display:flex;flex-wrap:wrap;gap:8px 14px;min-width:0}
.downloads a{overflow-wrap:anywhere}
#status{font-size:.85rem;color:#555;flex-basis:100%;margin:0}
.map-wrap{position:relative}
#kr-map{width:100%;height:auto;display:block;max-height:72vh}
#kr-map path.area{stroke:#fff;stroke-width:.6px;vector-effect:non-scaling-stroke;cursor:pointer}
#kr-map path.area:hover,#kr-map path.area.focus{stroke:#000;stroke-width:2px}
#kr-selected{fill:none;stroke:#000;stroke-width:3px;vector-effect:non-scaling-stroke;pointer-events:none}
.hover{min-height:1.45em;font-size:.9rem;color:#333}
.legend ul{list-style:none;margin:4px 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 14px}
.legend li{display:flex;align-items:center;gap:6px;font-size:.88rem}
.legend-title{font-weight:600;margin:6px 0 0}
.legend-note,.hint,.muted{font-size:.82rem;color:#555}
.swatch{display:inline-block;width:18px;height:14px;border:1px solid #999}
.sym-dot{background:repeating-linear-gradient(45deg,#9e9e9e 0 2px,#e0e0e0 2px 5px)}
.sym-slash{background:repeating-linear-gradient(-45deg,#bdbdbd 0 2px,#f5f5f5 2px 6px)}
.sym-other{background:#f2f2f2}
dl{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:2px 10px;margin:6px 0}
dt{font-weight:600}dd{margin:0}
.button{display:inline-block;background:#0b4f8a;color:#fff;padding:8px 12px;border-radius:4px;text-decoration:none;margin:6px 0;overflow-wrap:anywhere}
.ts{width:100%;max-width:420px;height:auto;display:block}
.ts .axis{stroke:#777}.ts .grid{stroke:#e3e3e3}.ts .tick{font-size:10px;fill:#444}
.ts path.ts-area{fill:none;stroke:#0b4f8a;stroke-width:2.5}.ts circle.ts-area{fill:#0b4f8a}.ts circle.ts-area.limited{fill:#fff;stroke:#0b4f8a}
.ts path.ts-city{fill:none;stroke:#888;stroke-width:2;stroke-dasharray:5 4}.ts circle.ts-city{fill:#888}
.ts-key{font-size:.85rem;margin:2px 0}.k-area{color:#0b4f8a;margin-right:12px}.k-city{color:#666}
.table-wrap{overflow-x:auto;max-height:70vh;overflow-y:auto}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{padding:4px 8px;border-bottom:1px solid #e5e5e5;text-align:left;vertical-align:top}
thead th{position:sticky;top:0;background:#f0f0f0}th.num{text-align:right}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr[aria-selected="true"]{background:#fff3c4}
.area-btn{font:inherit;background:none;border:0;padding:0;color:#0b4f8a;text-decoration:underline;cursor:pointer;text-align:left;overflow-wrap:break-word}
.id{color:#777;font-size:.8rem}
.ts-table{max-width:360px}
footer{max-width:1280px;margin:0 auto 24px;padding:0 12px;font-size:.85rem;color:#333;overflow-wrap:anywhere}
footer h2{font-size:1rem;margin-top:14px}
footer ul{padding-left:18px}
@media (max-width:600px){header h1{font-size:1.2rem}main{padding:8px}#steuerung label,select{width:100%}th,td{padding:4px 5px}table .id,table .ci{display:none}}
`;
