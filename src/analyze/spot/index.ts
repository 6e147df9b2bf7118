import { defineAnalyzer } from "../analyzer.js";
import { spotSection } from "./section.js";
import { spotSettings } from "./settings.js";

export const spot = defineAnalyzer({
  name: "spot",
  settings: spotSettings,
  section: spotSection,
});
