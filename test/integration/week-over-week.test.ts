/**
 * Week over week from the kept history: two analyzed runs in one real DuckDB file, a week
 * apart. Between them one container took its recommendation and one did not; the report of the
 * second run counts the first as realised (priced with the earlier run's figure, and over the
 * week between), leaves the other open, and shows the spend's change by kind and namespace.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { projectPath } from "../../src/core/paths.js";
import { analyze } from "../../src/services/analyze.js";
import { report } from "../../src/services/report.js";
import { findAnalyzedRun } from "../../src/services/runs.js";
import { Store } from "../../src/store/store.js";
import { container, node, pod, price, testContext, usage, writeScenario } from "../fixtures/scenario.js";

type Row = ReturnType<typeof usage>;
const MIB = 1024 ** 2;
const A = "ip-a.ec2.internal";
const HOURS = 48;
const WEEK = 7 * 24 * 3600_000;

interface Requests {
  api: { cpu: number; memory: number };
  web: { cpu: number; memory: number };
}

/** A run of 48 hours starting `weeks` weeks after the first: api and web, each using little. */
async function run(store: Store, runId: string, weeks: number, r: Requests): Promise<void> {
  const start = Date.parse("2026-11-02T00:00:00Z") + weeks * WEEK;
  const hourAt = (h: number) => new Date(start + h * 3600_000).toISOString();
  const rows: Row[] = [];
  for (let h = 0; h < HOURS; h++) {
    rows.push(
      usage(hourAt(h), "team", "api-1", A, {
        cpuReq: r.api.cpu,
        memReq: BigInt(r.api.memory),
        cpu: 0.2,
        memBytes: 200 * MIB,
      }),
      usage(hourAt(h), "team", "web-1", A, {
        cpuReq: r.web.cpu,
        memReq: BigInt(r.web.memory),
        cpu: 0.1,
        memBytes: 100 * MIB,
      }),
    );
  }
  const created = { created_at: hourAt(0) };
  await writeScenario(
    store,
    { start: hourAt(0), end: hourAt(HOURS) },
    {
      k8s_nodes: [node(A, "m5.xlarge", created)],
      k8s_pods: [pod("team", "api-1", A, created), pod("team", "web-1", A, created)],
      k8s_containers: [
        container("team", "api-1", r.api.cpu, BigInt(r.api.memory)),
        container("team", "web-1", r.web.cpu, BigInt(r.web.memory)),
      ],
      prom_usage_hourly: rows,
      aws_prices: [price("ec2", "m5.xlarge", "Hrs", "0.192")],
      aws_spot_prices: [],
    },
    runId,
  );
  await analyze(testContext(), store, runId);
}

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "capacity-week-"));
  store = await Store.open(join(dir, "c.duckdb"), testContext().logger);
});
afterEach(() => store.close());

describe("week over week", () => {
  it("says there is nothing to compare with on the first analyzed run", async () => {
    const before = { api: { cpu: 1, memory: 1024 * MIB }, web: { cpu: 1, memory: 1024 * MIB } };
    await run(store, "r1", 0, before);
    const { model } = await report(testContext(), store, await findAnalyzedRun(store, "r1"), join(dir, "o1"));
    expect(model.weekOverWeek).toBeNull();
    expect(model.history.map((h) => h.runId)).toEqual(["r1"]);
  });

  it("counts a recommendation applied since the earlier run as realised, and leaves one not applied open", async () => {
    const before = { api: { cpu: 1, memory: 1024 * MIB }, web: { cpu: 1, memory: 1024 * MIB } };
    await run(store, "r1", 0, before);
    const first = await report(testContext(), store, await findAnalyzedRun(store, "r1"), join(dir, "o1"));
    const recommended = (
      first.model.sections.find((s) => s.name === "rightsizing")!.view.rows as Array<{
        workloadName: string;
        status: string;
        requestSavingsUsd: number;
        recommended: { cpuRequestCores: number; memoryRequestBytes: number };
      }>
    ).find((r) => r.workloadName === "api")!;
    expect(recommended.status).toBe("ok");
    expect(recommended.requestSavingsUsd).toBeGreaterThan(0);

    // A week later api runs with (about) the requests recommended; web did nothing.
    await run(store, "r2", 1, {
      api: {
        cpu: recommended.recommended.cpuRequestCores * 1.05,
        memory: recommended.recommended.memoryRequestBytes,
      },
      web: before.web,
    });
    const { model } = await report(testContext(), store, await findAnalyzedRun(store, "r2"), join(dir, "o2"));
    const week = model.weekOverWeek!;
    expect(week.previousRunId).toBe("r1");
    expect(week.hoursBetween).toBe(7 * 24);
    expect(week.realised.map((r) => r.target)).toEqual(["Deployment api container main"]);
    expect(week.realised[0]!.monthlyUsd).toBeCloseTo(recommended.requestSavingsUsd, 6);
    // Over the 168 hours between the runs, at 730 hours a month.
    expect(week.realisedSinceUsd).toBeCloseTo((recommended.requestSavingsUsd * 168) / 730, 6);
    // web's recommendation stays open: neither new nor resolved; api's is resolved.
    expect(week.resolvedRecommendations).toBe(1);
    expect(week.newRecommendations).toBe(0);
    // The same node for the same hours: compute did not move, nor did the total.
    expect(week.total.deltaUsd).toBeCloseTo(0, 6);
    expect(week.kinds.map((k) => k.label)).toEqual([
      "EC2 nodes",
      "Fargate pods",
      "EKS cluster fee",
      "PVC storage (EBS)",
    ]);
    expect(model.history.map((h) => h.runId)).toEqual(["r1", "r2"]);
    expect(model.charts.trend).not.toBeNull();

    // The same facts in recommendations.json, which the published schema accepts.
    const json = JSON.parse(readFileSync(join(dir, "o2", "recommendations.json"), "utf8"));
    expect(json.weekOverWeek.previousRunId).toBe("r1");
    expect(json.weekOverWeek.realised).toHaveLength(1);
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats.default(ajv);
    ajv.validate(JSON.parse(readFileSync(projectPath("docs", "recommendations.schema.json"), "utf8")), json);
    expect(ajv.errors ?? []).toEqual([]);
    // And in the Markdown.
    expect(readFileSync(join(dir, "o2", "report.md"), "utf8")).toContain("**Realised**: 1 recommendations");
  });
});
