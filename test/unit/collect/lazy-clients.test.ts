/**
 * A replay never loads the live clients: from the collect service, the modules reached through
 * static value imports (not `import type`, not `await import()`) include no source's client.ts and
 * none of the AWS SDK, the Kubernetes client, axios or prometheus-query.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { projectPath } from "../../../src/core/paths.js";

const IMPORT = /^(?:import|export)\s+(type\s+)?(?:[^;]*?\s+from\s+)?["']([^"']+)["'];/gm;

/** Every module reached by static value imports from `entry`: local files and bare package names. */
function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT)) {
      if (m[1]) continue; // import type: erased
      const spec = m[2]!;
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files, packages };
}

describe("live clients load lazily", () => {
  const { files, packages } = staticGraph(projectPath("src", "services", "collect.ts"));

  it("reaches every source through the registry", () => {
    for (const source of ["kubernetes", "eks", "prometheus", "cost-explorer", "pricing", "spot-history"])
      expect(files).toContain(projectPath("src", "collect", source, "source.ts"));
  });

  it("reaches no client.ts statically", () => {
    expect([...files].filter((f) => f.endsWith("/client.ts"))).toEqual([]);
  });

  it("reaches none of the AWS SDK, the Kubernetes client, axios or prometheus-query", () => {
    const heavy = [...packages].filter((p) =>
      /^(@aws-sdk\/|@smithy\/|@kubernetes\/client-node|axios|prometheus-query)/.test(p),
    );
    expect(heavy).toEqual([]);
  });
});
