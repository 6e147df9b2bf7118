/**
 * What the report shows around the analyzers' sections: the run, its clusters and their cost
 * (mart_cost_summary), what each source delivered, where prices came from, and the caveats that
 * hold for every figure.
 */
import type { MartReader } from "../analyze/marts.js";
import type { StoredRun } from "../store/runs.js";

const SUMMARY = {
  cluster: "string",
  hours_in_window: "number",
  total_usd: "number",
  monthly_total_usd: "number",
  monthly_compute_usd: "number",
  monthly_fargate_usd: "number",
  monthly_storage_usd: "number",
  monthly_control_plane_usd: "number",
  monthly_idle_usd: "number",
  idle_share: "number?",
} as const;

const SOURCES = {
  cluster: "string",
  source: "string",
  status: "string",
  origin: "string",
  rows: "number",
  error: "string?",
} as const;

const SPOT_PRICES = {
  cluster: "string",
  instance_type: "string",
  zone: "string",
  avg_usd_per_hour: "number",
  min_usd_per_hour: "number",
  max_usd_per_hour: "number",
  price_changes: "number",
} as const;

const REJECTED = {
  cluster: "string",
  source: "string",
  location: "string",
  object: "string",
  field: "string?",
  value: "string?",
  rule: "string",
  message: "string",
} as const;

const UNPRICED = {
  cluster: "string",
  object_kind: "string",
  namespace: "string?",
  name: "string",
  instance_type: "string?",
  reason: "string",
  hours: "number",
  share_of_compute_hours: "number?",
} as const;

export interface ClusterCost {
  cluster: string;
  region: string;
  hoursInWindow: number;
  windowCostUsd: number;
  monthlyCostUsd: number;
  monthlyComputeUsd: number;
  monthlyFargateUsd: number;
  monthlyStorageUsd: number;
  monthlyControlPlaneUsd: number;
  monthlyIdleUsd: number;
  idleShare: number;
}

export async function readFrame(marts: MartReader, run: StoredRun) {
  const regions = new Map(
    (JSON.parse(run.clusters) as Array<{ name: string; region: string }>).map((c) => [c.name, c.region]),
  );
  const clusters: ClusterCost[] = (await marts.read("mart_cost_summary", SUMMARY, ["cluster"])).map((s) => {
    return {
      cluster: s.cluster,
      region: regions.get(s.cluster) ?? "unknown",
      hoursInWindow: s.hoursInWindow,
      windowCostUsd: s.totalUsd,
      monthlyCostUsd: s.monthlyTotalUsd,
      monthlyComputeUsd: s.monthlyComputeUsd,
      monthlyFargateUsd: s.monthlyFargateUsd,
      monthlyStorageUsd: s.monthlyStorageUsd,
      monthlyControlPlaneUsd: s.monthlyControlPlaneUsd,
      monthlyIdleUsd: s.monthlyIdleUsd,
      idleShare: s.idleShare ?? 0,
    };
  });
  const usage = new Map(
    (await marts.read("mart_coverage", { cluster: "string", usage_hours: "number" })).map((c) => [
      c.cluster,
      c.usageHours,
    ]),
  );
  const sources = await marts.query("run_sources", SOURCES);
  const priceSources = await marts.read(
    "mart_price_sources",
    { price_source: "string", as_of: "string?", products: "string" },
    ["price_source", "as_of"],
  );
  const spotPrices = await marts.read("mart_spot_prices", SPOT_PRICES, ["cluster", "instance_type", "zone"]);
  const rejectedObjects = await marts.query("rejected_objects", REJECTED);
  const unpricedObjects = await marts.read("mart_unpriced", UNPRICED, [
    "cluster",
    "object_kind",
    "namespace",
    "name",
  ]);
  // Each cluster's compute hours (node-hours and Fargate pod-hours), as its unpriced rows tell them.
  const computeHours = new Map(
    unpricedObjects
      .filter((u) => u.shareOfComputeHours)
      .map((u) => [u.cluster, u.hours / (u.shareOfComputeHours as number)]),
  );
  const unpricedHours = unpricedObjects.reduce((a, u) => a + u.hours, 0);
  const allHours = [...computeHours.values()].reduce((a, h) => a + h, 0);
  const unpriced = {
    hours: unpricedHours,
    /** Of the compute hours of the clusters that have unpriced objects. */
    shareOfComputeHours: allHours ? unpricedHours / allHours : 0,
    objects: unpricedObjects,
  };

  const sum = (f: (c: ClusterCost) => number) => clusters.reduce((a, c) => a + f(c), 0);
  const compute = sum((c) => c.monthlyComputeUsd);
  const idle = sum((c) => c.monthlyIdleUsd);
  // The idle share of queries/macros/idle.sql: idle ÷ the EC2 nodes' cost (Fargate has no idle).
  const nodes = sum((c) => c.monthlyComputeUsd - c.monthlyFargateUsd);
  const caveats = [
    "Monthly figures are run-rates: the window's cost × 730 ÷ the hours in the window.",
    ...priceSources
      .filter((p) => p.priceSource === "snapshot")
      .map(
        (p) =>
          `Prices for ${p.products} come from the dated snapshot (as of ${p.asOf ?? "unknown"}), not the Pricing API.`,
      ),
    ...sources
      .filter((s) => s.status !== "ok")
      .map((s) => `Source ${s.source} for ${s.cluster} is ${s.status}${s.error ? `: ${s.error}` : ""}.`),
    ...(unpricedObjects.length
      ? [
          `${unpricedObjects.length} object${unpricedObjects.length === 1 ? "" : "s"} ran ${unpriced.hours.toFixed(0)} compute hours that could not be priced (${(unpriced.shareOfComputeHours * 100).toFixed(1)}% of the compute hours): their cost is in no figure and is not guessed; see Unpriced compute.`,
        ]
      : []),
    ...(rejectedObjects.length
      ? [
          `${rejectedObjects.length} object${rejectedObjects.length === 1 ? " was" : "s were"} left out because a value broke a rule; see Rejected objects.`,
        ]
      : []),
    ...(clusters.some((c) => (usage.get(c.cluster) ?? 0) === 0)
      ? ["Without usage history, pods are charged their requests."]
      : []),
  ];
  return {
    clusters,
    totals: {
      /** Compute, the EKS fee and PVC storage. */
      monthlyCostUsd: sum((c) => c.monthlyCostUsd),
      monthlyComputeUsd: compute,
      /** Compute split: EC2 nodes and Fargate pods. */
      monthlyNodesUsd: nodes,
      monthlyFargateUsd: sum((c) => c.monthlyFargateUsd),
      monthlyStorageUsd: sum((c) => c.monthlyStorageUsd),
      monthlyControlPlaneUsd: sum((c) => c.monthlyControlPlaneUsd),
      monthlyIdleUsd: idle,
      idleShare: nodes ? idle / nodes : 0,
    },
    sources,
    missingSources: sources.filter((s) => s.status !== "ok"),
    priceSources,
    spotPrices,
    rejectedObjects,
    unpriced,
    caveats,
  };
}

export type Frame = Awaited<ReturnType<typeof readFrame>>;
