import { describe, expect, it } from "vitest";
import { flatten, renderTable } from "../../src/cli/render.js";
import type { ScopeNote } from "../../src/services/view.js";

const scope: ScopeNote = { namespaces: [], clusters: [], selector: null, usageCollectedFor: null, notes: [] };
const meta = { runId: "r1", scope };

describe("rows on stdout", () => {
  it("shows control characters and ANSI escapes from the cluster escaped on a terminal, never raw", async () => {
    const rows = [
      { namespace: "ns\u001b[31mred", workloadName: "a\nFORGED LINE", monthlyCostUsd: 1 },
      { namespace: "b", workloadName: "c", monthlyCostUsd: 2 },
    ];
    for (const format of ["table", "wide"] as const) {
      const text = await renderTable({ name: "t", rows }, format, meta);
      expect(text).not.toContain("\u001b");
      expect(text).toContain("\\u001B[31mred");
      expect(text.trim().split("\n")).toHaveLength(3);
    }
  });

  it("keeps a Markdown row a row whatever a name holds", async () => {
    const text = await renderTable({ name: "t", rows: [{ name: "a|b\nc", n: 1 }] }, "markdown", meta);
    expect(text.trim().split("\n")).toHaveLength(3);
    expect(text).toContain("a\\|b c");
  });

  it("defuses formula cells in CSV and keeps numbers numbers", async () => {
    const text = await renderTable({ name: "t", rows: [{ name: "=cmd()", usd: -3 }] }, "csv", meta);
    expect(text).toBe("name,usd\n'=cmd(),-3\n");
  });

  it("flattens nested objects under dotted names and joins lists", () => {
    expect(flatten({ current: { cpuCores: 1 }, reasons: ["a", "b"], x: null })).toEqual({
      "current.cpuCores": 1,
      reasons: "a; b",
      x: null,
    });
  });

  it("fits the narrow table in 120 characters however long the names", async () => {
    const long = "x".repeat(200);
    const rows = [
      {
        cluster: long,
        namespace: long,
        workloadKind: "Deployment",
        workloadName: long,
        container: long,
        status: "ok",
        monthlySavingsUsd: 1.5,
        reason: long,
      },
    ];
    const text = await renderTable({ name: "t", rows }, "table", meta);
    for (const line of text.trimEnd().split("\n")) expect(line.length).toBeLessThanOrEqual(120);
    expect(text).toContain("1.50");
  });
});
