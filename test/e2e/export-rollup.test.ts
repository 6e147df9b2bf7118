/**
 * `capacity export --parquet` and the organisation roll-up (`capacity report --from-parquet`):
 * two clusters' runs (the demo, and the demo recorded again as demo-west) exported into one
 * folder, and to a fake S3; the roll-up equals the sum of the two single-cluster reports; the
 * Athena tables in deploy/athena/ match the exported files' columns.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ATHENA_DIR, athenaDdl, exportedSchemas } from "../../scripts/athena-ddl.js";
import { projectPath } from "../../src/core/paths.js";
import { type FakeS3, startFakeS3 } from "../fixtures/fake-s3.js";
import { cliAsync } from "./cli.js";

interface Summary {
  summary: {
    monthlyCostUsd: number;
    potentialMonthlySavingsUsd: number;
    savingsByCategoryUsd: Record<string, { usd: number | null }>;
  };
  costByLabel: Array<{ labelKey: string; labelValue: string; monthlyCostUsd: number }>;
}

const dir = mkdtempSync(join(tmpdir(), "capacity-export-"));
const config = join(dir, "capacity.yaml");
const parquet = join(dir, "parquet");
let s3: FakeS3;
const reports: Summary[] = [];

const files = (root: string): string[] =>
  readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".parquet"))
    .sort();

beforeAll(async () => {
  s3 = await startFakeS3();
  writeFileSync(config, "allocation:\n  labelKeys: [team]\n");
  // The demo's bundle recorded again as another cluster.
  const west = join(dir, "west-bundle");
  cpSync(projectPath("data", "demo"), west, { recursive: true });
  for (const source of ["kubernetes", "prometheus", "aws"]) {
    renameSync(join(west, source, "demo-shop"), join(west, source, "demo-west"));
  }
  for (const file of ["bundle.json", join("aws", "demo-west", "cost-and-usage.json")]) {
    writeFileSync(
      join(west, file),
      readFileSync(join(west, file), "utf8").replaceAll("demo-shop", "demo-west"),
    );
  }
  for (const [name, bundle] of [
    ["shop", projectPath("data", "demo")],
    ["west", west],
  ] as const) {
    const db = join(dir, `${name}.duckdb`);
    const run = await cliAsync(
      ["run", "--from", bundle, "--config", config, "--database", db, "--out", join(dir, name)],
      { cwd: dir },
    );
    expect(run.code, run.stderr).toBe(0);
    reports.push(JSON.parse(readFileSync(join(dir, name, "recommendations.json"), "utf8")) as Summary);
    const exported = await cliAsync(["export", "--parquet", parquet, "--database", db], { cwd: dir });
    expect(exported.code, exported.stderr).toBe(0);
  }
}, 600_000);

afterAll(async () => {
  await s3?.close();
});

describe("capacity export --parquet", () => {
  it("writes each table under cluster= and run_date= folders, one file per run, and its empty schema file", () => {
    const written = files(parquet);
    expect(written).toContain("_schema/mart_cost_summary.parquet");
    expect(written).toContain("_schema/runs.parquet");
    for (const cluster of ["demo-shop", "demo-west"]) {
      expect(
        written.some((f) =>
          new RegExp(
            `^mart_cost_summary/cluster=${cluster}/run_date=\\d{4}-\\d{2}-\\d{2}/run-[\\w-]+\\.parquet$`,
          ).test(f),
        ),
      ).toBe(true);
      expect(written.some((f) => f.startsWith(`prom_usage_hourly/cluster=${cluster}/`))).toBe(true);
      expect(written.some((f) => f.startsWith(`runs/cluster=${cluster}/`))).toBe(true);
    }
    // Tables without a cluster column are partitioned by day alone.
    expect(written.some((f) => /^analyses\/run_date=/.test(f))).toBe(true);
  });

  it("replaces a run's files when it is exported again, rather than adding copies", async () => {
    const before = files(parquet);
    const again = await cliAsync(["export", "--parquet", parquet, "--database", join(dir, "shop.duckdb")], {
      cwd: dir,
    });
    expect(again.code, again.stderr).toBe(0);
    expect(files(parquet)).toEqual(before);
  }, 600_000);

  it("matches the Athena tables in deploy/athena/, one per exported table (regenerate: scripts/athena-ddl.ts)", async () => {
    const schemas = await exportedSchemas(parquet);
    expect(readdirSync(ATHENA_DIR).sort()).toEqual(schemas.map((s) => `${s.table}.sql`).sort());
    for (const { table, columns } of schemas) {
      const expected = athenaDdl(
        table,
        columns,
        columns.some((c) => c.name === "cluster"),
      );
      expect(readFileSync(join(ATHENA_DIR, `${table}.sql`), "utf8"), `deploy/athena/${table}.sql`).toBe(
        expected,
      );
    }
  });
});

describe("capacity report --from-parquet", () => {
  const sum = (pick: (r: Summary) => number) => reports.reduce((total, r) => total + pick(r), 0);

  it("adds up the clusters' own reports: cost, savings, each family and each label value", async () => {
    const out = join(dir, "rollup");
    const r = await cliAsync(["report", "--from-parquet", parquet, "--config", config, "--out", out], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    const rollup = JSON.parse(readFileSync(join(out, "rollup.json"), "utf8"));
    expect(rollup.totals.clusters).toBe(2);
    expect(rollup.runs.map((x: { clusters: string }) => x.clusters)).toEqual(["demo-shop", "demo-west"]);
    expect(rollup.totals.monthlyCostUsd).toBeCloseTo(
      sum((x) => x.summary.monthlyCostUsd),
      2,
    );
    expect(rollup.totals.potentialMonthlySavingsUsd).toBeCloseTo(
      sum((x) => x.summary.potentialMonthlySavingsUsd),
      2,
    );
    for (const family of rollup.families as Array<{ family: string; usd: number; computedIn: number }>) {
      expect(family.usd, family.family).toBeCloseTo(
        sum((x) => x.summary.savingsByCategoryUsd[family.family]?.usd ?? 0),
        2,
      );
      expect(family.computedIn).toBe(2);
    }
    for (const label of rollup.byLabel as Array<{
      labelKey: string;
      labelValue: string;
      monthlyCostUsd: number;
    }>) {
      const own = sum(
        (x) =>
          x.costByLabel.find((l) => l.labelKey === label.labelKey && l.labelValue === label.labelValue)
            ?.monthlyCostUsd ?? 0,
      );
      expect(label.monthlyCostUsd, `${label.labelKey}=${label.labelValue}`).toBeCloseTo(own, 2);
    }
    const md = readFileSync(join(out, "rollup.md"), "utf8");
    expect(md).toContain("# EKS cost roll-up: 2 clusters");
    expect(md).toMatch(/\| demo-west \| 2026-11-02 – 2026-11-16 \|/);
    expect(readFileSync(join(out, "rollup.html"), "utf8")).toContain(
      "<h2>Top actions across the organisation</h2>",
    );
  }, 600_000);

  it("reads the same export from S3 as from a folder", async () => {
    const shop = await cliAsync(
      ["export", "--parquet", "s3://org-bucket/parquet", "--database", join(dir, "shop.duckdb")],
      { cwd: dir, env: s3.env },
    );
    expect(shop.code, shop.stderr).toBe(0);
    const west = await cliAsync(
      ["export", "--parquet", "s3://org-bucket/parquet", "--database", join(dir, "west.duckdb")],
      { cwd: dir, env: s3.env },
    );
    expect(west.code, west.stderr).toBe(0);
    expect(s3.keys("org-bucket/parquet/").map((k) => k.slice("org-bucket/parquet/".length))).toEqual(
      files(parquet),
    );
    const out = join(dir, "rollup-s3");
    const r = await cliAsync(
      ["report", "--from-parquet", "s3://org-bucket/parquet", "--config", config, "--out", out],
      {
        cwd: dir,
        env: s3.env,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const fromS3 = JSON.parse(readFileSync(join(out, "rollup.json"), "utf8"));
    const fromDir = JSON.parse(readFileSync(join(dir, "rollup", "rollup.json"), "utf8"));
    expect({ ...fromS3, generatedAt: 0, source: 0 }).toEqual({ ...fromDir, generatedAt: 0, source: 0 });
  }, 600_000);

  it("says a folder that is not an export is not one", async () => {
    const r = await cliAsync(["report", "--from-parquet", dir, "--out", join(dir, "nothing")], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("it is not a capacity export");
  }, 600_000);
});
