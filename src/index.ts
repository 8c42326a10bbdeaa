/**
 * kleinraum — the shared module every notebook imports:
 *
 * ```ts
 * import * as kr from "./dist/index";
 * ```
 *
 * (The project kernel runs in the project root, so `./src/index` works from every notebook.)
 */
// Where things are
export * from "./project/paths";
export * from "./project/config-types";
export * from "./project/config";
// Count variables
export * from "./variables";
// Loading and validation
export * from "./load/errors";
export * from "./load/crs";
export * from "./load/geometry";
export * from "./load/statistics";
export * from "./load/table";
export * from "./load/names";
export * from "./validate/report";
export * from "./validate/validate";
// Areas: nesting and aggregation
export * from "./areas/aggregate";
export * from "./areas/hierarchy";
export * from "./areas/overlay";
export * from "./areas/crosswalk";
// Comparing boundary choices: counts via crosswalk, territory comparison, MAUP zonings
export * from "./areas/compare";
export * from "./areas/zoning";
// Indicators
export * from "./indicators/catalogue";
export * from "./indicators/terms";
export * from "./indicators/compute";
export * from "./indicators/tables";
export * from "./indicators/dataset";
// Small numbers: rules, suppression, symbols, intervals, smoothing
export * from "./protect/rules";
export * from "./protect/suppress";
export * from "./protect/symbols";
export * from "./protect/intervals";
export * from "./protect/smoothing";
export * from "./protect/apply";
export * from "./protect/figures";
// Exploration: classification, spatial weights, Moran's I / LISA, MSS index
export * from "./explore/classify";
export * from "./explore/weights";
export * from "./explore/moran";
export * from "./explore/mss";
// Presentation
export * from "./present/format";
export * from "./present/html-table";
export * from "./present/svg-map";
export * from "./present/indicator-map";
export * from "./present/frame";
// Plotly figures (specs), rendering in headless Chromium, notebook display
export * from "./present/plotly/index";
export * from "./present/render";
export * from "./present/display";
export * from "./berlin/mss2021";
// Export
export * from "./export/files";
export * from "./export/embed";
export * from "./export/provenance";
export * from "./export/figures";
export * from "./export/xlsx";
export * from "./export/profile";
export * from "./export/findings";
export * from "./export/funding";
// Public atlas: static site (buildAtlas), its published data (readAtlasData), screenshot and load measurement
export * from "./atlas/build";
export * from "./atlas/data";
export * from "./atlas/profile";
export * from "./atlas/browser";
export * from "./project/overview";
// Small numbers for a dataset: one call for notebooks, published tables, the reliability sentence
export * from "./protect/dataset";
export * from "./protect/tables";
export * from "./protect/sentence";
export * from "./protect/inquiry";
// Census grid as building blocks, MAUP scale experiment, case studies on real data (../shared/data)
export * from "./areas/grid";
export * from "./areas/maup-scale";
export * from "./casestudies/present";
export * from "./casestudies/berlin-wahlbezirke";
export * from "./casestudies/bottrop-zensus";
