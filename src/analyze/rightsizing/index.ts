import { defineAnalyzer } from "../analyzer.js";
import { computeRepack } from "./repack.js";
import { rightsizingSection } from "./section.js";
import { rightsizingSettings } from "./settings.js";

export const rightsizing = defineAnalyzer({
  name: "rightsizing",
  settings: rightsizingSettings,
  compute: { marts: ["mart_rightsizing_pools"], run: computeRepack },
  section: rightsizingSection,
});
