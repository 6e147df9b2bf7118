/** What every chart shares (fonts, transparent background); kept apart from charts.ts so that sections build specs without loading Vega. */
const FONT = "system-ui, -apple-system, Segoe UI, sans-serif";

export const chartBase = {
  $schema: "https://vega.github.io/schema/vega-lite/v6.json",
  background: "transparent",
  config: {
    font: FONT,
    axis: { labelFontSize: 11, titleFontSize: 11 },
    legend: { labelFontSize: 11, titleFontSize: 11 },
    view: { stroke: null },
  },
} as const;
