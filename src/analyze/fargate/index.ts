import { defineAnalyzer } from "../analyzer.js";
import { fargateSection } from "./section.js";
import { fargateSettings } from "./settings.js";

export const fargate = defineAnalyzer({
  name: "fargate",
  settings: fargateSettings,
  section: fargateSection,
});
