/**
 * Reconciliation: the modeled cost set against Cost Explorer's bill, per day and over the billed
 * days, with the gap explained (instance-hours, prices, fee, storage), what the bill filter
 * covers, and the Fargate pods' billed sizes. No settings of its own.
 */
import { round, roundOrNull } from "../../report/format.js";
import type { Section, SectionInput } from "../analyzer.js";
import type { RowOf } from "../marts.js";
import { dailyCostChart, reconciliationChart } from "./charts.js";
import { type ClusterReconciliation, explainGap, type ReconciliationLine } from "./explain.js";

const DAYS = {
  cluster: "string",
  date: "date",
  has_bill: "boolean",
  whole_day: "boolean",
  compared: "boolean",
  window_hours: "number",
  estimated: "boolean",
  modeled_usd: "number",
  billed_usd: "number",
  billed_monthly_rate_usd: "number",
  gap_usd: "number",
  modeled_on_demand_usd: "number",
  modeled_spot_usd: "number",
  modeled_fargate_usd: "number",
  modeled_eks_fee_usd: "number",
  modeled_storage_usd: "number",
  billed_on_demand_usd: "number?",
  billed_spot_usd: "number?",
  billed_fargate_usd: "number?",
  billed_eks_fee_usd: "number?",
  billed_storage_usd: "number?",
  billed_other_usd: "number?",
  billed_other_metric_usd: "number?",
  cost_metric: "string?",
} as const;

const INSTANCES = {
  cluster: "string",
  purchase: "string",
  instance_type: "string",
  billed_hours: "number",
  modeled_hours: "number",
  billed_usd: "number",
  modeled_usd: "number",
  gap_usd: "number",
  hours_gap: "number",
  hours_gap_usd: "number",
} as const;

const EVIDENCE = {
  cluster: "string",
  days_compared: "number",
  partial_days: "string?",
  unknown_node_hours: "number",
  unknown_node_names: "string?",
  ec2_node_hours: "number",
  ec2_nodes: "number",
  untagged_ec2_usd: "number?",
  committed_billed_hours: "number",
  commitment_types: "string?",
  committed_node_hours: "number",
  commitment_saving_usd: "number",
  coverage_moves: "string?",
  eks_version: "string?",
  eks_support_type: "string?",
  extended_support_hours: "number",
  unknown_support_hours: "number",
  pvc_performance_usd: "number",
  pvc_performance_count: "number",
  pvcs_performance_unknown: "number",
  node_volumes_usd: "number",
  node_volumes: "number",
  node_volume_nodes: "number",
  node_volumes_unpriced: "number",
  snapshots: "number",
  snapshot_volume_gib: "number",
  snapshots_archived: "number",
  snapshot_upper_bound_usd: "number?",
  snapshot_usd_per_gb_month: "number?",
  snapshot_price_source: "string?",
  snapshot_billed_usd: "number?",
  auto_mode_node_hours: "number",
  auto_mode_fee_usd: "number",
  auto_mode_unpriced_hours: "number",
  control_plane_tier: "string?",
} as const;

const BILL_LINES = {
  cluster: "string",
  category: "string",
  service: "string?",
  usage_type: "string?",
  billed_usd: "number?",
  usage_quantity: "number?",
  usage_unit: "string?",
  reason: "string",
} as const;

const COVERAGE = {
  cluster: "string",
  unpriced_node_hours: "number",
  unpriced_types: "string?",
} as const;

const BILL = {
  cluster: "string",
  tag_filter: "string?",
  billed_days: "number",
  untagged_ec2_usd: "number?",
  forecast_start: "date?",
  forecast_end: "date?",
  forecast_mean_usd: "number?",
  forecast_lower_usd: "number?",
  forecast_upper_usd: "number?",
  forecast_interval_level: "number?",
  paid_requests: "number?",
  purchase_types: "string?",
} as const;

/** A day; billedUsd is null on days the bill does not cover, gapUsd on days not compared (no bill, or cut by the window). */
export type Day = Omit<RowOf<typeof DAYS>, "billedUsd" | "gapUsd"> & {
  billedUsd: number | null;
  gapUsd: number | null;
  gapShare: number | null;
};

export async function reconciliationSection({ marts }: SectionInput<undefined>): Promise<Section> {
  const days: Day[] = (await marts.read("mart_reconciliation", DAYS, ["cluster", "date"])).map((r) => {
    const billed = r.hasBill ? r.billedUsd : null;
    const gap = r.compared ? r.gapUsd : null;
    return { ...r, billedUsd: billed, gapUsd: gap, gapShare: billed && gap !== null ? gap / billed : null };
  });
  const instances = await marts.read("mart_reconciliation_instances", INSTANCES, [
    "cluster",
    { column: "gap_usd", abs: true, round: 4, desc: true },
    "purchase",
    "instance_type",
  ]);
  const coverage = new Map((await marts.read("mart_coverage", COVERAGE)).map((c) => [c.cluster, c]));
  const evidence = new Map(
    (await marts.read("mart_reconciliation_evidence", EVIDENCE)).map((c) => [c.cluster, c]),
  );
  const billLines = await marts.read("mart_bill_lines", BILL_LINES, [
    "cluster",
    { column: "billed_usd", round: 2, desc: true },
    "category",
    "usage_type",
  ]);
  const names = (await marts.read("mart_cost_summary", { cluster: "string" }, ["cluster"])).map(
    (c) => c.cluster,
  );
  const clusters = names.map((cluster) => {
    const c = clusterReconciliation(
      cluster,
      days.filter((d) => d.cluster === cluster && d.compared),
      instances.filter((g) => g.cluster === cluster),
      coverage.get(cluster),
      evidence.get(cluster),
    );
    return {
      ...c,
      explanations: explainGap(c),
      billLines: billLines.filter((l) => l.cluster === cluster),
    };
  });
  const bill = (await marts.read("mart_bill_context", BILL, ["cluster"])).map((b) => ({
    cluster: b.cluster,
    tagFilter: b.tagFilter,
    billedDays: b.billedDays,
    untaggedEc2Usd: b.untaggedEc2Usd,
    forecast:
      b.forecastMeanUsd === null
        ? null
        : {
            start: b.forecastStart,
            end: b.forecastEnd,
            meanUsd: b.forecastMeanUsd,
            lowerUsd: b.forecastLowerUsd,
            upperUsd: b.forecastUpperUsd,
            level: b.forecastIntervalLevel,
          },
    paidRequests: b.paidRequests,
    purchaseTypes: b.purchaseTypes ? (JSON.parse(b.purchaseTypes) as string[]).join(", ") || null : null,
  }));
  const billedMonthly = clusters.every((c) => c.billedMonthlyUsd === null)
    ? null
    : clusters.reduce((a, c) => a + (c.billedMonthlyUsd ?? 0), 0);
  return {
    view: { clusters, bill, days },
    charts: {
      reconciliation: days.some((d) => d.billedUsd !== null) ? reconciliationChart(days) : null,
      daily: days.length ? dailyCostChart(days) : null,
    },
    headline: [{ label: "Billed compute and EKS fee (Cost Explorer)", monthlyUsd: billedMonthly }],
    csv: {
      file: "reconciliation.csv",
      columns: [
        { name: "cluster" },
        { name: "date" },
        { name: "modeledUsd", digits: 4 },
        { name: "billedUsd", digits: 4 },
        { name: "gapUsd", digits: 4 },
        ...(["OnDemand", "Spot", "Fargate", "EksFee", "Storage"] as const).flatMap((k) => [
          { name: `modeled${k}Usd`, digits: 4 },
          { name: `billed${k}Usd`, digits: 4 },
        ]),
        { name: "billedOtherUsd", digits: 4 },
      ],
      rows: days,
    },
    summary: { billedMonthlyCostUsd: roundOrNull(billedMonthly) },
    recommendations: {
      reconciliation: days.map((r) => ({
        cluster: r.cluster,
        date: r.date,
        modeledUsd: round(r.modeledUsd),
        billedUsd: roundOrNull(r.billedUsd),
        gapUsd: roundOrNull(r.gapUsd),
        modeled: {
          onDemandUsd: round(r.modeledOnDemandUsd),
          spotUsd: round(r.modeledSpotUsd),
          fargateUsd: round(r.modeledFargateUsd),
          eksFeeUsd: round(r.modeledEksFeeUsd),
          storageUsd: round(r.modeledStorageUsd),
        },
        billed:
          r.billedUsd === null
            ? null
            : {
                onDemandUsd: roundOrNull(r.billedOnDemandUsd),
                spotUsd: roundOrNull(r.billedSpotUsd),
                fargateUsd: roundOrNull(r.billedFargateUsd),
                eksFeeUsd: roundOrNull(r.billedEksFeeUsd),
                storageUsd: roundOrNull(r.billedStorageUsd),
                otherUsd: roundOrNull(r.billedOtherUsd),
              },
      })),
      reconciliationByInstanceType: clusters.flatMap((c) =>
        c.instanceGaps.map((g) => ({
          cluster: c.cluster,
          purchase: g.purchase,
          instanceType: g.instanceType,
          billedHours: round(g.billedHours),
          modeledHours: round(g.modeledHours),
          billedUsd: round(g.billedUsd),
          modeledUsd: round(g.modeledUsd),
          gapUsd: round(g.gapUsd),
          hoursGapUsd: round(g.hoursGapUsd),
        })),
      ),
    },
    caveats: [],
  };
}

function clusterReconciliation(
  cluster: string,
  billedDays: Day[],
  instanceGaps: ClusterReconciliation["instanceGaps"],
  cov: RowOf<typeof COVERAGE> | undefined,
  ev: RowOf<typeof EVIDENCE> | undefined,
): ClusterReconciliation {
  const any = billedDays.length > 0;
  const sum = (f: (d: Day) => number | null) =>
    any ? billedDays.reduce((a, d) => a + (f(d) ?? 0), 0) : null;
  const line = (
    label: string,
    modeled: ((d: Day) => number) | null,
    billed: (d: Day) => number | null,
    compared: boolean,
  ): ReconciliationLine => {
    const m = modeled ? sum(modeled) : null;
    const b = sum(billed);
    return { label, modeledUsd: m, billedUsd: b, gapUsd: m === null || b === null ? null : b - m, compared };
  };
  const storage = line(
    (ev?.nodeVolumes ?? 0) > 0
      ? "EBS volumes (model: the PVCs and the nodes' volumes)"
      : "EBS volumes (model: the PVCs)",
    (d) => d.modeledStorageUsd,
    (d) => d.billedStorageUsd,
    false,
  );
  const billedWindow = sum((d) => d.billedUsd);
  const modeledWindow = billedDays.reduce((a, d) => a + d.modeledUsd, 0);
  const gapWindow = billedWindow === null ? null : billedWindow - modeledWindow;
  const other = billedDays.some((d) => d.billedOtherMetricUsd !== null)
    ? billedDays.reduce((a, d) => a + (d.billedOtherMetricUsd ?? 0), 0)
    : null;
  return {
    cluster,
    lines: [
      line(
        "EC2 on-demand instances",
        (d) => d.modeledOnDemandUsd,
        (d) => d.billedOnDemandUsd,
        true,
      ),
      line(
        "EC2 spot instances",
        (d) => d.modeledSpotUsd,
        (d) => d.billedSpotUsd,
        true,
      ),
      line(
        "Fargate pods",
        (d) => d.modeledFargateUsd,
        (d) => d.billedFargateUsd,
        true,
      ),
      line(
        "EKS cluster fee",
        (d) => d.modeledEksFeeUsd,
        (d) => d.billedEksFeeUsd,
        true,
      ),
      storage,
      line("Other billed lines (itemized by usage type below)", null, (d) => d.billedOtherUsd, false),
    ],
    modeledWindowUsd: modeledWindow,
    billedWindowUsd: billedWindow,
    billedMonthlyUsd: any ? (sum((d) => d.billedMonthlyRateUsd) ?? 0) / billedDays.length : null,
    gapWindowUsd: gapWindow,
    gapShare: billedWindow ? (gapWindow ?? 0) / billedWindow : null,
    costMetric: billedDays[0]?.costMetric ?? null,
    billedUnblendedWindowUsd: other,
    gapUnblendedWindowUsd: other === null ? null : other - modeledWindow,
    instanceGaps,
    storageGapWindowUsd: storage.gapUsd,
    otherBilledWindowUsd: sum((d) => d.billedOtherUsd),
    evidence: {
      daysCompared: ev?.daysCompared ?? 0,
      partialDays: ev?.partialDays ?? null,
      unknownNodeHours: ev?.unknownNodeHours ?? 0,
      unknownNodes: ev?.unknownNodeNames ? ev.unknownNodeNames.split(", ") : [],
      ec2NodeHours: ev?.ec2NodeHours ?? 0,
      ec2Nodes: ev?.ec2Nodes ?? 0,
      untaggedEc2Usd: ev?.untaggedEc2Usd ?? null,
      committedBilledHours: ev?.committedBilledHours ?? 0,
      commitmentTypes: ev?.commitmentTypes ?? null,
      committedNodeHours: ev?.committedNodeHours ?? 0,
      commitmentSavingUsd: ev?.commitmentSavingUsd ?? 0,
      coverageMoves: ev?.coverageMoves ?? null,
      eksVersion: ev?.eksVersion ?? null,
      eksSupportType: ev?.eksSupportType ?? null,
      extendedSupportHours: ev?.extendedSupportHours ?? 0,
      unknownSupportHours: ev?.unknownSupportHours ?? 0,
      pvcPerformanceUsd: ev?.pvcPerformanceUsd ?? 0,
      pvcPerformanceCount: ev?.pvcPerformanceCount ?? 0,
      pvcsPerformanceUnknown: ev?.pvcsPerformanceUnknown ?? 0,
      nodeVolumesUsd: ev?.nodeVolumesUsd ?? 0,
      nodeVolumes: ev?.nodeVolumes ?? 0,
      nodeVolumeNodes: ev?.nodeVolumeNodes ?? 0,
      nodeVolumesUnpriced: ev?.nodeVolumesUnpriced ?? 0,
      snapshots: ev?.snapshots ?? 0,
      snapshotVolumeGib: ev?.snapshotVolumeGib ?? 0,
      snapshotsArchived: ev?.snapshotsArchived ?? 0,
      snapshotUpperBoundUsd: ev?.snapshotUpperBoundUsd ?? null,
      snapshotUsdPerGbMonth: ev?.snapshotUsdPerGbMonth ?? null,
      snapshotPriceSource: ev?.snapshotPriceSource ?? null,
      snapshotBilledUsd: ev?.snapshotBilledUsd ?? null,
      autoModeNodeHours: ev?.autoModeNodeHours ?? 0,
      autoModeFeeUsd: ev?.autoModeFeeUsd ?? 0,
      autoModeUnpricedHours: ev?.autoModeUnpricedHours ?? 0,
      controlPlaneTier: ev?.controlPlaneTier ?? null,
    },
    unpricedNodeHours: cov?.unpricedNodeHours ?? 0,
    unpricedTypes: cov?.unpricedTypes ?? null,
  };
}
