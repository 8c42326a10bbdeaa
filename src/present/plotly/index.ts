/** Plotly figure builders (specs as plain JSON); rendering is in `../render`, notebook display in `../display`. */
export * from "./style";
export * from "./protection";
export * from "./geo";
export * from "./choropleth";
export * from "./charts";
