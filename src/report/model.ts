/**
 * The report's view model: everything the templates and recommendations.json show, read from
 * the marts of one analyzed run. Numbers are computed here or in SQL, never in templates.
 */
import type { Config } from "../config/schema.js";
import { TOOL_VERSION } from "../services/version.js";
import type { StoredRun } from "../store/runs.js";
import type { Store } from "../store/store.js";
import { num, usd } from "./format.js";
import { type Resources, resourcesLines } from "./resources.js";

export interface SourceRow {
  cluster: string;
  source: string;
  status: "ok" | "partial" | "missing";
  origin: string;
  rows: number;
  error: string | null;
}

export interface AllocationRow {
  cluster: string;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  monthlyCostUsd: number;
  cpuCostUsd: number;
  memoryCostUsd: number;
  /** EBS storage of the PVCs the workload's pods mount (USD per month). */
  storageCostUsd: number;
  /** With allocation.scaleToBill: compute and fee scaled to the bill, storage as is; else null. */
  monthlyCostScaledUsd: number | null;
  pods: number;
  capacityTypes: string;
  priceSources: string;
}

export interface NamespaceRow {
  cluster: string;
  namespace: string;
  monthlyCostUsd: number;
  monthlyCostScaledUsd: number | null;
  share: number;
  workloads: number;
}

/** Cost rolled up by one value of one label key (allocation.labelKeys). */
export interface LabelCostRow {
  cluster: string;
  labelKey: string;
  labelValue: string;
  monthlyCostUsd: number;
  monthlyCostWithIdleUsd: number;
  monthlyCostScaledUsd: number | null;
  share: number;
  workloads: number;
  namespaces: string;
  /** Where the values were found: pod, workload pods, workload, namespace, none, shared. */
  valuesFrom: string;
}

/** Billed ÷ modeled for one kind of cost (on-demand, spot, fargate, control-plane) of a cluster. */
export interface BillScaleRow {
  cluster: string;
  costKind: string;
  modeledUsd: number;
  billedUsd: number;
  factor: number | null;
  applied: boolean;
}

export interface NodeRow {
  cluster: string;
  name: string;
  instanceType: string;
  capacityType: string;
  pool: string;
  zone: string;
  hours: number;
  monthlyCostUsd: number;
  monthlyIdleUsd: number;
  allocatedShare: number;
  pods: number;
  nearlyIdle: boolean;
  priceSources: string;
}

export interface ReconciliationRow {
  cluster: string;
  date: string;
  modeledUsd: number;
  billedUsd: number | null;
  gapUsd: number | null;
  gapShare: number | null;
  modeledOnDemandUsd: number;
  modeledSpotUsd: number;
  modeledFargateUsd: number;
  modeledEksFeeUsd: number;
  modeledStorageUsd: number;
  billedOnDemandUsd: number | null;
  billedSpotUsd: number | null;
  billedFargateUsd: number | null;
  billedEksFeeUsd: number | null;
  billedStorageUsd: number | null;
  otherBilledUsd: number | null;
  estimated: boolean;
}

/** One kind of cost set against the bill over the billed days of the window. */
export interface ReconciliationLine {
  label: string;
  modeledUsd: number | null;
  billedUsd: number | null;
  gapUsd: number | null;
  /** Counted in the compared totals (compute and the EKS fee); storage and other lines are not. */
  compared: boolean;
}

/** Billed against modeled EC2 instance-hours of one purchase type and instance type. */
export interface InstanceGapRow {
  cluster: string;
  purchase: string;
  instanceType: string;
  billedHours: number;
  modeledHours: number;
  billedUsd: number;
  modeledUsd: number;
  gapUsd: number;
  hoursGap: number;
  hoursGapUsd: number;
}

export interface ClusterSummary {
  cluster: string;
  region: string;
  hoursInWindow: number;
  windowCostUsd: number;
  monthlyCostUsd: number;
  monthlyComputeUsd: number;
  monthlyStorageUsd: number;
  monthlyControlPlaneUsd: number;
  monthlyAllocatedUsd: number;
  monthlyIdleUsd: number;
  idleShare: number;
  monthlyOnDemandUsd: number;
  monthlySpotUsd: number;
  monthlyFargateUsd: number;
  /** Modeled compute + EKS fee over the days the bill covers. */
  modeledWindowUsd: number;
  /** Billed compute + EKS fee over the same days. */
  billedWindowUsd: number | null;
  billedMonthlyUsd: number | null;
  gapWindowUsd: number | null;
  gapShare: number | null;
  reconciliationLines: ReconciliationLine[];
  instanceGaps: InstanceGapRow[];
  storageGapWindowUsd: number | null;
  otherBilledWindowUsd: number | null;
  podHoursOnUnknownNodes: number;
  unknownNodes: string[];
  unpricedNodeHours: number;
  unpricedTypes: string | null;
  usageHours: number;
  explanations: string[];
}

export interface FargatePodRow {
  cluster: string;
  namespace: string;
  pod: string;
  workloadName: string;
  requestedCpuCores: number;
  requestedMemoryBytes: number;
  computed: string;
  annotation: string | null;
  annotationMatches: boolean;
  billed: string;
  billedVcpu: number;
  billedMemoryGb: number;
  billedBasis: string;
  monthlyCostUsd: number;
}

export interface BillContext {
  cluster: string;
  tagFilter: string | null;
  billedDays: number;
  untaggedEc2Usd: number | null;
  forecast: {
    start: string;
    end: string;
    meanUsd: number;
    lowerUsd: number | null;
    upperUsd: number | null;
    level: number | null;
  } | null;
  paidRequests: number | null;
  purchaseTypes: string | null;
}

export interface UnusedRow {
  cluster: string;
  kind: "pvc" | "load-balancer";
  namespace: string;
  name: string;
  monthlyCostUsd: number | null;
  reason: string;
}

export interface SpotPriceRow {
  cluster: string;
  instanceType: string;
  zone: string;
  avgUsdPerHour: number;
  minUsdPerHour: number;
  maxUsdPerHour: number;
  changes: number;
}

export type RightsizingStatus = "ok" | "insufficient_data" | "hpa_managed" | "at_risk" | "no_change";

export interface RightsizingRow {
  cluster: string;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  container: string;
  strategy: string;
  status: RightsizingStatus;
  reason: string;
  runsOn: string;
  current: Resources;
  usage: {
    cpuP95Cores: number | null;
    cpuMaxCores: number | null;
    memoryPeakBytes: number | null;
    oomKills: number;
    throttledShare: number | null;
    hours: number;
    points: number;
    pods: number;
  };
  recommended: Resources | null;
  requestSavingsUsd: number;
  consolidatedSavingsUsd: number;
  /** The `resources:` block to paste, one YAML line each; empty without a recommendation. */
  resources: string[];
}

export interface RightsizingSummary {
  strategy: string;
  containers: number;
  byStatus: Array<{ status: RightsizingStatus; containers: number }>;
  /** Net of raises, over ok and hpa_managed rows (at_risk rows are reliability fixes). */
  requestSavingsUsd: number;
  consolidatedSavingsUsd: number;
  reliabilityCostUsd: number;
}

export interface PriceSourceRow {
  source: string;
  asOf: string | null;
  products: string;
}

export interface ReportModel {
  toolVersion: string;
  generatedAt: string;
  runId: string;
  runStatus: string;
  window: { start: string; end: string; hours: number };
  splitMethod: Config["allocation"]["splitMethod"];
  clusters: ClusterSummary[];
  totals: {
    /** Compute, the EKS fee and PVC storage. */
    monthlyCostUsd: number;
    monthlyComputeUsd: number;
    monthlyStorageUsd: number;
    monthlyControlPlaneUsd: number;
    monthlyIdleUsd: number;
    idleShare: number;
    billedMonthlyUsd: number | null;
    potentialMonthlySavingsUsd: number;
    idleSavingsUsd: number;
    rightsizingSavingsUsd: number;
  };
  sources: SourceRow[];
  missingSources: SourceRow[];
  namespaces: NamespaceRow[];
  labelKeys: string[];
  costByLabel: LabelCostRow[];
  /** allocation.scaleToBill was asked for and a bill was there to scale to. */
  scaledToBill: boolean;
  billScale: BillScaleRow[];
  allocation: AllocationRow[];
  topWorkloads: AllocationRow[];
  idleByPool: AllocationRow[];
  nodes: NodeRow[];
  nearlyIdleNodes: NodeRow[];
  reconciliation: ReconciliationRow[];
  fargatePods: FargatePodRow[];
  fargateMismatches: FargatePodRow[];
  priceSources: PriceSourceRow[];
  bill: BillContext[];
  spotPrices: SpotPriceRow[];
  unused: UnusedRow[];
  rightsizing: RightsizingRow[];
  rightsizingSummary: RightsizingSummary;
  /** The rows worth acting on first: ok and hpa_managed by savings, then at_risk. */
  rightsizingTop: RightsizingRow[];
  rightsizingAtRisk: RightsizingRow[];
  caveats: string[];
}

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const nn = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const day = (v: unknown): string =>
  v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);

export async function buildReportModel(
  store: Store,
  run: StoredRun,
  config: Config,
  now: Date,
): Promise<ReportModel> {
  const regions = new Map(
    (JSON.parse(run.clusters) as Array<{ name: string; region: string }>).map((c) => [c.name, c.region]),
  );

  const sources = (
    await store.all<{
      cluster: string;
      source: string;
      status: SourceRow["status"];
      origin: string;
      rows: bigint;
      error: string | null;
    }>(
      "SELECT cluster, source, status, origin, rows, error FROM run_sources WHERE run_id = $1 ORDER BY cluster, source",
      [run.run_id],
    )
  ).map((s) => ({ ...s, rows: Number(s.rows) }));

  const allocation: AllocationRow[] = (
    await store.all<Record<string, unknown>>(
      "SELECT * FROM mart_cost_allocation ORDER BY round(monthly_cost_usd, 4) DESC, cluster, namespace, workload_kind, workload_name",
    )
  ).map((r) => ({
    cluster: String(r.cluster),
    namespace: String(r.namespace),
    workloadKind: String(r.workload_kind),
    workloadName: String(r.workload_name),
    monthlyCostUsd: n(r.monthly_cost_usd),
    cpuCostUsd: n(r.monthly_cpu_cost_usd),
    memoryCostUsd: n(r.monthly_memory_cost_usd),
    storageCostUsd: n(r.monthly_storage_cost_usd),
    monthlyCostScaledUsd: nn(r.monthly_cost_scaled_usd),
    pods: n(r.pods),
    capacityTypes: String(r.capacity_types ?? ""),
    priceSources: String(r.price_sources ?? ""),
  }));

  const summaries = await store.all<Record<string, unknown>>(
    "SELECT * FROM mart_cost_summary ORDER BY cluster",
  );
  const coverage = new Map(
    (await store.all<Record<string, unknown>>("SELECT * FROM mart_coverage")).map((c) => [
      String(c.cluster),
      c,
    ]),
  );
  const reconciliation: ReconciliationRow[] = (
    await store.all<Record<string, unknown>>("SELECT * FROM mart_reconciliation ORDER BY cluster, date")
  ).map((r) => {
    const billed = r.has_bill ? n(r.billed_usd) : null;
    const gap = r.has_bill ? n(r.gap_usd) : null;
    return {
      cluster: String(r.cluster),
      date: day(r.date),
      modeledUsd: n(r.modeled_usd),
      billedUsd: billed,
      gapUsd: gap,
      gapShare: billed && gap !== null ? gap / billed : null,
      modeledOnDemandUsd: n(r.modeled_on_demand_usd),
      modeledSpotUsd: n(r.modeled_spot_usd),
      modeledFargateUsd: n(r.modeled_fargate_usd),
      modeledEksFeeUsd: n(r.modeled_eks_fee_usd),
      modeledStorageUsd: n(r.modeled_storage_usd),
      billedOnDemandUsd: nn(r.billed_on_demand_usd),
      billedSpotUsd: nn(r.billed_spot_usd),
      billedFargateUsd: nn(r.billed_fargate_usd),
      billedEksFeeUsd: nn(r.billed_eks_fee_usd),
      billedStorageUsd: nn(r.billed_storage_usd),
      otherBilledUsd: nn(r.billed_other_usd),
      estimated: Boolean(r.estimated),
    };
  });

  const instanceGaps: InstanceGapRow[] = (
    await store.all<Record<string, unknown>>(
      "SELECT * FROM mart_reconciliation_instances ORDER BY cluster, round(abs(gap_usd), 4) DESC, purchase, instance_type",
    )
  ).map((r) => ({
    cluster: String(r.cluster),
    purchase: String(r.purchase),
    instanceType: String(r.instance_type),
    billedHours: n(r.billed_hours),
    modeledHours: n(r.modeled_hours),
    billedUsd: n(r.billed_usd),
    modeledUsd: n(r.modeled_usd),
    gapUsd: n(r.gap_usd),
    hoursGap: n(r.hours_gap),
    hoursGapUsd: n(r.hours_gap_usd),
  }));

  const clusters: ClusterSummary[] = summaries.map((s) => {
    const cluster = String(s.cluster);
    const hours = n(s.hours_in_window);
    const monthly = 730 / hours;
    const cov = coverage.get(cluster) ?? {};
    const days = reconciliation.filter((r) => r.cluster === cluster && r.billedUsd !== null);
    const billedWindow = days.length ? days.reduce((a, r) => a + (r.billedUsd ?? 0), 0) : null;
    const modeledOnBilledDays = days.reduce((a, r) => a + r.modeledUsd, 0);
    const gapWindow = billedWindow === null ? null : billedWindow - modeledOnBilledDays;
    const sum = (f: (r: ReconciliationRow) => number | null) =>
      days.length ? days.reduce((a, r) => a + (f(r) ?? 0), 0) : null;
    const line = (
      label: string,
      modeled: ((r: ReconciliationRow) => number) | null,
      billed: (r: ReconciliationRow) => number | null,
      compared: boolean,
    ): ReconciliationLine => {
      const m = modeled ? sum(modeled) : null;
      const b = sum(billed);
      return {
        label,
        modeledUsd: m,
        billedUsd: b,
        gapUsd: m === null || b === null ? null : b - m,
        compared,
      };
    };
    const storageLine = line(
      "EBS volumes (model: the PVCs)",
      (r) => r.modeledStorageUsd,
      (r) => r.billedStorageUsd,
      false,
    );
    const reconciliationLines = [
      line(
        "EC2 on-demand instances",
        (r) => r.modeledOnDemandUsd,
        (r) => r.billedOnDemandUsd,
        true,
      ),
      line(
        "EC2 spot instances",
        (r) => r.modeledSpotUsd,
        (r) => r.billedSpotUsd,
        true,
      ),
      line(
        "Fargate pods",
        (r) => r.modeledFargateUsd,
        (r) => r.billedFargateUsd,
        true,
      ),
      line(
        "EKS cluster fee",
        (r) => r.modeledEksFeeUsd,
        (r) => r.billedEksFeeUsd,
        true,
      ),
      storageLine,
      line(
        "Other billed lines (data transfer, snapshots, load balancers, …)",
        null,
        (r) => r.otherBilledUsd,
        false,
      ),
    ];
    const unknownNodes = cov.unknown_node_names ? String(cov.unknown_node_names).split(", ").sort() : [];
    const summary: ClusterSummary = {
      cluster,
      region: regions.get(cluster) ?? "unknown",
      hoursInWindow: hours,
      windowCostUsd: n(s.total_usd),
      monthlyCostUsd: n(s.monthly_total_usd),
      monthlyComputeUsd: n(s.compute_usd) * monthly,
      monthlyStorageUsd: n(s.storage_usd) * monthly,
      monthlyControlPlaneUsd: n(s.control_plane_usd) * monthly,
      monthlyAllocatedUsd: n(s.monthly_allocated_usd),
      monthlyIdleUsd: n(s.monthly_idle_usd),
      idleShare: n(s.idle_share),
      monthlyOnDemandUsd: n(s.on_demand_usd) * monthly,
      monthlySpotUsd: n(s.spot_usd) * monthly,
      monthlyFargateUsd: n(s.fargate_usd) * monthly,
      modeledWindowUsd: modeledOnBilledDays,
      billedWindowUsd: billedWindow,
      billedMonthlyUsd: billedWindow === null ? null : (billedWindow * 730) / (days.length * 24),
      gapWindowUsd: gapWindow,
      gapShare: billedWindow ? (gapWindow ?? 0) / billedWindow : null,
      reconciliationLines,
      instanceGaps: instanceGaps.filter((g) => g.cluster === cluster),
      storageGapWindowUsd: storageLine.gapUsd,
      otherBilledWindowUsd: sum((r) => r.otherBilledUsd),
      podHoursOnUnknownNodes: n(cov.pod_hours_on_unknown_nodes),
      unknownNodes,
      unpricedNodeHours: n(cov.unpriced_node_hours),
      unpricedTypes: (cov.unpriced_types as string | null) ?? null,
      usageHours: n(cov.usage_hours),
      explanations: [],
    };
    summary.explanations = explainGap(summary);
    return summary;
  });

  const nodes: NodeRow[] = (
    await store.all<Record<string, unknown>>(
      "SELECT * FROM mart_node_costs ORDER BY round(allocated_share, 6), round(monthly_cost_usd, 4) DESC, cluster, node_name",
    )
  ).map((r) => ({
    cluster: String(r.cluster),
    name: String(r.node_name),
    instanceType: String(r.instance_type ?? "unknown"),
    capacityType: String(r.capacity_type),
    pool: String(r.capacity_pool),
    zone: String(r.zone ?? ""),
    hours: n(r.node_hours),
    monthlyCostUsd: n(r.monthly_cost_usd),
    monthlyIdleUsd: n(r.monthly_idle_usd),
    allocatedShare: n(r.allocated_share),
    pods: n(r.pods),
    nearlyIdle: Boolean(r.nearly_idle),
    priceSources: String(r.price_sources ?? ""),
  }));

  const fargatePods: FargatePodRow[] = (
    await store.all<Record<string, unknown>>(
      "SELECT * FROM mart_fargate_pods ORDER BY cluster, namespace, pod_name",
    )
  ).map((r) => ({
    cluster: String(r.cluster),
    namespace: String(r.namespace),
    pod: String(r.pod_name),
    workloadName: String(r.workload_name),
    requestedCpuCores: n(r.cpu_request_cores),
    requestedMemoryBytes: n(r.memory_request_bytes),
    computed: `${n(r.computed_vcpu)}vCPU ${n(r.computed_memory_gib)}GB`,
    annotation: (r.capacity_provisioned as string | null) ?? null,
    annotationMatches: Boolean(r.annotation_matches),
    billed: `${n(r.billed_vcpu)}vCPU ${n(r.billed_memory_gib)}GB`,
    billedVcpu: n(r.billed_vcpu),
    billedMemoryGb: n(r.billed_memory_gib),
    billedBasis: String(r.billed_basis),
    monthlyCostUsd: n(r.monthly_cost_usd),
  }));

  const priceSources = (
    await store.all<{ source: string; as_of: string | null; products: string }>(
      "SELECT price_source AS source, as_of, string_agg(DISTINCT coalesce(instance_type, product), ', ' ORDER BY coalesce(instance_type, product)) AS products FROM stg_aws__prices GROUP BY ALL ORDER BY 1, 2",
    )
  ).map((p) => ({ source: p.source, asOf: p.as_of, products: p.products }));

  const bill: BillContext[] = (
    await store.all<Record<string, unknown>>("SELECT * FROM mart_bill_context ORDER BY cluster")
  ).map((b) => ({
    cluster: String(b.cluster),
    tagFilter: (b.tag_filter as string | null) ?? null,
    billedDays: n(b.billed_days),
    untaggedEc2Usd: nn(b.untagged_ec2_usd),
    forecast:
      b.forecast_mean_usd === null || b.forecast_mean_usd === undefined
        ? null
        : {
            start: day(b.forecast_start),
            end: day(b.forecast_end),
            meanUsd: n(b.forecast_mean_usd),
            lowerUsd: nn(b.forecast_lower_usd),
            upperUsd: nn(b.forecast_upper_usd),
            level: nn(b.forecast_interval_level),
          },
    paidRequests: nn(b.paid_requests),
    purchaseTypes: b.purchase_types
      ? (JSON.parse(String(b.purchase_types)) as string[]).join(", ") || null
      : null,
  }));

  const spotPrices: SpotPriceRow[] = (
    await store.all<Record<string, unknown>>(
      "SELECT * FROM mart_spot_prices ORDER BY cluster, instance_type, zone",
    )
  ).map((r) => ({
    cluster: String(r.cluster),
    instanceType: String(r.instance_type),
    zone: String(r.zone),
    avgUsdPerHour: n(r.avg_usd_per_hour),
    minUsdPerHour: n(r.min_usd_per_hour),
    maxUsdPerHour: n(r.max_usd_per_hour),
    changes: n(r.price_changes),
  }));

  const unused: UnusedRow[] = (
    await store.all<Record<string, unknown>>(
      "SELECT * FROM mart_unused_objects ORDER BY cluster, kind, namespace, name",
    )
  ).map((r) => ({
    cluster: String(r.cluster),
    kind: r.kind as UnusedRow["kind"],
    namespace: String(r.namespace),
    name: String(r.name),
    monthlyCostUsd: nn(r.monthly_cost_usd),
    reason: String(r.reason),
  }));

  const rightsizing = (
    await store.all<Record<string, unknown>>(
      "SELECT * FROM mart_rightsizing ORDER BY round(consolidated_savings_usd, 4) DESC, cluster, namespace, workload_name, container_name",
    )
  ).map(rightsizingRow);
  const acted = rightsizing.filter((r) => r.status === "ok" || r.status === "hpa_managed");
  const statuses: RightsizingStatus[] = ["ok", "hpa_managed", "at_risk", "no_change", "insufficient_data"];
  const rightsizingSummary: RightsizingSummary = {
    strategy: config.analyzers.rightsizing.strategy,
    containers: rightsizing.length,
    byStatus: statuses.map((status) => ({
      status,
      containers: rightsizing.filter((r) => r.status === status).length,
    })),
    requestSavingsUsd: acted.reduce((a, r) => a + r.requestSavingsUsd, 0),
    consolidatedSavingsUsd: acted.reduce((a, r) => a + r.consolidatedSavingsUsd, 0),
    reliabilityCostUsd: -rightsizing
      .filter((r) => r.status === "at_risk")
      .reduce((a, r) => a + r.requestSavingsUsd, 0),
  };

  const monthlyTotal = clusters.reduce((a, c) => a + c.monthlyCostUsd, 0);
  const monthlyIdle = clusters.reduce((a, c) => a + c.monthlyIdleUsd, 0);
  const monthlyCompute = clusters.reduce((a, c) => a + c.monthlyComputeUsd, 0);
  // The idle share of queries/macros/idle.sql: idle ÷ the EC2 nodes' cost (Fargate has no idle).
  const monthlyNodes = clusters.reduce((a, c) => a + c.monthlyComputeUsd - c.monthlyFargateUsd, 0);
  const billed = clusters.every((c) => c.billedMonthlyUsd === null)
    ? null
    : clusters.reduce((a, c) => a + (c.billedMonthlyUsd ?? 0), 0);
  const nearlyIdleNodes = nodes.filter((x) => x.nearlyIdle);
  const idleSavings = nearlyIdleNodes.reduce((a, x) => a + x.monthlyIdleUsd, 0);
  const totalNamespaceCost = allocation.reduce((a, r) => a + r.monthlyCostUsd, 0);
  const namespaces = (
    await store.all<Record<string, unknown>>(
      "SELECT * FROM mart_namespace_costs ORDER BY round(monthly_cost_usd, 4) DESC, cluster, namespace",
    )
  ).map((r) => ({
    cluster: String(r.cluster),
    namespace: String(r.namespace),
    monthlyCostUsd: n(r.monthly_cost_usd),
    monthlyCostScaledUsd: nn(r.monthly_cost_scaled_usd),
    share: totalNamespaceCost ? n(r.monthly_cost_usd) / totalNamespaceCost : 0,
    workloads: n(r.workloads),
  }));
  const labelRows = await store.all<Record<string, unknown>>(
    "SELECT * FROM mart_cost_by_label ORDER BY cluster, label_key, round(monthly_cost_usd, 4) DESC, label_value",
  );
  const keyTotals = new Map<string, number>();
  for (const r of labelRows) {
    const key = `${r.cluster} ${r.label_key}`;
    keyTotals.set(key, (keyTotals.get(key) ?? 0) + n(r.monthly_cost_usd));
  }
  const costByLabel: LabelCostRow[] = labelRows.map((r) => ({
    cluster: String(r.cluster),
    labelKey: String(r.label_key),
    labelValue: String(r.label_value),
    monthlyCostUsd: n(r.monthly_cost_usd),
    monthlyCostWithIdleUsd: n(r.monthly_cost_with_idle_usd),
    monthlyCostScaledUsd: nn(r.monthly_cost_scaled_usd),
    share: n(r.monthly_cost_usd) / (keyTotals.get(`${r.cluster} ${r.label_key}`) || 1),
    workloads: n(r.workloads),
    namespaces: String(r.namespaces ?? ""),
    valuesFrom: String(r.values_from ?? ""),
  }));
  const billScale: BillScaleRow[] = (
    await store.all<Record<string, unknown>>("SELECT * FROM mart_bill_scale ORDER BY cluster, cost_kind")
  ).map((r) => ({
    cluster: String(r.cluster),
    costKind: String(r.cost_kind),
    modeledUsd: n(r.modeled_usd),
    billedUsd: n(r.billed_usd),
    factor: nn(r.factor),
    applied: Boolean(r.applied),
  }));
  const missingSources = sources.filter((s) => s.status !== "ok");

  return {
    toolVersion: TOOL_VERSION,
    generatedAt: now.toISOString(),
    runId: run.run_id,
    runStatus: run.status,
    window: {
      start: run.window_start.toISOString(),
      end: run.window_end.toISOString(),
      hours: clusters[0]?.hoursInWindow ?? 0,
    },
    splitMethod: config.allocation.splitMethod,
    clusters,
    totals: {
      monthlyCostUsd: monthlyTotal,
      monthlyComputeUsd: monthlyCompute,
      monthlyStorageUsd: clusters.reduce((a, c) => a + c.monthlyStorageUsd, 0),
      monthlyControlPlaneUsd: clusters.reduce((a, c) => a + c.monthlyControlPlaneUsd, 0),
      monthlyIdleUsd: monthlyIdle,
      idleShare: monthlyNodes ? monthlyIdle / monthlyNodes : 0,
      billedMonthlyUsd: billed,
      potentialMonthlySavingsUsd: idleSavings + Math.max(0, rightsizingSummary.consolidatedSavingsUsd),
      idleSavingsUsd: idleSavings,
      rightsizingSavingsUsd: rightsizingSummary.consolidatedSavingsUsd,
    },
    sources,
    missingSources,
    namespaces,
    labelKeys: config.allocation.labelKeys,
    costByLabel,
    scaledToBill: config.allocation.scaleToBill && billScale.length > 0,
    billScale,
    allocation,
    topWorkloads: allocation
      .filter((r) => r.workloadKind !== "Idle" && r.workloadKind !== "ControlPlane")
      .slice(0, 20),
    idleByPool: allocation.filter((r) => r.workloadKind === "Idle"),
    nodes,
    nearlyIdleNodes,
    reconciliation,
    fargatePods,
    fargateMismatches: fargatePods.filter((p) => p.annotation !== null && !p.annotationMatches),
    priceSources,
    bill,
    spotPrices,
    unused,
    rightsizing,
    rightsizingSummary,
    rightsizingTop: acted.filter((r) => r.requestSavingsUsd > 0.005).slice(0, 25),
    rightsizingAtRisk: rightsizing.filter((r) => r.status === "at_risk"),
    caveats: [
      ...caveats(clusters, sources, priceSources),
      ...scaleCaveats(config.allocation.scaleToBill, billScale, clusters),
    ],
  };
}

function rightsizingRow(r: Record<string, unknown>): RightsizingRow {
  const status = r.status as RightsizingStatus;
  const recommended: Resources | null =
    status === "insufficient_data"
      ? null
      : {
          cpuRequestCores: nn(r.rec_cpu_request_cores),
          cpuLimitCores: nn(r.rec_cpu_limit_cores),
          memoryRequestBytes: nn(r.rec_memory_request_bytes),
          memoryLimitBytes: nn(r.rec_memory_limit_bytes),
        };
  return {
    cluster: String(r.cluster),
    namespace: String(r.namespace),
    workloadKind: String(r.workload_kind),
    workloadName: String(r.workload_name),
    container: String(r.container_name),
    strategy: String(r.strategy),
    status,
    reason: String(r.reason),
    runsOn: String(r.runs_on ?? "unknown"),
    current: {
      cpuRequestCores: nn(r.cpu_request_cores),
      cpuLimitCores: nn(r.cpu_limit_cores),
      memoryRequestBytes: nn(r.memory_request_bytes),
      memoryLimitBytes: nn(r.memory_limit_bytes),
    },
    usage: {
      cpuP95Cores: nn(r.cpu_percentile_cores),
      cpuMaxCores: nn(r.cpu_max_cores),
      memoryPeakBytes: nn(r.memory_peak_bytes),
      oomKills: n(r.oom_kills),
      throttledShare: nn(r.cpu_throttled_ratio),
      hours: n(r.usage_hours),
      points: n(r.points),
      pods: n(r.pods_seen),
    },
    recommended,
    requestSavingsUsd: n(r.request_savings_usd),
    consolidatedSavingsUsd: n(r.consolidated_savings_usd),
    resources: recommended ? resourcesLines(recommended) : [],
  };
}

/** Why modeled and billed differ, in dollars where the bill says, in the order a reviewer should check. */
export function explainGap(c: ClusterSummary): string[] {
  if (c.billedWindowUsd === null)
    return ["No Cost Explorer data for this cluster: the bill could not be compared."];
  const out: string[] = [];
  const hours = (x: number) => num(x, Number.isInteger(x) ? 0 : 1);
  let explained = 0;
  for (const g of c.instanceGaps.filter((x) => x.hoursGap > 0.5)) {
    explained += g.hoursGapUsd;
    out.push(
      `Cost Explorer bills ${hours(g.billedHours)} ${g.purchase} ${g.instanceType} instance-hours; the node inventory has ${hours(g.modeledHours)}. The ${hours(g.hoursGap)} hours missing (${usd(g.hoursGapUsd)}) ran on nodes gone before the snapshot, replaced or scaled away.`,
    );
  }
  if (c.podHoursOnUnknownNodes > 0) {
    out.push(
      `${c.podHoursOnUnknownNodes.toLocaleString("en-US")} pod-hours ran on ${c.unknownNodes.length} node(s) no longer in the inventory (${c.unknownNodes.join(", ")}): the usage history still has them.`,
    );
  }
  for (const g of c.instanceGaps.filter((x) => x.hoursGap < -0.5)) {
    explained += g.hoursGapUsd;
    out.push(
      `The inventory has ${hours(-g.hoursGap)} more ${g.purchase} ${g.instanceType} instance-hours than Cost Explorer bills under the tag (${usd(-g.hoursGapUsd)}): nodes without the cluster's tag (see untagged EC2 below), or billed to another account.`,
    );
  }
  const rate = c.instanceGaps.reduce((a, g) => a + g.gapUsd - g.hoursGapUsd, 0);
  if (Math.abs(rate) >= 0.01) {
    explained += rate;
    out.push(
      `Prices: ${usd(rate)} (${rate > 0 ? "billed above" : "billed below"} the modeled rates on the same instance types: spot prices differ by zone and hour, so missing hours rarely cost the average; Savings Plans or Reserved Instances lower billed rates).`,
    );
  }
  for (const l of c.reconciliationLines.filter((x) => x.compared && !x.label.startsWith("EC2"))) {
    if (l.gapUsd !== null && Math.abs(l.gapUsd) >= 0.01) {
      explained += l.gapUsd;
      out.push(`${l.label}: billed ${usd(l.billedUsd ?? 0)}, modeled ${usd(l.modeledUsd ?? 0)}.`);
    }
  }
  if (c.unpricedNodeHours > 0)
    out.push(`${c.unpricedNodeHours.toFixed(1)} node-hours have no price (${c.unpricedTypes}).`);
  const gap = c.gapWindowUsd ?? 0;
  if (Math.abs(gap) >= 0.01) {
    out.push(
      `Together these account for ${usd(explained)} of the ${usd(gap)} gap${Math.abs(gap - explained) >= 0.01 ? `; ${usd(gap - explained)} is left unexplained (days the bill and the model cover differently, or usage types the model does not know)` : ""}.`,
    );
  } else out.push("Modeled and billed agree to the cent.");
  if (gap < 0) {
    out.push(
      "The model exceeds the bill: Savings Plans or Reserved Instances may lower what AWS charges (compare AmortizedCost), or nodes are not tagged for the cluster.",
    );
  }
  if (c.storageGapWindowUsd !== null && Math.abs(c.storageGapWindowUsd) >= 0.01) {
    out.push(
      c.storageGapWindowUsd > 0
        ? `Not compared: the bill has ${usd(c.storageGapWindowUsd)} more EBS volume storage than the cluster's PVCs: node root volumes and volumes outside Kubernetes.`
        : `Not compared: the PVCs are modeled at ${usd(-c.storageGapWindowUsd)} more than the EBS volumes billed under the tag (volumes not tagged for the cluster, or PVCs not on EBS priced as EBS).`,
    );
  }
  if ((c.otherBilledWindowUsd ?? 0) >= 0.01) {
    out.push(
      `Not modeled: ${usd(c.otherBilledWindowUsd ?? 0)} of other billed lines under the cluster's tag (data transfer, snapshots, load balancers, …).`,
    );
  }
  return out;
}

function scaleCaveats(asked: boolean, scales: BillScaleRow[], clusters: ClusterSummary[]): string[] {
  if (!asked) return [];
  return clusters.map((c) => {
    const rows = scales.filter((b) => b.cluster === c.cluster);
    if (rows.length === 0)
      return `allocation.scaleToBill is set, but ${c.cluster} has no bill to scale to: the figures are modeled only.`;
    const factors = rows
      .map((b) =>
        b.factor === null
          ? `${b.costKind} not scaled (${b.modeledUsd ? "nothing billed" : "nothing modeled"})`
          : `${b.costKind} × ${b.factor.toFixed(4)}`,
      )
      .join(", ");
    return `Scaled to the bill (${c.cluster}), billed ÷ modeled over the billed days: ${factors}; PVC storage is not scaled. The modeled figures are shown beside the scaled ones.`;
  });
}

function caveats(clusters: ClusterSummary[], sources: SourceRow[], prices: PriceSourceRow[]): string[] {
  const out: string[] = [
    "Monthly figures are run-rates: the window's cost × 730 ÷ the hours in the window.",
    "Pods are charged max(request, usage) per hour for CPU and memory; idle is what their nodes cost beyond that, shown on its own lines.",
  ];
  for (const p of prices.filter((x) => x.source === "snapshot")) {
    out.push(
      `Prices for ${p.products} come from the dated snapshot (as of ${p.asOf ?? "unknown"}), not the Pricing API.`,
    );
  }
  for (const s of sources.filter((x) => x.status !== "ok")) {
    out.push(`Source ${s.source} for ${s.cluster} is ${s.status}${s.error ? `: ${s.error}` : ""}.`);
  }
  if (clusters.some((c) => c.usageHours === 0))
    out.push("Without usage history, pods are charged their requests.");
  return out;
}
