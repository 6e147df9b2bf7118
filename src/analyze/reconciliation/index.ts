import { defineAnalyzer } from "../analyzer.js";
import { reconciliationSection } from "./section.js";

export const reconciliation = defineAnalyzer({
  name: "reconciliation",
  settings: undefined,
  section: reconciliationSection,
});
