import { defineAnalyzer } from "../analyzer.js";
import { curCrosscheckSection } from "./section.js";

/** Our per-namespace and per-workload cost against AWS's own split (CUR 2.0 split cost allocation data). */
export const curCrosscheck = defineAnalyzer({
  name: "curCrosscheck",
  settings: undefined,
  section: curCrosscheckSection,
});
