import { defineAnalyzer } from "../analyzer.js";
import { idleSection } from "./section.js";
import { idleSettings } from "./settings.js";

export const idle = defineAnalyzer({
  name: "idle",
  settings: idleSettings,
  section: idleSection,
});
