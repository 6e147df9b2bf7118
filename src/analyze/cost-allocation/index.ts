import { defineAnalyzer } from "../analyzer.js";
import { costAllocationSection } from "./section.js";

/** Settings: the shared cost model's `allocation.*`, not its own. */
export const costAllocation = defineAnalyzer({
  name: "costAllocation",
  settings: undefined,
  section: costAllocationSection,
});
