import { readFileSync } from "node:fs";
import { projectPath } from "../core/paths.js";

export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(projectPath("package.json"), "utf8")) as { version: string }
).version;
