import { readFileSync } from "node:fs";
import { projectPath } from "./paths.js";

/**
 * A file of data/reference/ as rows keyed by its header. The files are plain CSV without quoted
 * fields; the first line is their provenance (`# source: …`) and is skipped.
 */
export function readReferenceCsv(file: string): Array<Record<string, string>> {
  const lines = readFileSync(projectPath("data", "reference", file), "utf8")
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"));
  const header = lines[0]!.split(",");
  return lines.slice(1).map((line) => {
    const cells = line.split(",");
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]));
  });
}

/** The provenance line of a data/reference/ file, without its `# source:` prefix. */
export function referenceProvenance(file: string): string {
  const first = readFileSync(projectPath("data", "reference", file), "utf8").split("\n", 1)[0] ?? "";
  return first.startsWith("# source:") ? first.slice("# source:".length).trim() : "";
}
