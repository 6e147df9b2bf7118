/**
 * The real AWS SDK v3 clients talking HTTP to a local fake that speaks the real protocols,
 * pointed at it through AWS_ENDPOINT_URL_COST_EXPLORER / _PRICING / _EC2.
 */
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { awsClientSettings } from "../../src/collect/aws.js";
import { CostExplorer } from "../../src/collect/cost-explorer/client.js";
import { collectCostsLive, UNTAGGED_EC2 } from "../../src/collect/cost-explorer/index.js";
import { PriceList } from "../../src/collect/pricing/client.js";
import { collectPricesLive } from "../../src/collect/pricing/index.js";
import { SpotHistory } from "../../src/collect/spot-history/client.js";
import { collectSpotLive } from "../../src/collect/spot-history/index.js";
import type { Progress } from "../../src/core/context.js";
import { SourceError } from "../../src/core/errors.js";
import { memoryLogger } from "../../src/core/logger.js";
import { projectPath } from "../../src/core/paths.js";
import { type FakeAws, priceListItem, startFakeAws } from "../fixtures/fake-aws.js";

// biome-ignore lint/suspicious/noExplicitAny: recorded Cost Explorer pages.
const demoPages: any[] = JSON.parse(
  readFileSync(projectPath("data", "demo", "aws", "demo-shop", "cost-and-usage.json"), "utf8"),
);

let aws: FakeAws;
const saved = { ...process.env };

function costAndUsage(request: Record<string, unknown>) {
  const groups = ((request.GroupBy as Array<{ Key: string }>) ?? []).map((g) => g.Key).join(",");
  if (groups === "SERVICE,USAGE_TYPE")
    return request.NextPageToken ? demoPages[1].response : demoPages[0].response;
  if (groups === "PURCHASE_TYPE,INSTANCE_TYPE") {
    return {
      GroupDefinitions: request.GroupBy,
      ResultsByTime: [
        {
          TimePeriod: { Start: "2026-11-02", End: "2026-11-03" },
          Total: {},
          Groups: [
            {
              Keys: ["On Demand Instances", "m6i.xlarge"],
              Metrics: { UnblendedCost: { Amount: "82.9440000000", Unit: "USD" } },
            },
          ],
          Estimated: false,
        },
      ],
      DimensionValueAttributes: [],
    };
  }
  // untagged EC2, no grouping: Total only
  return {
    GroupDefinitions: [],
    ResultsByTime: [
      {
        TimePeriod: { Start: "2026-11-02", End: "2026-11-03" },
        Total: { UnblendedCost: { Amount: "12.5", Unit: "USD" } },
        Groups: [],
        Estimated: false,
      },
    ],
    DimensionValueAttributes: [],
  };
}

function products(serviceCode: string, filters: Record<string, string>): string[] {
  if (serviceCode === "AmazonEC2" && filters.instanceType) {
    const windows = filters.operatingSystem === "Windows" && filters.licenseModel === "No License required";
    const prices: Record<string, string> = windows
      ? { "m6i.xlarge": "0.3760000000" }
      : { "m6i.xlarge": "0.1920000000", "c6i.2xlarge": "0.3400000000" };
    const usd = prices[filters.instanceType];
    if (!usd) return [];
    return [
      priceListItem(
        `SKU${filters.instanceType}`,
        "AmazonEC2",
        "Compute Instance",
        {
          instanceType: filters.instanceType,
          regionCode: filters.regionCode!,
          usagetype: `BoxUsage:${filters.instanceType}`,
          operatingSystem: windows ? "Windows" : "Linux",
        },
        "Hrs",
        usd,
      ),
    ];
  }
  if (serviceCode === "AmazonEKS") {
    return [
      priceListItem(
        "EKSVCPU",
        "AmazonEKS",
        "Compute",
        { regionCode: "us-east-1", usagetype: "USE1-Fargate-vCPU-Hours:perCPU" },
        "hours",
        "0.0404800000",
      ),
      priceListItem(
        "EKSGB",
        "AmazonEKS",
        "Compute",
        { regionCode: "us-east-1", usagetype: "USE1-Fargate-GB-Hours" },
        "GB-Hours",
        "0.0044450000",
      ),
      priceListItem(
        "EKSFEE",
        "AmazonEKS",
        "Compute",
        { regionCode: "us-east-1", usagetype: "USE1-AmazonEKS-Hours:perCluster" },
        "Hrs",
        "0.1000000000",
      ),
      priceListItem(
        "EKSEXT",
        "AmazonEKS",
        "Compute",
        { regionCode: "us-east-1", usagetype: "USE1-AmazonEKS-Hours:extendedSupport" },
        "Hrs",
        "0.5000000000",
      ),
      // The Auto Mode fee, as the AmazonEKS offer names it (eksproducttype, lower-case instancetype).
      priceListItem(
        "EKSAUTO",
        "AmazonEKS",
        "Compute",
        {
          regionCode: "us-east-1",
          eksproducttype: "AutoMode",
          operation: "EKSAutoUsage",
          instancetype: "m6i.xlarge",
        },
        "Hrs",
        "0.0230400000",
      ),
      priceListItem(
        "EKSHYB",
        "AmazonEKS",
        "Compute",
        { regionCode: "us-east-1", usagetype: "USE1-AmazonEKS-Hybrid-Nodes:vCPU" },
        "vCPU-Hours",
        "0.0200000000",
      ),
    ];
  }
  if (serviceCode === "AWSELB") {
    // The hourly charge beside the capacity-unit charge, as the Price List has both per family.
    const usd: Record<string, string> = {
      "Load Balancer-Application": "0.0225000000",
      "Load Balancer-Network": "0.0225000000",
      "Load Balancer": "0.0250000000",
    };
    const family = filters.productFamily!;
    return [
      priceListItem(
        `LCU${family}`,
        "AWSELB",
        family,
        { regionCode: "us-east-1", usagetype: "USE1-LCUUsage" },
        "LCU-Hrs",
        "0.0080000000",
      ),
      priceListItem(
        `HRS${family}`,
        "AWSELB",
        family,
        {
          regionCode: "us-east-1",
          usagetype: family === "Load Balancer" ? "LoadBalancerUsage" : "USE1-LoadBalancerUsage",
        },
        "Hrs",
        usd[family]!,
      ),
    ];
  }
  if (serviceCode === "AmazonVPC") {
    return [
      priceListItem(
        "VPCE",
        "AmazonVPC",
        "VpcEndpoint",
        { regionCode: "us-east-1", usagetype: "USE1-VpcEndpoint-Hours" },
        "Hrs",
        "0.0100000000",
      ),
      priceListItem(
        "IPV4",
        "AmazonVPC",
        "",
        { regionCode: "us-east-1", usagetype: "USE1-PublicIPv4:InUseAddress" },
        "Hrs",
        "0.0050000000",
      ),
    ];
  }
  if (serviceCode === "AmazonEC2" && filters.productFamily === "System Operation") {
    const iops = (sku: string, usagetype: string, usd: string) =>
      priceListItem(
        sku,
        "AmazonEC2",
        "System Operation",
        { regionCode: "us-east-1", usagetype },
        "IOPS-Mo",
        usd,
      );
    return [
      iops("GP3IOPS", "EBS:VolumeP-IOPS.gp3", "0.0050000000"),
      iops("IO2IOPS", "EBS:VolumeP-IOPS.io2", "0.0650000000"),
      iops("IO2IOPS2", "EBS:VolumeP-IOPS.io2.tier2", "0.0455000000"),
    ];
  }
  if (serviceCode === "AmazonEC2" && filters.productFamily === "Provisioned Throughput") {
    return [
      priceListItem(
        "GP3TPUT",
        "AmazonEC2",
        "Provisioned Throughput",
        { regionCode: "us-east-1", usagetype: "EBS:VolumeP-Throughput.gp3" },
        "GiBps-mo",
        "40.9600000000",
      ),
    ];
  }
  if (serviceCode === "AmazonEC2" && filters.productFamily === "Storage Snapshot") {
    // The family holds the Standard tier beside the Archive tier's storage and retrieval.
    const snapshot = (sku: string, usagetype: string, unit: string, usd: string) =>
      priceListItem(
        sku,
        "AmazonEC2",
        "Storage Snapshot",
        { regionCode: "us-east-1", storageMedia: "Amazon S3", usagetype },
        unit,
        usd,
      );
    return [
      snapshot("SNAPARCH", "USE1-EBS:SnapshotArchiveStorage", "GB-Mo", "0.0125000000"),
      snapshot("SNAPRETR", "USE1-EBS:SnapshotArchiveRetrieval", "GB", "0.0300000000"),
      snapshot("SNAPSTD", "USE1-EBS:SnapshotUsage", "GB-Mo", "0.0500000000"),
    ];
  }
  if (serviceCode === "AmazonEC2" && filters.productFamily === "Storage") {
    return [
      priceListItem(
        "EBSGP3",
        "AmazonEC2",
        "Storage",
        { regionCode: "us-east-1", volumeApiName: "gp3", usagetype: "EBS:VolumeUsage.gp3" },
        "GB-Mo",
        "0.0800000000",
      ),
      priceListItem(
        "EBSGP2",
        "AmazonEC2",
        "Storage",
        { regionCode: "us-east-1", volumeApiName: "gp2", usagetype: "EBS:VolumeUsage.gp2" },
        "GB-Mo",
        "0.1000000000",
      ),
    ];
  }
  return [];
}

beforeEach(async () => {
  aws = await startFakeAws({
    tags: { "eks:cluster-name": ["demo-shop", "other"] },
    costAndUsage,
    products,
    purchaseTypes: ["On Demand Instances", "Spot Instances", "Savings Plans"],
    forecast: () => ({
      Total: { Amount: "1234.5678", Unit: "USD" },
      ForecastResultsByTime: [
        {
          TimePeriod: { Start: "2026-11-22", End: "2026-12-01" },
          MeanValue: "1234.5678",
          PredictionIntervalLowerBound: "1100.0",
          PredictionIntervalUpperBound: "1380.25",
        },
      ],
    }),
    spot: [
      {
        instanceType: "c6i.2xlarge",
        availabilityZone: "us-east-1a",
        spotPrice: "0.121300",
        timestamp: "2026-11-09T01:00:00.000Z",
      },
      {
        instanceType: "c6i.2xlarge",
        availabilityZone: "us-east-1b",
        spotPrice: "0.118900",
        timestamp: "2026-11-09T03:00:00.000Z",
      },
      {
        instanceType: "c6i.2xlarge",
        availabilityZone: "us-east-1d",
        spotPrice: "0.140000",
        timestamp: "2026-11-09T03:00:00.000Z",
      },
      ...Array.from({ length: 1500 }, (_, i) => ({
        instanceType: "m6i.xlarge",
        availabilityZone: i % 2 ? "us-east-1a" : "us-east-1b",
        spotPrice: (0.07 + (i % 7) / 1000).toFixed(6),
        timestamp: new Date(Date.parse("2026-11-02T00:00:00Z") + i * 600_000).toISOString(),
      })),
    ],
  });
  Object.assign(process.env, aws.env);
});
afterEach(async () => {
  process.env = { ...saved };
  await aws.close();
});

const settings = () => awsClientSettings("us-east-1", 3);
const window = { start: "2026-11-02", end: "2026-11-16" };
const costs = (overrides: Partial<Parameters<typeof collectCostsLive>[1]> = {}) =>
  collectCostsLive(new CostExplorer(settings(), memoryLogger()), {
    cluster: "demo-shop",
    window,
    today: "2026-11-22",
    ...overrides,
  });

describe("Cost Explorer collector", () => {
  it("finds the cluster's tag, follows NextPageToken, and keeps amounts and Estimated exactly", async () => {
    const c = await costs();
    expect(c.tag).toBe("eks:cluster-name=demo-shop");
    expect(c.tried).toEqual(["aws:eks:cluster-name", "eks:cluster-name"]);
    const usage = aws.calls.filter(
      (x) => x.action === "GetCostAndUsage" && JSON.stringify(x.body).includes("USAGE_TYPE"),
    );
    expect(usage.map((x) => (x.body as { NextPageToken?: string }).NextPageToken ?? null)).toEqual([
      null,
      demoPages[0].response.NextPageToken,
    ]);
    expect((usage[0]!.body as { Filter: unknown }).Filter).toEqual({
      Tags: { Key: "eks:cluster-name", Values: ["demo-shop"], MatchOptions: ["EQUALS"] },
    });
    expect((usage[0]!.body as { Metrics: string[] }).Metrics).toEqual([
      "UnblendedCost",
      "AmortizedCost",
      "NetAmortizedCost",
      "UsageQuantity",
    ]);
    const first = demoPages[0].response.ResultsByTime[0].Groups[0];
    expect(c.rows).toContainEqual(
      expect.objectContaining({
        date: "2026-11-02",
        key1: first.Keys[0],
        key2: first.Keys[1],
        metric: "UnblendedCost",
        amount: first.Metrics.UnblendedCost.Amount,
        estimated: false,
      }),
    );
    expect(c.rows.some((r) => r.estimated === true)).toBe(true);
    expect(c.rows).toContainEqual(
      expect.objectContaining({
        group_by: "PURCHASE_TYPE,INSTANCE_TYPE",
        key1: "On Demand Instances",
        key2: "m6i.xlarge",
      }),
    );
    expect(c.rows).toContainEqual(
      expect.objectContaining({
        group_by: UNTAGGED_EC2,
        amount: "12.5",
        tag_filter: "eks:cluster-name absent",
      }),
    );
    expect(c.purchaseTypes).toEqual(["On Demand Instances", "Spot Instances", "Savings Plans"]);
    expect(c.forecast).toEqual([
      expect.objectContaining({
        period_start: "2026-11-22",
        period_end: "2026-12-01",
        mean_usd: "1234.5678",
        lower_usd: "1100.0000000000",
        upper_usd: "1380.2500000000",
        interval_level: 80,
      }),
    ]);
    // GetTags ×2, GetCostAndUsage ×4 (2 pages + purchase types + untagged), GetDimensionValues, GetCostForecast.
    expect(c.paidRequests).toBe(8);
    expect(aws.calls.filter((x) => x.action.startsWith("Get")).length).toBe(8);
  });

  it("reports progress: queries answered of the planned total, with paid requests and pages growing to the collection's counts", async () => {
    const seen: Array<{ task: string; done: number; total?: number; requests?: number; pages?: number }> = [];
    const ended: string[] = [];
    const progress: Progress = {
      update: (task, done, total, counters) => seen.push({ task, done, total, ...counters }),
      end: (task) => ended.push(`${task} after ${seen.length} updates`),
    };
    const c = await costs({ progress });
    expect(new Set(seen.map((u) => u.task))).toEqual(new Set(["cost-explorer demo-shop"]));
    expect(ended).toEqual([`cost-explorer demo-shop after ${seen.length} updates`]);
    // Before the tag is found the total is unknown; then: the tag, 3 bills, purchase types, forecast.
    expect(seen[0]).toEqual({ task: "cost-explorer demo-shop", done: 0, requests: 0, pages: 0 });
    expect(seen.slice(1).every((u) => u.total === 6)).toBe(true);
    const done = seen.map((u) => u.done);
    expect(done.every((d, i) => i === 0 || d >= done[i - 1]!)).toBe(true);
    expect([...new Set(done)]).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const requests = seen.map((u) => u.requests!);
    expect(requests.every((n, i) => i === 0 || n >= requests[i - 1]!)).toBe(true);
    // The first bill has two pages (NextPageToken): an update for each while its query is under way.
    expect(seen.filter((u) => u.done === 1).map((u) => u.pages)).toEqual([0, 1, 2]);
    expect(seen.at(-1)).toEqual({
      task: "cost-explorer demo-shop",
      done: 6,
      total: 6,
      requests: c.paidRequests,
      pages: c.pages,
    });
    expect(c.pages).toBe(4);
  });

  it("fetches only the days not stored yet, and the last 3 again (AWS revises them)", async () => {
    const c = await costs({
      knownTag: { key: "eks:cluster-name", value: "demo-shop" },
      storedThrough: "2026-11-12",
    });
    expect(c.fetched).toEqual({ start: "2026-11-10", end: "2026-11-16" });
    const usage = aws.calls.find((x) => x.action === "GetCostAndUsage")!;
    expect((usage.body as { TimePeriod: unknown }).TimePeriod).toEqual({
      Start: "2026-11-10",
      End: "2026-11-16",
    });
    expect(aws.calls.filter((x) => x.action === "GetTags").length).toBe(1);
  });

  it("names the IAM action that is missing", async () => {
    aws.state.deny.add("GetCostAndUsage");
    const error = await costs().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).message).toContain(
      "AccessDeniedException: the IAM identity may not call ce:GetCostAndUsage",
    );
    expect((error as SourceError).hint).toContain("grant ce:GetCostAndUsage");
  });

  it("names both causes of Cost Explorer's one AccessDeniedException: the IAM action, and Cost Explorer not enabled", async () => {
    aws.state.costExplorerNotEnabled = true;
    const error = await costs().catch((e: unknown) => e);
    expect((error as SourceError).message).toContain("Cost Explorer is not enabled for this account");
    expect((error as SourceError).hint).toContain("Launch Cost Explorer");
  });

  it("rides out throttling with the SDK's retries, and reports it when it persists", async () => {
    aws.state.throttle.set("GetCostAndUsage", 2);
    const ok = await costs();
    expect(ok.rows.length).toBeGreaterThan(0);
    aws.state.throttle.set("GetTags", 10);
    const error = await costs().catch((e: unknown) => e);
    expect((error as SourceError).message).toContain(
      "ce:GetTags was still throttled after 3 attempts (LimitExceededException)",
    );
  });

  it("uses the configured tag key and value, and only those", async () => {
    aws.state.tags = { team: ["shop-prod"] };
    const c = await costs({ configuredTag: "team", configuredTagValue: "shop-prod" });
    expect(c.tag).toBe("team=shop-prod");
    expect(c.tried).toEqual(["team"]);
  });

  it("says which tags were tried when none marks the cluster", async () => {
    aws.state.tags = {};
    const error = await costs().catch((e: unknown) => e);
    expect((error as SourceError).message).toContain(
      "no cost allocation tag marks demo-shop in Cost Explorer (tried aws:eks:cluster-name, eks:cluster-name, eks:eks-cluster-name, kubernetes.io/cluster/demo-shop)",
    );
  });
});

describe("Price List collector", () => {
  it("asks for each instance type with the Linux on-demand filters (Windows nodes' types with Windows's), and reads Fargate, the EKS fee, the Auto Mode fee (eksproducttype AutoMode), EBS with its IOPS, throughput and snapshot storage, load balancer hours and public IPv4", async () => {
    const p = await collectPricesLive(new PriceList(settings(), "us-east-1", memoryLogger()), {
      cluster: "demo-shop",
      region: "us-east-1",
      instanceTypes: ["m6i.xlarge", "c6i.2xlarge", "x9z.huge", "m6i.xlarge"],
      windowsInstanceTypes: ["m6i.xlarge", "c6i.2xlarge"],
      fetchedAt: "2026-11-22T00:00:00Z",
    });
    const ec2 = aws.calls.filter(
      (x) => x.action === "GetProducts" && JSON.stringify(x.body).includes("instanceType"),
    );
    expect(ec2.length).toBe(5);
    expect((ec2[3]!.body as { Filters: unknown[] }).Filters).toEqual(
      expect.arrayContaining([
        { Type: "TERM_MATCH", Field: "operatingSystem", Value: "Windows" },
        { Type: "TERM_MATCH", Field: "licenseModel", Value: "No License required" },
        { Type: "TERM_MATCH", Field: "preInstalledSw", Value: "NA" },
      ]),
    );
    expect((ec2[0]!.body as { Filters: unknown[] }).Filters).toEqual(
      expect.arrayContaining([
        { Type: "TERM_MATCH", Field: "operatingSystem", Value: "Linux" },
        { Type: "TERM_MATCH", Field: "tenancy", Value: "Shared" },
        { Type: "TERM_MATCH", Field: "preInstalledSw", Value: "NA" },
        { Type: "TERM_MATCH", Field: "capacitystatus", Value: "Used" },
        { Type: "TERM_MATCH", Field: "marketoption", Value: "OnDemand" },
        { Type: "TERM_MATCH", Field: "regionCode", Value: "us-east-1" },
      ]),
    );
    expect(p.unpriced).toEqual(["x9z.huge"]);
    const simple = p.rows.map((r) => [
      r.product,
      r.instance_type ?? r.usage_type,
      r.unit,
      r.price_usd,
      r.source,
    ]);
    expect(simple).toEqual([
      ["ec2", "c6i.2xlarge", "Hrs", "0.3400000000", "pricing-api"],
      ["ec2", "m6i.xlarge", "Hrs", "0.1920000000", "pricing-api"],
      // c6i.2xlarge has no Windows price here: no row, so its Windows nodes stay unpriced.
      ["ec2-windows", "m6i.xlarge", "Hrs", "0.3760000000", "pricing-api"],
      ["fargate", "USE1-Fargate-vCPU-Hours:perCPU", "vCPU-Hours", "0.0404800000", "pricing-api"],
      ["fargate", "USE1-Fargate-GB-Hours", "GB-Hours", "0.0044450000", "pricing-api"],
      ["eks", "USE1-AmazonEKS-Hours:perCluster", "Hrs", "0.1000000000", "pricing-api"],
      ["eks", "USE1-AmazonEKS-Hours:extendedSupport", "Hrs", "0.5000000000", "pricing-api"],
      ["eks-auto-mode", "m6i.xlarge", "Hrs", "0.0230400000", "pricing-api"],
      ["ebs", "gp3", "GB-Mo", "0.0800000000", "pricing-api"],
      ["ebs", "gp2", "GB-Mo", "0.1000000000", "pricing-api"],
      ["ebs-iops", "gp3", "IOPS-Mo", "0.0050000000", "pricing-api"],
      ["ebs-iops", "io2", "IOPS-Mo", "0.0650000000", "pricing-api"],
      ["ebs-iops", "io2-tier2", "IOPS-Mo", "0.0455000000", "pricing-api"],
      ["ebs-throughput", "gp3", "MiBps-Mo", "0.04", "pricing-api"],
      // The Standard tier's snapshot storage, not the Archive tier's.
      ["ebs-snapshot", "USE1-EBS:SnapshotUsage", "GB-Mo", "0.0500000000", "pricing-api"],
      // The hourly charge of each type (not its LCU-hours), and an in-use address (not an endpoint).
      ["elb", "application", "Hrs", "0.0225000000", "pricing-api"],
      ["elb", "network", "Hrs", "0.0225000000", "pricing-api"],
      ["elb", "classic", "Hrs", "0.0250000000", "pricing-api"],
      ["ipv4", "public-ipv4", "Hrs", "0.0050000000", "pricing-api"],
    ]);
    expect(
      aws.calls
        .filter((x) => x.action === "GetProducts")
        .map((x) => (x.body as { ServiceCode: string }).ServiceCode)
        .filter((c) => c === "AWSELB" || c === "AmazonVPC"),
    ).toEqual(["AWSELB", "AWSELB", "AWSELB", "AmazonVPC"]);
    expect(p.requests).toBe(14);
  });

  it("prices EBS snapshot storage from productFamily Storage Snapshot in the region, by the Standard tier's usage type EBS:SnapshotUsage", async () => {
    const p = await collectPricesLive(new PriceList(settings(), "us-east-1", memoryLogger()), {
      cluster: "demo-shop",
      region: "us-east-1",
      instanceTypes: [],
      fetchedAt: "2026-11-22T00:00:00Z",
    });
    const asked = aws.calls
      .filter((x) => x.action === "GetProducts")
      .map((x) => x.body as { ServiceCode: string; Filters: unknown[] })
      .filter((b) => JSON.stringify(b.Filters).includes("Storage Snapshot"));
    expect(asked).toHaveLength(1);
    expect(asked[0]!.ServiceCode).toBe("AmazonEC2");
    expect(asked[0]!.Filters).toEqual([
      { Type: "TERM_MATCH", Field: "productFamily", Value: "Storage Snapshot" },
      { Type: "TERM_MATCH", Field: "regionCode", Value: "us-east-1" },
    ]);
    expect(p.rows.filter((r) => r.product === "ebs-snapshot")).toEqual([
      {
        cluster: "demo-shop",
        region: "us-east-1",
        product: "ebs-snapshot",
        instance_type: null,
        usage_type: "USE1-EBS:SnapshotUsage",
        unit: "GB-Mo",
        price_usd: "0.0500000000",
        source: "pricing-api",
        as_of: "2026-11-01",
        fetched_at: "2026-11-22T00:00:00Z",
      },
    ]);
  });

  it("names pricing:GetProducts when it is denied", async () => {
    aws.state.deny.add("GetProducts");
    const error = await collectPricesLive(new PriceList(settings(), "us-east-1", memoryLogger()), {
      cluster: "c",
      region: "us-east-1",
      instanceTypes: ["m6i.xlarge"],
      fetchedAt: "2026-11-22T00:00:00Z",
    }).catch((e: unknown) => e);
    expect((error as SourceError).message).toContain("may not call pricing:GetProducts");
  });
});

describe("spot price history collector", () => {
  it("reads the XML answer across pages and keeps the cluster's zones", async () => {
    const s = await collectSpotLive(
      new SpotHistory(settings(), memoryLogger()),
      {
        cluster: "demo-shop",
        region: "us-east-1",
        instanceTypes: ["c6i.2xlarge", "m6i.xlarge"],
        zones: ["us-east-1a", "us-east-1b"],
        window: { start: new Date("2026-11-02T00:00:00Z"), end: new Date("2026-11-16T00:00:00Z") },
      },
      [],
    );
    const calls = aws.calls.filter((x) => x.action === "DescribeSpotPriceHistory");
    expect(calls.length).toBe(2);
    expect(calls[0]!.body).toMatchObject({
      "InstanceType.1": "c6i.2xlarge",
      "InstanceType.2": "m6i.xlarge",
      "ProductDescription.1": "Linux/UNIX",
      MaxResults: "1000",
    });
    expect(calls[1]!.body).toMatchObject({ NextToken: "1000" });
    expect(s.rows.length).toBe(1502);
    expect(s.rows[0]).toEqual({
      cluster: "demo-shop",
      region: "us-east-1",
      zone: "us-east-1a",
      instance_type: "c6i.2xlarge",
      product_description: "Linux/UNIX",
      price_usd: "0.121300",
      valid_from: "2026-11-09T01:00:00.000Z",
      source: "spot-history",
    });
  });

  it("names ec2:DescribeSpotPriceHistory when it is not authorized", async () => {
    aws.state.deny.add("DescribeSpotPriceHistory");
    const error = await collectSpotLive(
      new SpotHistory(settings(), memoryLogger()),
      {
        cluster: "c",
        region: "us-east-1",
        instanceTypes: ["c6i.2xlarge"],
        zones: [],
        window: { start: new Date("2026-11-02T00:00:00Z"), end: new Date("2026-11-16T00:00:00Z") },
      },
      [],
    ).catch((e: unknown) => e);
    expect((error as SourceError).message).toContain(
      "UnauthorizedOperation: the IAM identity may not call ec2:DescribeSpotPriceHistory",
    );
  });
});
