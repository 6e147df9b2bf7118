import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { projectPath } from "../../src/core/paths.js";

describe("package-lock.json", () => {
  it("lists every optional platform package, so that npm ci accepts it (run scripts/lockfile-platforms.mjs)", () => {
    const lock = JSON.parse(readFileSync(projectPath("package-lock.json"), "utf8"));
    const packages: Record<string, { optionalDependencies?: Record<string, string> }> = lock.packages;
    const missing = Object.values(packages).flatMap((entry) =>
      Object.keys(entry.optionalDependencies ?? {}).filter((dep) => !packages[`node_modules/${dep}`]),
    );
    expect(missing).toEqual([]);
  });
});
