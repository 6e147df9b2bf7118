import { defineAnalyzer } from "../analyzer.js";
import { computeGravitonPools } from "./pools.js";
import { gravitonSection } from "./section.js";
import { gravitonSettings } from "./settings.js";

export const graviton = defineAnalyzer({
  name: "graviton",
  settings: gravitonSettings,
  compute: { marts: ["mart_graviton_pools"], run: computeGravitonPools },
  section: gravitonSection,
});
