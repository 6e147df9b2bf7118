/**
 * The CUR cross-check: per whole UTC day, our cost of each namespace and workload against AWS's
 * own split of the EC2 nodes (CUR 2.0 split cost allocation data, the `cur` source), with the
 * difference cut into what is computable (mart_cur_crosscheck): pods one side saw and the other
 * did not, the node's cost basis, the split between pods. When the source did not run, or read
 * nothing to compare, the section says "not analysed" and why.
 */
import { round } from "../../report/format.js";
import type { Section, SectionInput } from "../analyzer.js";

const MONEY = {
  aws_split_usd: "number",
  aws_unused_usd: "number",
  aws_total_usd: "number",
  ours_cost_usd: "number",
  ours_idle_share_usd: "number",
  ours_total_usd: "number",
  difference_usd: "number",
  only_aws_usd: "number",
  only_ours_usd: "number",
  node_basis_usd: "number",
  split_usd: "number",
} as const;

const WORKLOADS = {
  cluster: "string",
  date: "date",
  namespace: "string",
  workload_kind: "string",
  workload_name: "string",
  aws_pods: "number",
  our_pods: "number",
  ...MONEY,
  price_sources: "string?",
} as const;

const NAMESPACES = {
  cluster: "string",
  namespace: "string",
  days: "number",
  aws_pod_days: "number",
  our_pod_days: "number",
  ...MONEY,
} as const;

const DAYS = {
  cluster: "string",
  date: "date",
  aws_pods: "number",
  our_pods: "number",
  aws_total_usd: "number",
  ours_total_usd: "number",
  difference_usd: "number",
  only_aws_usd: "number",
  only_ours_usd: "number",
  node_basis_usd: "number",
  split_usd: "number",
  ours_idle_kept_usd: "number",
} as const;

const SOURCES = {
  cluster: "string",
  source: "string",
  status: "string",
  rows: "number",
  error: "string?",
} as const;

/** Money in JSON: to the cent's hundredth, as the reconciliation's. */
const money = <T extends Record<string, unknown>>(row: T): T =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, k.endsWith("Usd") ? round(v as number) : v]),
  ) as T;

const sum = (rows: ReadonlyArray<Record<string, unknown>>, key: string) =>
  rows.reduce((a, r) => a + (r[key] as number), 0);

/** Why there is nothing to compare: what the run lacked, or the source's error. */
function notAnalysed(source: { status: string; rows: number; error: string | null } | undefined): string {
  if (source === undefined)
    return "the run read no CUR 2.0 export (aws.cur.s3Uri is not set, or the bundle holds no CUR split lines)";
  if (source.status === "missing" || source.rows === 0)
    return source.error ?? "the export has no EKS split line of the cluster in the window";
  return "the export has no line of a whole UTC day of the window (a day the window cuts is not compared, nor the export's latest day before its 23:00 hour is in)";
}

export async function curCrosscheckSection({ marts }: SectionInput<undefined>): Promise<Section> {
  const sources = (await marts.query("run_sources", SOURCES)).filter((s) => s.source === "cur");
  const workloads = await marts.read("mart_cur_crosscheck", WORKLOADS, [
    "cluster",
    "date",
    "namespace",
    "workload_kind",
    "workload_name",
  ]);
  const namespaces = await marts.read("mart_cur_crosscheck_namespaces", NAMESPACES, [
    "cluster",
    { column: "aws_total_usd", round: 4, desc: true },
    "namespace",
  ]);
  const days = await marts.read("mart_cur_crosscheck_days", DAYS, ["cluster", "date"]);
  const analysed = days.length > 0;
  const reason = analysed
    ? `${days.length} whole UTC day${days.length === 1 ? "" : "s"} compared`
    : notAnalysed(sources[0]);
  const total = {
    awsTotalUsd: sum(days, "awsTotalUsd"),
    oursTotalUsd: sum(days, "oursTotalUsd"),
    differenceUsd: sum(days, "differenceUsd"),
  };
  // Each line only where its evidence is: a cause with no dollars behind it is not named.
  const explained = [
    {
      label:
        "pods AWS split that the run did not see (deleted before the snapshot, or outside the usage history)",
      usd: -sum(days, "onlyAwsUsd"),
    },
    { label: "pods the run charged that AWS did not split (Fargate aside)", usd: sum(days, "onlyOursUsd") },
    {
      label:
        "the nodes' cost basis: AWS splits each instance's amortized cost, we split the price of int_node_hours_priced (list price, spot price or the commitment rate)",
      usd: sum(days, "nodeBasisUsd"),
    },
    {
      label:
        "the split between pods on the same nodes: usage measured differently (AWS's telemetry against the hourly usage history) and the unused shares that follow",
      usd: sum(days, "splitUsd"),
    },
  ].filter((e) => Math.abs(e.usd) >= 0.005);
  const idleKept = sum(days, "oursIdleKeptUsd");
  return {
    view: {
      analysed,
      reason,
      total,
      explained,
      idleKept: idleKept >= 0.005 ? idleKept : 0,
      days,
      namespaces,
    },
    recommendations: {
      curCrosscheck: {
        status: analysed ? "analysed" : "not_analysed",
        reason,
        days: days.map(money),
        namespaces: namespaces.map(money),
        workloads: workloads.map(money),
      },
    },
    csv: {
      file: "cur-crosscheck.csv",
      columns: [
        { name: "cluster" },
        { name: "date" },
        { name: "namespace" },
        { name: "workloadKind" },
        { name: "workloadName" },
        { name: "awsPods" },
        { name: "ourPods" },
        ...Object.keys(MONEY).map((k) => ({
          name: k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
          digits: 4,
        })),
        { name: "priceSources" },
      ],
      rows: workloads,
    },
    caveats: analysed
      ? [
          "The CUR cross-check compares EC2 pods only (AWS's split cost allocation data covers the EC2 nodes' vCPU and memory; Fargate, EBS and the EKS fee are in the reconciliation), over the whole UTC days the export holds.",
        ]
      : [],
  };
}
