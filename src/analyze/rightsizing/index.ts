import { defineAnalyzer } from "../analyzer.js";
import { rightsizingSection } from "./section.js";
import { rightsizingSettings } from "./settings.js";

export const rightsizing = defineAnalyzer({
  name: "rightsizing",
  settings: rightsizingSettings,
  section: rightsizingSection,
});
