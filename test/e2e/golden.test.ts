/**
 * The demo's outputs pinned byte for byte (run id and generation time aside): a refactoring that
 * changes a figure, a row or a sentence fails here, and the diff shows which. When a change is
 * meant, regenerate with `UPDATE_GOLDEN=1 npx vitest run test/e2e/golden.test.ts` and say why
 * in the commit.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { projectPath } from "../../src/core/paths.js";
import { cli } from "./cli.js";

const GOLDEN = projectPath("test", "fixtures", "golden");
const FILES = ["recommendations.json", "report.md", "costs.csv"] as const;
const out = mkdtempSync(join(tmpdir(), "capacity-golden-"));

/** The run id and generation time change every run; nothing else may. */
function normalize(text: string): string {
  return text
    .replace(/\b\d{8}T\d{6}Z-[0-9a-f]{4}\b/g, "<run-id>")
    .replace(/"generatedAt": "[^"]+"/g, '"generatedAt": "<generated-at>"')
    .replace(/generated \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/g, "generated <generated-at>");
}

beforeAll(() => {
  const result = cli(["demo", "--out", out]);
  if (result.code !== 0) throw new Error(`demo failed (${result.code}):\n${result.stderr}`);
}, 600_000);

describe("the demo's outputs", () => {
  for (const file of FILES) {
    it(`${file} is the pinned golden file`, () => {
      const actual = normalize(readFileSync(join(out, file), "utf8"));
      if (process.env.UPDATE_GOLDEN === "1") writeFileSync(join(GOLDEN, file), actual);
      expect(actual).toBe(readFileSync(join(GOLDEN, file), "utf8"));
    });
  }
});
