/**
 * The rendering budget, checked on every run of the suite and not only in the bench:
 * bench/report.ts renders the demo's report with its right-sizing section grown to 10,000
 * recommendations (HTML with charts, Markdown, recommendations.json, every CSV) and prints its
 * figures as a JSON line. The sizes are asserted here (HTML under 10 MB, Markdown under 60,000
 * characters); the time (under 5 CPU-s) is a benchmark figure, read from `npm run bench`, never
 * asserted in a test on a shared machine.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { projectPath } from "../../src/core/paths.js";

describe("a report of 10,000 recommendations", () => {
  it("renders to HTML under 10 MB and Markdown under 60,000 characters", () => {
    const r = spawnSync(
      process.execPath,
      ["--import", import.meta.resolve("tsx"), projectPath("bench", "report.ts"), "10000"],
      { encoding: "utf8", cwd: projectPath() },
    );
    expect(r.status, r.stderr).toBe(0);
    const figures = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as {
      containers: number;
      htmlBytes: number;
      markdownChars: number;
    };
    expect(figures.containers).toBe(10_000);
    expect(figures.htmlBytes).toBeLessThan(10_000_000);
    expect(figures.markdownChars).toBeLessThan(60_000);
  }, 600_000);
});
