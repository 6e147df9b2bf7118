/** Why modeled and billed differ: pure, over the reconciliation of one cluster. */
import { num, usd } from "../../report/format.js";

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

export interface ClusterReconciliation {
  cluster: string;
  lines: ReconciliationLine[];
  /** Modeled compute + EKS fee over the days the bill covers. */
  modeledWindowUsd: number;
  /** Billed compute + EKS fee over the same days. */
  billedWindowUsd: number | null;
  billedMonthlyUsd: number | null;
  gapWindowUsd: number | null;
  gapShare: number | null;
  instanceGaps: InstanceGap[];
  storageGapWindowUsd: number | null;
  otherBilledWindowUsd: number | null;
  podHoursOnUnknownNodes: number;
  unknownNodes: string[];
  unpricedNodeHours: number;
  unpricedTypes: string | null;
}

/** Why modeled and billed differ, in dollars where the bill says, in the order a reviewer should check. */
export function explainGap(c: ClusterReconciliation): string[] {
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
  for (const l of c.lines.filter((x) => x.compared && !x.label.startsWith("EC2"))) {
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
