/**
 * Savings Plans and RI coverage through the real Cost Explorer client against the local fake
 * (JSON 1.1, X-Amz-Target AWSInsightsIndexService.*), answers shaped as the API reference shows
 * them; then what the commitments do to moving on-demand load to spot, on a hand-computed
 * scenario (mart_spot_commitments).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { awsClientSettings } from "../../src/collect/aws.js";
import { CostExplorer } from "../../src/collect/cost-explorer/client.js";
import { mapCommitments } from "../../src/collect/cost-explorer/commitments.js";
import { fetchCommitments } from "../../src/collect/cost-explorer/commitments-client.js";
import type { RowProblem } from "../../src/collect/source.js";
import { SourceError } from "../../src/core/errors.js";
import { memoryLogger } from "../../src/core/logger.js";
import { type FakeAws, startFakeAws } from "../fixtures/fake-aws.js";

let aws: FakeAws;
const saved = { ...process.env };
const window = { start: "2026-11-02", end: "2026-11-04" };

const spCoverage = (day: string, covered: string, onDemand: string) => ({
  Attributes: {},
  Coverage: {
    SpendCoveredBySavingsPlans: covered,
    OnDemandCost: onDemand,
    TotalCost: String(Number(covered) + Number(onDemand)),
    CoveragePercentage: String((Number(covered) / (Number(covered) + Number(onDemand))) * 100),
  },
  TimePeriod: { Start: day, End: `2026-11-0${Number(day.slice(-1)) + 1}` },
});

beforeEach(async () => {
  aws = await startFakeAws({
    costAndUsage: () => ({ ResultsByTime: [] }),
    products: () => [],
    // Two pages: NextToken as the API sends it.
    savingsPlansCoverage: (request) =>
      request.NextToken
        ? { SavingsPlansCoverages: [spCoverage("2026-11-03", "30.0", "10.0")] }
        : { SavingsPlansCoverages: [spCoverage("2026-11-02", "30.0", "10.0")], NextToken: "page-2" },
    savingsPlansUtilization: () => ({
      SavingsPlansUtilizationsByTime: ["2026-11-02", "2026-11-03"].map((day, i) => ({
        TimePeriod: { Start: day, End: `2026-11-0${3 + i}` },
        Utilization: {
          TotalCommitment: "24.0",
          UsedCommitment: "24.0",
          UnusedCommitment: "0.0",
          UtilizationPercentage: "100",
        },
        Savings: { NetSavings: "6.0", OnDemandCostEquivalent: "30.0" },
        AmortizedCommitment: {
          AmortizedRecurringCommitment: "24.0",
          AmortizedUpfrontCommitment: "0",
          TotalAmortizedCommitment: "24.0",
        },
      })),
      Total: { Utilization: { TotalCommitment: "48.0", UsedCommitment: "48.0", UnusedCommitment: "0.0" } },
    }),
    reservationCoverage: () => ({
      CoveragesByTime: [
        {
          TimePeriod: { Start: "2026-11-02", End: "2026-11-03" },
          Groups: [],
          Total: {
            CoverageHours: {
              OnDemandHours: "72",
              ReservedHours: "24",
              TotalRunningHours: "96",
              CoverageHoursPercentage: "25",
            },
            CoverageCost: { OnDemandCost: "12.5" },
          },
        },
      ],
    }),
  });
  Object.assign(process.env, aws.env);
});
afterEach(async () => {
  process.env = { ...saved };
  await aws.close();
});

const ce = () => new CostExplorer(awsClientSettings("us-east-1", 3), memoryLogger());

describe("Savings Plans and RI coverage from Cost Explorer", () => {
  it("asks the three calls for EC2 in the cluster's region, follows NextToken, and keeps every day's amounts", async () => {
    const client = ce();
    const recorded = await fetchCommitments(client, window, "us-east-1");
    const problems: RowProblem[] = [];
    const rows = mapCommitments(recorded, "demo", problems);
    expect(problems).toEqual([]);
    expect(aws.calls.map((c) => c.action)).toEqual([
      "GetSavingsPlansCoverage",
      "GetSavingsPlansCoverage",
      "GetSavingsPlansUtilization",
      "GetReservationCoverage",
    ]);
    expect(client.paidRequests).toBe(4);
    const coverage = aws.calls[0]!.body as Record<string, unknown>;
    expect(coverage).toMatchObject({
      TimePeriod: { Start: "2026-11-02", End: "2026-11-04" },
      Granularity: "DAILY",
      Filter: {
        And: [
          { Dimensions: { Key: "SERVICE", Values: ["Amazon Elastic Compute Cloud - Compute"] } },
          { Dimensions: { Key: "REGION", Values: ["us-east-1"] } },
        ],
      },
    });
    expect(aws.calls[1]!.body).toMatchObject({ NextToken: "page-2" });
    expect(rows.filter((r) => r.measure === "coverage" && r.commitment === "savings-plans")).toEqual([
      expect.objectContaining({ period_start: "2026-11-02", covered_usd: "30.0", on_demand_usd: "10.0" }),
      expect.objectContaining({ period_start: "2026-11-03", covered_usd: "30.0", on_demand_usd: "10.0" }),
    ]);
    expect(
      rows.filter((r) => r.measure === "utilization").map((r) => [r.commitment_usd, r.used_usd]),
    ).toEqual([
      ["24.0", "24.0"],
      ["24.0", "24.0"],
    ]);
    expect(rows.find((r) => r.commitment === "reserved-instances")).toMatchObject({
      covered_hours: 24,
      on_demand_hours: 72,
      on_demand_usd: "12.5",
    });
  });

  it("takes DataUnavailableException from GetSavingsPlansUtilization as an account without Savings Plans", async () => {
    aws.state.savingsPlansUtilization = undefined;
    const recorded = await fetchCommitments(ce(), window, "us-east-1");
    expect(recorded.savingsPlansUtilization).toBeNull();
    expect(mapCommitments(recorded, "demo", []).some((r) => r.measure === "utilization")).toBe(false);
  });

  it("names ce:GetSavingsPlansCoverage when it is denied", async () => {
    aws.state.deny.add("GetSavingsPlansCoverage");
    const error = await fetchCommitments(ce(), window, "us-east-1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).hint).toContain("grant ce:GetSavingsPlansCoverage");
  });

  it("leaves out a day whose amount is not a decimal, naming it, and keeps the others", async () => {
    const recorded = await fetchCommitments(ce(), window, "us-east-1");
    recorded.savingsPlansCoverage[0]!.response.SavingsPlansCoverages![0]!.Coverage!.OnDemandCost = "ten";
    const problems: RowProblem[] = [];
    const rows = mapCommitments(recorded, "demo", problems);
    expect(rows.filter((r) => r.measure === "coverage" && r.commitment === "savings-plans")).toHaveLength(1);
    expect(problems).toEqual([
      expect.objectContaining({
        object: "GetSavingsPlansCoverage SavingsPlansCoverages[0]",
        field: "OnDemandCost",
        value: "ten",
        rule: "decimal",
      }),
    ]);
  });
});
