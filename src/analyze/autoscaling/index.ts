import { defineAnalyzer } from "../analyzer.js";
import { autoscalingSection } from "./section.js";
import { autoscalingSettings } from "./settings.js";

export const autoscaling = defineAnalyzer({
  name: "autoscaling",
  settings: autoscalingSettings,
  section: autoscalingSection,
});
