import { defineAnalyzer } from "../analyzer.js";
import { computeOffpeakPools } from "./pools.js";
import { offpeakSection } from "./section.js";
import { offpeakSettings } from "./settings.js";

export const offpeak = defineAnalyzer({
  name: "offpeak",
  settings: offpeakSettings,
  compute: { marts: ["mart_offpeak_pools", "mart_offpeak_pool_hours"], run: computeOffpeakPools },
  section: offpeakSection,
});
