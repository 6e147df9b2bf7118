/**
 * A live `capacity run` against a fake Kubernetes API server and fake AWS endpoints, twice:
 * the second run asks Cost Explorer only for the days it lacks and the last 3 (revised by AWS
 * meanwhile), carries the rest over, and reuses the prices fetched the first time.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../src/core/logger.js";
import { projectPath } from "../../src/core/paths.js";
import { Store } from "../../src/store/store.js";
import { demoClusterData, type FakeApiServer, startFakeApiServer } from "../fixtures/fake-apiserver.js";
import { type FakeAws, priceListItem, startFakeAws } from "../fixtures/fake-aws.js";
import { type FakeEks, startFakeEks } from "../fixtures/fake-eks.js";
import { cliAsync } from "./cli.js";

let k8s: FakeApiServer;
let aws: FakeAws;
let eks: FakeEks;
let dir: string;
let env: Record<string, string>;
const revised = new Map<string, string>();

const days = (start: string, end: string) => {
  const out: string[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); t < Date.parse(`${end}T00:00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
};

/** A plausible daily bill for any day asked: compute lines, with the last two days estimated. */
function bill(request: Record<string, unknown>) {
  const period = request.TimePeriod as { Start: string; End: string };
  const today = new Date().toISOString().slice(0, 10);
  const list = days(period.Start, period.End);
  const grouped = ((request.GroupBy as unknown[]) ?? []).length > 0;
  const results = list.map((date) => {
    const estimated = Date.parse(date) >= Date.parse(today) - 2 * 86_400_000;
    const amount = revised.get(date) ?? "100.0000000000";
    return {
      TimePeriod: { Start: date, End: new Date(Date.parse(date) + 86_400_000).toISOString().slice(0, 10) },
      Total: grouped ? {} : { UnblendedCost: { Amount: "7.0000000000", Unit: "USD" } },
      Groups: grouped
        ? [
            {
              Keys: ["Amazon Elastic Compute Cloud - Compute", "BoxUsage:m6i.xlarge"],
              Metrics: { UnblendedCost: { Amount: amount, Unit: "USD" } },
            },
            {
              Keys: ["Amazon Elastic Compute Cloud - Compute", "SpotUsage:c6i.2xlarge"],
              Metrics: { UnblendedCost: { Amount: "20.0000000000", Unit: "USD" } },
            },
          ]
        : [],
      Estimated: estimated,
    };
  });
  return { GroupDefinitions: request.GroupBy ?? [], ResultsByTime: results, DimensionValueAttributes: [] };
}

beforeAll(async () => {
  k8s = await startFakeApiServer(demoClusterData(projectPath("data", "demo")));
  aws = await startFakeAws({
    tags: { "aws:eks:cluster-name": ["demo-shop"] },
    costAndUsage: bill,
    purchaseTypes: ["On Demand Instances", "Spot Instances"],
    products: (serviceCode, filters) =>
      serviceCode === "AmazonEC2" && filters.instanceType
        ? [
            priceListItem(
              `S${filters.instanceType}`,
              "AmazonEC2",
              "Compute Instance",
              { instanceType: filters.instanceType, regionCode: "us-east-1" },
              "Hrs",
              "0.2000000000",
            ),
          ]
        : [],
    spot: [
      {
        instanceType: "c6i.2xlarge",
        availabilityZone: "us-east-1a",
        spotPrice: "0.120000",
        timestamp: "2026-11-01T00:00:00.000Z",
      },
    ],
  });
  const answers = JSON.parse(
    readFileSync(projectPath("data", "demo", "aws", "demo-shop", "eks.json"), "utf8"),
  );
  // EC2 is fake-aws's endpoint here (spot prices): it answers DescribeSubnets too.
  aws.state.subnets = answers.subnets;
  eks = await startFakeEks({
    clusters: { "demo-shop": answers.cluster },
    nodegroups: { "demo-shop": answers.nodegroups },
    fargateProfiles: { "demo-shop": answers.fargateProfiles },
  });
  dir = mkdtempSync(join(tmpdir(), "capacity-live-aws-"));
  writeFileSync(join(dir, "kubeconfig"), k8s.kubeconfig([{ name: "shop" }]));
  writeFileSync(
    join(dir, "capacity.yaml"),
    "clusters:\n  - name: demo-shop\n    context: shop\n    region: us-east-1\naws:\n  maxAttempts: 2\n",
  );
  env = { KUBECONFIG: join(dir, "kubeconfig"), ...aws.env, AWS_ENDPOINT_URL_EKS: eks.url };
});
afterAll(async () => {
  await k8s?.close();
  await aws?.close();
  await eks?.close();
});

describe("live AWS collection", () => {
  it("collects the bill, prices and spot history, and fetches only new days the second time", async () => {
    const db = join(dir, "c.duckdb");
    const first = await cliAsync(["run", "--database", db, "--out", join(dir, "out1")], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(3); // usage history (Prometheus) is not collected live yet
    const firstCalls = aws.calls.length;
    const ce1 = first.lines.find((l) => l.msg === "cost explorer collected");
    expect(ce1).toMatchObject({ tag: "aws:eks:cluster-name=demo-shop", fetchedFrom: expect.any(String) });

    const today = new Date().toISOString().slice(0, 10);
    const twoDaysAgo = new Date(Date.parse(today) - 2 * 86_400_000).toISOString().slice(0, 10);
    revised.set(twoDaysAgo, "111.1100000000"); // AWS revised an estimated day

    const second = await cliAsync(["run", "--database", db, "--out", join(dir, "out2")], { cwd: dir, env });
    expect(second.code, second.stderr).toBe(3);
    const calls = aws.calls.slice(firstCalls);
    const usage = calls.filter((c) => c.action === "GetCostAndUsage");
    const threeDaysAgo = new Date(Date.parse(today) - 3 * 86_400_000).toISOString().slice(0, 10);
    expect(
      usage.every((c) => (c.body as { TimePeriod: { Start: string } }).TimePeriod.Start === threeDaysAgo),
    ).toBe(true);
    expect(calls.filter((c) => c.action === "GetProducts")).toEqual([]); // prices reused (< 7 days old)
    expect(calls.filter((c) => c.action === "GetTags").length).toBe(1); // the known tag, asked first

    const store = await Store.open(db, memoryLogger());
    try {
      const runs = await store.all<{ run_id: string }>("SELECT run_id FROM runs ORDER BY started_at");
      expect(runs.length).toBe(2);
      const line = (runId: string, date: string) =>
        store.one<{ amount: string; n: bigint }>(
          "SELECT any_value(amount)::VARCHAR AS amount, count(*) AS n FROM aws_costs WHERE run_id = $1 AND date = $2::DATE AND key2 = 'BoxUsage:m6i.xlarge' AND metric = 'UnblendedCost' AND group_by = 'SERVICE,USAGE_TYPE'",
          [runId, date],
        );
      expect((await line(runs[1]!.run_id, twoDaysAgo))?.amount).toBe("111.1100000000");
      const early = new Date(Date.parse(today) - 10 * 86_400_000).toISOString().slice(0, 10);
      expect(await line(runs[1]!.run_id, early)).toEqual({ amount: "100.0000000000", n: 1n }); // carried over, once
      const prices = await store.all<{ source: string }>(
        "SELECT DISTINCT source FROM aws_prices WHERE run_id = $1 AND product = 'ec2'",
        [runs[1]!.run_id],
      );
      expect(prices).toEqual([{ source: "pricing-api" }]);
      const spot = await store.one<{ n: bigint }>(
        "SELECT count(*) AS n FROM aws_spot_prices WHERE run_id = $1",
        [runs[1]!.run_id],
      );
      expect(spot?.n).toBe(1n);
    } finally {
      store.close();
    }
    const md = readFileSync(join(dir, "out2", "report.md"), "utf8");
    expect(md).toContain("aws:eks:cluster-name=demo-shop");
    expect(md).toContain("Purchase types on the account (demo-shop): On Demand Instances, Spot Instances.");
  }, 600_000); // two whole runs: over a minute on a loaded machine

  it("falls back to the snapshot when the Price List API is denied, and says so", async () => {
    aws.state.deny.add("GetProducts");
    const db = join(dir, "denied.duckdb");
    const r = await cliAsync(["run", "--database", db, "--out", join(dir, "out3")], { cwd: dir, env });
    aws.state.deny.delete("GetProducts");
    expect(r.code, r.stderr).toBe(3);
    const json = JSON.parse(readFileSync(join(dir, "out3", "recommendations.json"), "utf8"));
    const pricing = json.sources.find((s: { source: string }) => s.source === "pricing");
    expect(pricing).toMatchObject({
      status: "partial",
      error: expect.stringContaining("may not call pricing:GetProducts"),
    });
    expect(pricing.error).toContain("priced from the dated snapshot instead");
    expect(readFileSync(join(dir, "out3", "report.md"), "utf8")).toContain("come from the dated snapshot");
  });

  it("goes on without node group sizes when eks:DescribeNodegroup is denied, and names the action", async () => {
    eks.state.deny.add("DescribeNodegroup");
    const db = join(dir, "eks-denied.duckdb");
    const r = await cliAsync(["run", "--database", db, "--out", join(dir, "out4")], { cwd: dir, env });
    eks.state.deny.delete("DescribeNodegroup");
    expect(r.code, r.stderr).toBe(3);
    const json = JSON.parse(readFileSync(join(dir, "out4", "recommendations.json"), "utf8"));
    const source = json.sources.find((s: { source: string }) => s.source === "eks");
    expect(source).toMatchObject({
      status: "partial",
      error: expect.stringContaining("may not call eks:DescribeNodegroup"),
    });
    expect(source.error).toContain("does not hold node groups to their min/max");
    const store = await Store.open(db, memoryLogger());
    try {
      const clusters = await store.all<{ version: string; support_type: string }>(
        "SELECT version, support_type FROM eks_clusters",
      );
      expect(clusters).toEqual([{ version: "1.31", support_type: "EXTENDED" }]);
    } finally {
      store.close();
    }
  });
});
