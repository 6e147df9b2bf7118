import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mapCostAndUsage } from "../../../src/collect/cost-explorer/map.js";
import { collectSnapshotPrices } from "../../../src/collect/pricing/index.js";
import { parsePriceListItem, snapshotPriceRows } from "../../../src/collect/pricing/map.js";
import type { RowProblem } from "../../../src/collect/source.js";
import { mapSpotPriceHistory } from "../../../src/collect/spot-history/map.js";
import { InputError } from "../../../src/core/errors.js";

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, "../../fixtures/aws", name), "utf8"));

describe("Cost Explorer GetCostAndUsage → aws_costs", () => {
  it("maps AWS's documented example: one row per day, group and metric, amounts kept as strings", () => {
    const rows = mapCostAndUsage(
      fixture("ce-get-cost-and-usage.response.json"),
      "prod",
      "aws:eks:cluster-name=prod",
      { start: "2017-09-01", end: "2017-09-03" },
      [],
    );
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual({
      cluster: "prod",
      date: "2017-09-01",
      group_by: "SERVICE,Environment",
      key1: "Amazon Simple Storage Service",
      key2: "Environment$",
      metric: "BlendedCost",
      amount: "40.3527508453",
      unit: "USD",
      estimated: false,
      tag_filter: "aws:eks:cluster-name=prod",
      source: "cost-explorer",
    });
    expect(rows.find((r) => r.key2 === "Environment$Dev" && r.metric === "UsageQuantity")?.amount).toBe(
      "22403.4395271182",
    );
  });

  it("uses Total when a response is not grouped", () => {
    const rows = mapCostAndUsage(
      {
        ResultsByTime: [
          {
            TimePeriod: { Start: "2026-11-01", End: "2026-11-02" },
            Total: { UnblendedCost: { Amount: "12.5", Unit: "USD" } },
            Estimated: true,
          },
        ],
      },
      "prod",
      null,
      { start: "2026-11-01", end: "2026-11-15" },
      [],
    );
    expect(rows).toEqual([
      expect.objectContaining({ group_by: "TOTAL", key1: "TOTAL", amount: "12.5", estimated: true }),
    ]);
  });

  it("leaves out a group whose amount is not a number (all its metrics), naming the day, group and metric", () => {
    const response = fixture("ce-get-cost-and-usage.response.json");
    response.ResultsByTime[0].Groups[1].Metrics.UnblendedCost.Amount = "n/a";
    const problems: RowProblem[] = [];
    const rows = mapCostAndUsage(
      response,
      "prod",
      null,
      { start: "2017-09-01", end: "2017-09-03" },
      problems,
    );
    // Two groups of three metrics: the broken group goes whole, its three metrics with it.
    expect(rows).toHaveLength(3);
    expect(rows.some((r) => r.key2 === "Environment$Dev" && r.date === "2017-09-01")).toBe(false);
    expect(problems).toEqual([
      {
        object: "GetCostAndUsage 2017-09-01 Amazon Simple Storage Service/Environment$Dev",
        field: "Metrics.UnblendedCost.Amount",
        value: "n/a",
        rule: "decimal",
        message:
          'GetCostAndUsage 2017-09-01 Amazon Simple Storage Service/Environment$Dev: Metrics.UnblendedCost.Amount: "n/a" is not an amount (a decimal below 10^27)',
      },
    ]);
  });

  it("leaves out a day outside the window", () => {
    const response = fixture("ce-get-cost-and-usage.response.json");
    const problems: RowProblem[] = [];
    const rows = mapCostAndUsage(
      response,
      "prod",
      null,
      { start: "2017-09-02", end: "2017-09-03" },
      problems,
    );
    expect(rows.every((r) => r.date === "2017-09-02")).toBe(true);
    expect(problems).toEqual([
      expect.objectContaining({ field: "TimePeriod.Start", value: "2017-09-01", rule: "in-window" }),
    ]);
  });
});

describe("Price List GetProducts", () => {
  it("parses the documented PriceList item (a JSON string) down to pricePerUnit.USD", () => {
    const response = fixture("pricing-get-products.response.json");
    const [product] = parsePriceListItem(response.PriceList[0]);
    expect(product).toEqual({
      sku: "WQGC34PB2AWS8R4U",
      serviceCode: "AmazonEC2",
      productFamily: "Storage",
      attributes: expect.objectContaining({
        usagetype: "CAN1-EBS:VolumeUsage.piops",
        volumeType: "Provisioned IOPS",
      }),
      unit: "GB-Mo",
      usd: "0.1380000000",
      effectiveDate: "2017-08-01T00:00:00Z",
    });
  });

  it("says which item is not a JSON string", () => {
    expect(() => parsePriceListItem("{not json", 3)).toThrow(InputError);
    expect(() => parsePriceListItem("{not json", 3)).toThrow("PriceList[3]");
  });

  it("prices the snapshot's instance types, the EKS fee and EBS, and lists the types it lacks", () => {
    const { rows, unpriced } = snapshotPriceRows(
      {
        ec2: new Map([["m6i.xlarge", "0.192"]]),
        ec2AsOf: "2026-07-20",
        fargate: { vcpu: "0.04048", gb: "0.004445", asOf: "2021-01" },
        services: [
          { product: "eks", item: "standard-support", unit: "Hrs", usd: "0.10", asOf: "undated" },
          { product: "ebs", item: "gp3", unit: "GB-Mo", usd: "0.08", asOf: "2026-02-24" },
        ],
      },
      "prod",
      "us-east-1",
      ["m6i.xlarge", "m6i.xlarge", "x9z.huge"],
      "2026-11-16T00:00:00Z",
    );
    expect(unpriced).toEqual(["x9z.huge"]);
    expect(rows.map((r) => [r.product, r.unit, r.price_usd, r.source])).toEqual([
      ["ec2", "Hrs", "0.192", "snapshot"],
      ["fargate", "vCPU-Hours", "0.04048", "snapshot"],
      ["fargate", "GB-Hours", "0.004445", "snapshot"],
      ["eks", "Hrs", "0.10", "snapshot"],
      ["ebs", "GB-Mo", "0.08", "snapshot"],
    ]);
    // EBS rows name their volume type where EC2 rows name the instance type, as the API rows do.
    expect(rows.find((r) => r.product === "ebs")).toMatchObject({
      instance_type: "gp3",
      usage_type: "EBS:VolumeUsage.gp3",
    });
  });
});

describe("the dated snapshot of prices (data/reference)", () => {
  it("prices EBS snapshots' Standard tier offline in us-east-1 only, at AWS's own figure, under the bill's usage type", () => {
    const snapshot = (region: string) =>
      collectSnapshotPrices("c", region, [], "2026-11-29T00:00:00Z").rows.filter(
        (r) => r.product === "ebs-snapshot",
      );
    expect(snapshot("us-east-1")).toEqual([
      {
        cluster: "c",
        region: "us-east-1",
        product: "ebs-snapshot",
        instance_type: null,
        usage_type: "EBS:SnapshotUsage",
        unit: "GB-Mo",
        price_usd: "0.05",
        source: "snapshot",
        as_of: "2026-11-29",
        fetched_at: "2026-11-29T00:00:00Z",
      },
    ]);
    // The AWS page names no region: no other region borrows it.
    expect(snapshot("eu-west-1")).toEqual([]);
  });
});

describe("DescribeSpotPriceHistory → aws_spot_prices", () => {
  it("keeps every price change with its zone and time", () => {
    const rows = mapSpotPriceHistory(
      {
        SpotPriceHistory: [
          {
            AvailabilityZone: "us-east-1a",
            InstanceType: "c6i.xlarge",
            ProductDescription: "Linux/UNIX",
            SpotPrice: "0.061200",
            Timestamp: new Date("2026-11-10T04:00:00Z"),
          },
          {
            AvailabilityZone: "us-east-1b",
            InstanceType: "c6i.xlarge",
            ProductDescription: "Linux/UNIX",
            SpotPrice: "0.0598",
            Timestamp: "2026-11-09T01:00:00.000Z",
          },
        ],
      },
      "prod",
      "us-east-1",
      new Date("2026-11-16T00:00:00Z"),
      [],
    );
    expect(rows.map((r) => [r.zone, r.price_usd, r.valid_from])).toEqual([
      ["us-east-1a", "0.061200", "2026-11-10T04:00:00.000Z"],
      ["us-east-1b", "0.0598", "2026-11-09T01:00:00.000Z"],
    ]);
  });

  it.each([
    ["an empty price", { SpotPrice: "" }, "SpotPrice", "price"],
    ["a negative price", { SpotPrice: "-0.5" }, "SpotPrice", "price"],
    ["a time that is not one", { Timestamp: "yesterday" }, "Timestamp", "time"],
    ["a time after the window", { Timestamp: "2026-12-01T00:00:00Z" }, "Timestamp", "in-window"],
  ])("leaves out a price change with %s and keeps the others", (_, change, field, rule) => {
    const good = {
      AvailabilityZone: "us-east-1a",
      InstanceType: "c6i.xlarge",
      SpotPrice: "0.06",
      Timestamp: "2026-11-09T01:00:00Z",
    };
    const problems: RowProblem[] = [];
    const rows = mapSpotPriceHistory(
      { SpotPriceHistory: [{ ...good, ...change }, good] },
      "prod",
      "us-east-1",
      new Date("2026-11-16T00:00:00Z"),
      problems,
    );
    expect(rows).toHaveLength(1);
    expect(problems).toEqual([
      expect.objectContaining({ object: "spot price c6i.xlarge us-east-1a [0]", field, rule }),
    ]);
  });
});
