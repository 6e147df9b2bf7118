/**
 * Why modeled and billed differ: pure, over the reconciliation of one cluster. Every line is drawn
 * from a figure that shows it (the bill's instance-hours, the usage history's node-hours on nodes
 * the inventory lacks, the inventory's EC2 node-hours, the untagged EC2 spend): a cause the data
 * does not show is never named, and what no data shows is said to be so.
 */
import { num, usd } from "../../report/format.js";

/** One kind of cost set against the bill over the compared (whole, billed) days of the window. */
export interface ReconciliationLine {
  label: string;
  modeledUsd: number | null;
  billedUsd: number | null;
  gapUsd: number | null;
  /** Counted in the compared totals (compute and the EKS fee); storage and other lines are not. */
  compared: boolean;
}

/** Billed against modeled EC2 instance-hours of one purchase type and instance type. */
export interface InstanceGap {
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

/** What the data shows about the compared days (mart_reconciliation_evidence). */
export interface GapEvidence {
  daysCompared: number;
  /** The days the window cuts, with the hours it holds of each ("2026-11-01 (13 h), …"), or null. */
  partialDays: string | null;
  /** Distinct node-hours the usage history has on nodes the inventory lacks. */
  unknownNodeHours: number;
  unknownNodes: string[];
  /** EC2 node-hours of the inventory (each node boots from an EBS root volume). */
  ec2NodeHours: number;
  ec2Nodes: number;
  /** EC2 compute billed without the cluster's tag on the compared days. */
  untaggedEc2Usd: number | null;
  /** Instance-hours Cost Explorer shows Savings Plans or Reserved Instances covering, and which. */
  committedBilledHours: number;
  commitmentTypes: string | null;
  /** Node-hours the model priced at the commitment rate, and how far below the list price. */
  committedNodeHours: number;
  commitmentSavingUsd: number;
  /** Instance types whose covered share moved between days ("m5.xlarge 50–75 %; …"), or null. */
  coverageMoves: string | null;
  /** The cluster's Kubernetes version and upgrade policy (the EKS API), null when not collected. */
  eksVersion: string | null;
  eksSupportType: string | null;
  extendedSupportHours: number;
  /** Cluster-hours whose version the release calendar does not list. */
  unknownSupportHours: number;
  /** PVCs' provisioned IOPS and throughput beyond their type's baseline, modeled from their StorageClass. */
  pvcPerformanceUsd: number;
  pvcPerformanceCount: number;
  /** EBS PVCs whose StorageClass was not read (their IOPS and throughput are not modeled). */
  pvcsPerformanceUnknown: number;
  /** The EBS volumes of the EC2 nodes no PV names (root volumes; EC2 DescribeVolumes), modeled on the EBS line: dollars, volumes, nodes, and volumes whose type has no price. */
  nodeVolumesUsd: number;
  nodeVolumes: number;
  nodeVolumeNodes: number;
  nodeVolumesUnpriced: number;
  /** EBS snapshots under the cluster's tag (EC2 DescribeSnapshots), their source volumes' GiB (an upper bound on what they bill) and how many are archived. */
  snapshots: number;
  snapshotVolumeGib: number;
  snapshotsArchived: number;
  /**
   * The Standard-tier snapshots at their source volumes' GiB over the compared days at the snapshot
   * price (an upper bound; null without a price or without a Standard-tier snapshot), the price
   * per GB-month and its source, and what the bill's EBS:SnapshotUsage has on those days.
   */
  snapshotUpperBoundUsd: number | null;
  snapshotUsdPerGbMonth: number | null;
  snapshotPriceSource: string | null;
  snapshotBilledUsd: number | null;
  /** Node-hours of EKS Auto Mode nodes, the management fee modeled on them, and the hours without its price. */
  autoModeNodeHours: number;
  autoModeFeeUsd: number;
  autoModeUnpricedHours: number;
  /** A Provisioned Control Plane tier the EKS API reports (not standard), or null. */
  controlPlaneTier: string | null;
}

export interface ClusterReconciliation {
  cluster: string;
  lines: ReconciliationLine[];
  /** Modeled compute + EKS fee over the compared days. */
  modeledWindowUsd: number;
  /** Billed compute + EKS fee over the same days. */
  billedWindowUsd: number | null;
  billedMonthlyUsd: number | null;
  gapWindowUsd: number | null;
  gapShare: number | null;
  /** The Cost Explorer metric compared: AmortizedCost when the bill has it, else UnblendedCost. */
  costMetric: string | null;
  /** Billed UnblendedCost of the compared kinds when the basis is AmortizedCost, and the gap against it. */
  billedUnblendedWindowUsd: number | null;
  gapUnblendedWindowUsd: number | null;
  instanceGaps: InstanceGap[];
  storageGapWindowUsd: number | null;
  otherBilledWindowUsd: number | null;
  evidence: GapEvidence;
  unpricedNodeHours: number;
  unpricedTypes: string | null;
}

/** Hours to a tenth, without a decimal when whole (sums of fractions land a hair off the integer). */
const hours = (x: number) => {
  const tenth = Math.round(x * 10) / 10;
  return num(tenth, Number.isInteger(tenth) ? 0 : 1);
};
const CENT = 0.01;

/** Why modeled and billed differ, in dollars where the bill says, in the order a reviewer should check. */
export function explainGap(c: ClusterReconciliation): string[] {
  const e = c.evidence;
  const partial = e.partialDays
    ? `Whole UTC days only: Cost Explorer bills a day whole, and the window cuts ${e.partialDays}; ${e.partialDays.includes(",") ? "those days are" : "that day is"} modeled but left out of the comparison.`
    : null;
  if (c.billedWindowUsd === null) {
    return [
      ...(partial ? [partial] : []),
      e.partialDays
        ? "The bill covers no whole day of the window: nothing could be compared."
        : "No Cost Explorer data for this cluster: the bill could not be compared.",
    ];
  }
  const out: string[] = partial ? [partial] : [];
  let explained = 0;
  const missing = c.instanceGaps.filter((x) => x.hoursGap > 0.5);
  for (const g of missing) {
    explained += g.hoursGapUsd;
    out.push(
      `Cost Explorer bills ${hours(g.billedHours)} ${g.purchase} ${g.instanceType} instance-hours; the node inventory has ${hours(g.modeledHours)}: ${hours(g.hoursGap)} hours missing (${usd(g.hoursGapUsd)} at the billed rate).`,
    );
  }
  out.push(
    ...missingHoursCause(
      missing.reduce((a, g) => a + g.hoursGap, 0),
      e,
    ),
  );
  for (const g of c.instanceGaps.filter((x) => x.hoursGap < -0.5)) {
    explained += g.hoursGapUsd;
    out.push(
      `The inventory has ${hours(-g.hoursGap)} more ${g.purchase} ${g.instanceType} instance-hours than Cost Explorer bills under the tag (${usd(-g.hoursGapUsd)}).${(e.untaggedEc2Usd ?? 0) >= CENT ? ` EC2 without the cluster's tag was billed ${usd(e.untaggedEc2Usd)} on the same days (see untagged EC2 below).` : ""}`,
    );
  }
  for (const [purchase, what] of [
    ["spot", "the spot price history's prices against the billed spot rates"],
    ["on-demand", "billed rates against the on-demand list prices"],
  ] as const) {
    const rate = c.instanceGaps
      .filter((g) => g.purchase === purchase)
      .reduce((a, g) => a + g.gapUsd - g.hoursGapUsd, 0);
    if (Math.abs(rate) < CENT) continue;
    explained += rate;
    out.push(
      `${purchase === "spot" ? "Spot" : "On-demand"} rates: ${usd(rate)} on the same instance-hours (${what}; billed ${rate > 0 ? "above" : "below"} the model).`,
    );
  }
  for (const l of c.lines.filter((x) => x.compared && !x.label.startsWith("EC2"))) {
    if (l.gapUsd !== null && Math.abs(l.gapUsd) >= CENT) {
      explained += l.gapUsd;
      out.push(`${l.label}: billed ${usd(l.billedUsd ?? 0)}, modeled ${usd(l.modeledUsd ?? 0)}.`);
    }
  }
  if (c.unpricedNodeHours > 0)
    out.push(`${c.unpricedNodeHours.toFixed(1)} node-hours have no price (${c.unpricedTypes}).`);
  const gap = c.gapWindowUsd ?? 0;
  if (Math.abs(gap) >= CENT) {
    const left = gap - explained;
    out.push(
      `Together these account for ${usd(explained)} of the ${usd(gap)} gap over ${e.daysCompared} whole day${e.daysCompared === 1 ? "" : "s"}${Math.abs(left) >= CENT ? `; ${usd(left)} is left over, shown by no line of the data collected` : ""}.`,
    );
  } else
    out.push(
      `Modeled and billed agree to the cent over ${e.daysCompared} whole day${e.daysCompared === 1 ? "" : "s"}.`,
    );
  out.push(...supportLines(e));
  out.push(...autoModeLines(e));
  out.push(...commitmentLines(c));
  out.push(...storageLines(c.storageGapWindowUsd, e));
  if ((c.otherBilledWindowUsd ?? 0) >= CENT) {
    out.push(
      `Not modeled: ${usd(c.otherBilledWindowUsd ?? 0)} of other billed lines under the cluster's tag (itemized by usage type below).`,
    );
  }
  return out;
}

/** What the usage history says about instance-hours the bill has and the inventory lacks. */
function missingHoursCause(missingHours: number, e: GapEvidence): string[] {
  const seen = e.unknownNodeHours;
  const names = e.unknownNodes.join(", ");
  if (missingHours <= 0.5) {
    return seen > 0
      ? [
          `The usage history has ${hours(seen)} node-hours on ${e.unknownNodes.length} node(s) the inventory lacks (${names}); their pods are unpriced (see coverage), and the bill shows no instance-hours missing.`,
        ]
      : [];
  }
  if (seen === 0)
    return [
      `No data collected shows where the ${hours(missingHours)} missing instance-hours ran: the usage history has no node the inventory lacks on these days.`,
    ];
  const shown = Math.min(seen, missingHours);
  return [
    `The usage history has ${hours(seen)} node-hours on ${e.unknownNodes.length} node(s) the inventory lacks (${names}), gone before the snapshot: they account for ${hours(shown)} of the ${hours(missingHours)} missing instance-hours${missingHours - shown > 0.5 ? `; the other ${hours(missingHours - shown)} appear in no data collected` : ""}.`,
  ];
}

function storageLines(storageGap: number | null, e: GapEvidence): string[] {
  const performance =
    e.pvcPerformanceUsd >= CENT
      ? [
          `EBS beyond size: ${num(e.pvcPerformanceCount)} PVC(s) are provisioned, by their StorageClass, with IOPS or throughput above what their volume type includes: ${usd(e.pvcPerformanceUsd)}, modeled per PVC on the EBS line and compared with the bill's EBS:VolumeP-IOPS and EBS:VolumeP-Throughput lines.`,
        ]
      : [];
  const unknown =
    e.pvcsPerformanceUnknown > 0
      ? [
          `${num(e.pvcsPerformanceUnknown)} EBS PVC(s) have no StorageClass collected (storageclasses not listed): their provisioned IOPS and throughput are not modeled.`,
        ]
      : [];
  return [...performance, ...unknown, ...storageGapLines(storageGap, e), ...snapshotLines(e)];
}

/**
 * The cluster's EBS snapshots, counted from EC2 and, where a snapshot price is at hand, their
 * Standard tier priced as an upper bound: only when some were found.
 */
function snapshotLines(e: GapEvidence): string[] {
  if (e.snapshots === 0) return [];
  const found = `EBS snapshots: ${num(e.snapshots)} snapshot(s) under the cluster's tag (EC2 DescribeSnapshots) of volumes totalling ${num(e.snapshotVolumeGib)} GiB${e.snapshotsArchived > 0 ? ` (${num(e.snapshotsArchived)} in the Archive tier)` : ""}`;
  const billed = `the bill's EBS:SnapshotUsage line${e.snapshotBilledUsd !== null ? ` (${usd(e.snapshotBilledUsd)} on these days)` : ""}, listed with the lines not modeled, is the figure`;
  if (e.snapshotUpperBoundUsd === null || e.snapshotUsdPerGbMonth === null) {
    return [
      `${found}, an upper bound on what they store: the Standard tier bills only the changed blocks each snapshot keeps, which EC2 does not report. ${e.snapshotUsdPerGbMonth === null ? "No snapshot price is at hand (neither the Price List nor data/reference has one for the region), so they are not priced" : "None is in the Standard tier, and no Archive-tier price is read, so they are not priced"}: ${billed}.`,
    ];
  }
  const source = e.snapshotPriceSource === "pricing-api" ? "the Price List" : "data/reference";
  return [
    `${found}. At the Standard tier's ${usd(e.snapshotUsdPerGbMonth, 4)} per GB-month (${source}), the Standard-tier snapshots at their volumes' size would cost ${usd(e.snapshotUpperBoundUsd)} on these days: an upper bound, since AWS bills only the changed blocks each snapshot keeps while DescribeSnapshots gives the source volume's size${e.snapshotsArchived > 0 ? "; the archived ones are not priced (no Archive-tier price is read)" : ""}. Not added to the model: ${billed}.`,
  ];
}

/** The nodes' own volumes, modeled from EC2 DescribeVolumes: only when they were read. */
function nodeVolumeLines(e: GapEvidence): string[] {
  if (e.nodeVolumes === 0) return [];
  return [
    `EBS node volumes: ${num(e.nodeVolumes)} volume(s) attached to ${num(e.nodeVolumeNodes)} of the inventory's ${num(e.ec2Nodes)} EC2 node(s) that no PV names (root volumes; EC2 DescribeVolumes) are modeled at ${usd(e.nodeVolumesUsd)} per hour of their node, on the "node volumes" line and on the EBS line beside the PVCs${e.nodeVolumesUnpriced > 0 ? `; ${num(e.nodeVolumesUnpriced)} of them have no price for their volume type and are not counted` : ""}.`,
  ];
}

function storageGapLines(storageGap: number | null, e: GapEvidence): string[] {
  const modeled = e.nodeVolumes > 0 ? "the cluster's PVCs and its nodes' volumes" : "the cluster's PVCs";
  if (storageGap === null || Math.abs(storageGap) < CENT) return nodeVolumeLines(e);
  if (storageGap < 0)
    return [
      ...nodeVolumeLines(e),
      `Not compared: ${modeled} are modeled at ${usd(-storageGap)} more than the EBS volume storage billed under the tag.`,
    ];
  if (e.nodeVolumes > 0)
    return [
      ...nodeVolumeLines(e),
      `Not compared: the bill has ${usd(storageGap)} more EBS volume storage than ${modeled}: volumes neither a PV nor a node of the inventory holds (released or unreferenced volumes, or those of nodes gone before the snapshot)${e.nodeVolumeNodes < e.ec2Nodes ? `, and the volumes of the ${num(e.ec2Nodes - e.nodeVolumeNodes)} EC2 node(s) EC2 returned none for` : ""}.`,
    ];
  return [
    `Not compared: the bill has ${usd(storageGap)} more EBS volume storage than ${modeled}.${e.ec2Nodes > 0 ? ` The inventory's ${num(e.ec2Nodes)} EC2 node(s) (${hours(e.ec2NodeHours)} node-hours on these days) each boot from an EBS root volume the PVCs do not include; their sizes are not collected, so this remainder is named, not priced.` : " No EC2 node ran on these days: the volumes behind it are not in the inventory."}`,
  ];
}

/** Savings Plans and Reserved Instances, from the bill's purchase types: only where it shows them. */
function commitmentLines(c: ClusterReconciliation): string[] {
  const e = c.evidence;
  if (e.committedBilledHours <= 0) return [];
  const out = [
    `Commitments: Cost Explorer shows ${e.commitmentTypes ?? "commitments"} covering ${hours(e.committedBilledHours)} instance-hours; the model prices the ${hours(e.committedNodeHours)} node-hours they cover at the amortized rate paid, ${usd(e.commitmentSavingUsd)} below the on-demand list price.${c.gapUnblendedWindowUsd === null ? "" : ` The comparison is on AmortizedCost (fees spread over the hours they cover); against UnblendedCost the gap is ${usd(c.gapUnblendedWindowUsd)}.`}`,
  ];
  if (e.coverageMoves)
    out.push(
      `Coverage changed between days (${e.coverageMoves}): Savings Plans float between clusters and instance types from day to day, so each day is priced at its own share.`,
    );
  return out;
}

/** The EKS Auto Mode management fee: only when nodes Auto Mode manages ran on the compared days. */
function autoModeLines(e: GapEvidence): string[] {
  if (e.autoModeNodeHours <= 0) return [];
  const priced = e.autoModeNodeHours - e.autoModeUnpricedHours;
  return [
    `EKS Auto Mode: ${hours(e.autoModeNodeHours)} node-hours on nodes Auto Mode manages (label eks.amazonaws.com/compute-type=auto)${priced > 0 ? `; their management fee, per instance type from the Price List (usage type unverified), is ${usd(e.autoModeFeeUsd)} on its own line with the EKS fee` : ""}${e.autoModeUnpricedHours > 0 ? `; ${hours(e.autoModeUnpricedHours)} of them have no management-fee price, so their fee is not modeled` : ""}.`,
  ];
}

/** The EKS support tier, from the cluster's version and the release calendar: only when the EKS API was read. */
function supportLines(e: GapEvidence): string[] {
  const tier = e.controlPlaneTier
    ? [
        `EKS Provisioned Control Plane: the cluster's control plane runs the ${e.controlPlaneTier} scaling tier (DescribeCluster controlPlaneScalingConfig); its hourly charge is not modeled (no sourced price in data/reference), so the bill's EKS lines carry it beyond the modeled fee.`,
      ]
    : [];
  return [...tier, ...supportTierLines(e)];
}

function supportTierLines(e: GapEvidence): string[] {
  if (e.eksVersion === null) return [];
  if (e.unknownSupportHours > 0)
    return [
      `EKS support: Kubernetes ${e.eksVersion} is not in the release calendar (data/reference/eks-kubernetes-versions.csv); its ${hours(e.unknownSupportHours)} cluster-hours are priced at the standard fee only.`,
    ];
  if (e.extendedSupportHours > 0)
    return [
      `EKS support: Kubernetes ${e.eksVersion} is past standard support and the upgrade policy is ${e.eksSupportType}: ${hours(e.extendedSupportHours)} cluster-hours carry the extended-support surcharge, on its own line.`,
    ];
  return [];
}
