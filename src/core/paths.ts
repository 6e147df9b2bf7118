import { fileURLToPath } from "node:url";

/**
 * The project root, found from this file: `src/core/paths.ts` under tsx and
 * `dist/core/paths.js` when compiled are both two levels below it.
 */
export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function projectPath(...parts: string[]): string {
  return [PROJECT_ROOT.replace(/\/$/, ""), ...parts].join("/");
}
