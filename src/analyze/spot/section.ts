/**
 * Spot / on-demand mix: per workload, whether it tolerates spot interruptions and why; what runs
 * on spot and should not (priced as the on-demand premium to move it); per capacity pool, the
 * baseline to keep on on-demand and the spot-ready burst above it, priced; how diversified each
 * spot pool is.
 */
import type { z } from "zod";
import { round } from "../../report/format.js";
import type { Section, SectionInput } from "../analyzer.js";
import type { spotSettings } from "./settings.js";

const WORKLOADS = {
  cluster: "string",
  namespace: "string",
  workload_kind: "string",
  workload_name: "string",
  pods: "number",
  pods_on_spot: "number",
  capacity_pool: "string?",
  spot_ready: "boolean",
  blockers: "strings",
  warnings: "strings",
  status: "string",
  reason: "string",
  monthly_cost_usd: "number?",
} as const;

const POOLS = {
  cluster: "string",
  capacity_pool: "string",
  is_nodepool: "boolean",
  avg_requested_cores: "number",
  baseline_cores: "number",
  spot_ready_share: "number",
  current_spot_share: "number",
  recommended_spot_share: "number",
  current_on_demand_node_hours: "number",
  current_spot_node_hours: "number",
  recommended_on_demand_node_hours: "number",
  recommended_spot_node_hours: "number",
  spot_price_source: "string?",
  current_monthly_usd: "number?",
  recommended_monthly_usd: "number?",
  status: "string",
  reason: "string",
  monthly_savings_usd: "number",
  instance_types: "number",
  instance_types_from_nodepool: "boolean",
  zones: "number",
  zone_names: "string?",
  diversification_risks: "strings",
} as const;

const COMMITMENTS = {
  cluster: "string",
  status: "string",
  sp_coverage_share: "number?",
  sp_utilization_share: "number?",
  sp_unused_monthly_usd: "number?",
  ri_coverage_share: "number?",
  uncovered_monthly_usd: "number?",
  moved_on_demand_monthly_usd: "number",
  priced_savings_monthly_usd: "number",
  realised_savings_monthly_usd: "number",
  stranded_commitment_monthly_usd: "number",
  reason: "string",
} as const;

export async function spotSection({ marts }: SectionInput<z.output<typeof spotSettings>>): Promise<Section> {
  const workloads = await marts.read("mart_spot_readiness", WORKLOADS, [
    "cluster",
    "namespace",
    "workload_kind",
    "workload_name",
  ]);
  const pools = (
    await marts.read("mart_spot_pools", POOLS, [
      { column: "monthly_savings_usd", round: 4, desc: true },
      "cluster",
      "capacity_pool",
    ])
  ).map((p) => ({
    ...p,
    // Diversification matters where spot runs or is recommended.
    diversificationRisks:
      p.currentSpotShare > 0 || p.status === "more_spot" ? p.diversificationRisks : ([] as string[]),
  }));
  const commitments = await marts.read("mart_spot_commitments", COMMITMENTS, ["cluster"]);
  const atRisk = workloads.filter((w) => w.status === "at_risk");
  const moreSpot = pools.filter((p) => p.status === "more_spot" && p.monthlySavingsUsd > 0);
  // What commitments take back: covered hours moved to spot save nothing until the commitment ends.
  const stranded = commitments.reduce((a, c) => a + c.strandedCommitmentMonthlyUsd, 0);
  const savingsUsd = moreSpot.reduce((a, p) => a + p.monthlySavingsUsd, 0) - stranded;
  const covered = commitments.filter((c) => c.status === "covered");
  const commitmentNote =
    covered.length > 0
      ? `; Savings Plans/RIs cover part of the on-demand spend${stranded > 0 ? `: $${stranded.toFixed(2)} a month of the move lands on covered hours and saves nothing until the commitment expires` : moreSpot.length > 0 ? ", the move stays within the uncovered spend" : " (nothing moves to spot, so none of it is left unused)"}`
      : commitments.some((c) => c.status === "no_data")
        ? "; no Savings Plans/RI coverage was read, so commitments are assumed absent"
        : "";
  const priced = pools.filter((p) => p.status !== "unpriced");
  const savings =
    pools.length === 0
      ? { monthlyUsd: null, reason: "no EC2 capacity pool in the run" }
      : priced.length === 0
        ? {
            monthlyUsd: null,
            reason: "no spot price for any pool's instance types and zones: no spot history and no spot node",
          }
        : {
            monthlyUsd: savingsUsd,
            reason: `${moreSpot.length} of ${pools.length} pools with a spot-ready burst above their baseline to move to spot (pools with load on spot that is not spot-ready are a reliability cost, not counted)${pools.length > priced.length ? `; ${pools.length - priced.length} unpriced (no spot price)` : ""}${commitmentNote}`,
          };
  return {
    view: {
      workloads,
      ready: workloads.filter((w) => w.status === "ready").length,
      notReady: workloads.filter((w) => w.status === "not_ready").length,
      atRisk,
      atRiskUsd: atRisk.reduce((a, w) => a + (w.monthlyCostUsd ?? 0), 0),
      pools,
      commitments,
      savingsUsd,
    },
    savings: { category: "spot", label: "spot for the spot-ready burst", confidence: "estimate", ...savings },
    recommendations: {
      spot: {
        workloads: workloads.map((w) => ({
          cluster: w.cluster,
          namespace: w.namespace,
          workloadKind: w.workloadKind,
          workloadName: w.workloadName,
          spotReady: w.spotReady,
          reasons: w.blockers,
          warnings: w.warnings,
          pods: w.pods,
          podsOnSpot: w.podsOnSpot,
          status: w.status,
          reason: w.reason,
          monthlyCostUsd: w.monthlyCostUsd === null ? null : round(w.monthlyCostUsd),
        })),
        pools: pools.map((p) => ({
          cluster: p.cluster,
          capacityPool: p.capacityPool,
          kind: p.isNodepool ? "NodePool" : "node group",
          baselineCores: round(p.baselineCores),
          averageRequestedCores: round(p.avgRequestedCores),
          spotReadyShare: round(p.spotReadyShare),
          current: {
            spotShare: round(p.currentSpotShare),
            onDemandNodeHours: round(p.currentOnDemandNodeHours),
            spotNodeHours: round(p.currentSpotNodeHours),
            monthlyUsd: p.currentMonthlyUsd === null ? null : round(p.currentMonthlyUsd),
          },
          recommended: {
            spotShare: round(p.recommendedSpotShare),
            onDemandNodeHours: round(p.recommendedOnDemandNodeHours),
            spotNodeHours: round(p.recommendedSpotNodeHours),
            monthlyUsd: p.recommendedMonthlyUsd === null ? null : round(p.recommendedMonthlyUsd),
          },
          spotPriceSource: p.spotPriceSource,
          monthlySavingsUsd: round(p.monthlySavingsUsd),
          status: p.status,
          reason: p.reason,
          instanceTypes: p.instanceTypes,
          instanceTypesFrom: p.instanceTypesFromNodepool ? "NodePool requirements" : "nodes seen",
          zones: p.zoneNames ? p.zoneNames.split(", ") : [],
          diversificationRisks: p.diversificationRisks,
        })),
        commitments: commitments.map((c) => ({
          cluster: c.cluster,
          status: c.status,
          savingsPlansCoverage: c.spCoverageShare === null ? null : round(c.spCoverageShare),
          savingsPlansUtilization: c.spUtilizationShare === null ? null : round(c.spUtilizationShare),
          savingsPlansUnusedMonthlyUsd: c.spUnusedMonthlyUsd === null ? null : round(c.spUnusedMonthlyUsd),
          reservedInstancesCoverage: c.riCoverageShare === null ? null : round(c.riCoverageShare),
          uncoveredOnDemandMonthlyUsd: c.uncoveredMonthlyUsd === null ? null : round(c.uncoveredMonthlyUsd),
          movedOnDemandMonthlyUsd: round(c.movedOnDemandMonthlyUsd),
          pricedSavingsMonthlyUsd: round(c.pricedSavingsMonthlyUsd),
          realisedSavingsMonthlyUsd: round(c.realisedSavingsMonthlyUsd),
          strandedCommitmentMonthlyUsd: round(c.strandedCommitmentMonthlyUsd),
          reason: c.reason,
        })),
        monthlySavingsUsd: round(savingsUsd),
      },
    },
    csv: {
      file: "spot.csv",
      columns: [
        { name: "cluster" },
        { name: "namespace" },
        { name: "workloadKind" },
        { name: "workloadName" },
        { name: "pods" },
        { name: "podsOnSpot" },
        { name: "spotReady" },
        { name: "status" },
        { name: "monthlyCostUsd", digits: 2 },
        { name: "reason" },
      ],
      rows: workloads,
    },
    caveats: pools.length
      ? [
          "The spot mix splits each pool's node-hours in proportion to the recommended share; it keeps the pool's instance types and does not re-pack nodes with the simulator. Savings Plans and RI coverage come from Cost Explorer for the account (utilisation) and EC2 in the region (coverage): the cluster's share of them is not known, so the uncovered spend is the region's.",
        ]
      : [],
  };
}
