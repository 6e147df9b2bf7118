/**
 * EKS API answers → eks_clusters, eks_nodegroups and eks_fargate_profiles rows. The answers are
 * taken as recorded (the SDK's output with times as ISO text), so a live run and a bundle map the
 * same way. An object whose values break a rule is left out and described in `problems`.
 */

import type { RowProblem } from "../source.js";
import type { SnapshotOutput, SubnetOutput, VolumeOutput } from "./ec2-map.js";
import type { EksClusterRow, EksFargateProfileRow, EksNodegroupRow } from "./tables.js";

/** DescribeCluster's `cluster`, the fields read. */
export interface ClusterOutput {
  name?: string;
  arn?: string;
  version?: string;
  platformVersion?: string;
  status?: string;
  createdAt?: string;
  upgradePolicy?: { supportType?: string };
  computeConfig?: { enabled?: boolean };
  controlPlaneScalingConfig?: { tier?: string };
  resourcesVpcConfig?: { subnetIds?: string[]; vpcId?: string };
  tags?: Record<string, string>;
}

/** DescribeNodegroup's `nodegroup`, the fields read. */
export interface NodegroupOutput {
  nodegroupName?: string;
  instanceTypes?: string[];
  capacityType?: string;
  amiType?: string;
  releaseVersion?: string;
  version?: string;
  scalingConfig?: { minSize?: number; maxSize?: number; desiredSize?: number };
  labels?: Record<string, string>;
  taints?: Array<{ key?: string; value?: string; effect?: string }>;
  status?: string;
  launchTemplate?: { name?: string; id?: string; version?: string };
  createdAt?: string;
}

/** DescribeFargateProfile's `fargateProfile`, the fields read. */
export interface FargateProfileOutput {
  fargateProfileName?: string;
  selectors?: Array<{ namespace?: string; labels?: Record<string, string> }>;
  subnets?: string[];
  status?: string;
  createdAt?: string;
}

/** An EKS call the identity may not make: its action and the message with the fix. */
export interface Unavailable {
  action: string;
  error: string;
}

/** What the EKS API said about one cluster: the bundle's aws/<cluster>/eks.json. */
export interface EksAnswers {
  cluster: ClusterOutput;
  nodegroups: NodegroupOutput[];
  fargateProfiles: FargateProfileOutput[];
  /** The cluster's subnets (resourcesVpcConfig.subnetIds) as EC2 describes them; absent in older bundles. */
  subnets?: SubnetOutput[];
  /** The volumes attached to the nodes' instances, as EC2 describes them; absent in older bundles. */
  volumes?: VolumeOutput[];
  /** The account's snapshots under the cluster's tag, as EC2 describes them; absent in older bundles. */
  snapshots?: SnapshotOutput[];
  /** Calls refused (AccessDenied): what they would have filled is not known. */
  unavailable: Unavailable[];
}

const SUPPORT_TYPES = new Set(["STANDARD", "EXTENDED"]);
const TAINT_EFFECTS = new Set(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]);

export type Bad = (field: string, value: unknown, rule: string, says: string) => void;

export function reporter(object: string, problems: RowProblem[]): Bad {
  return (field, value, rule, says) =>
    problems.push({
      object,
      field,
      value: value === undefined ? null : typeof value === "string" ? value : JSON.stringify(value),
      rule,
      message: `${object}: ${field}: ${JSON.stringify(value) ?? "undefined"} ${says}`,
    });
}

/** A JSON object (a bundle may hold anything where one belongs). */
export const isObject = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v);

/** A time as ISO text, null when absent; undefined when it is not a time. */
export function time(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return null;
  return typeof value === "string" && !Number.isNaN(Date.parse(value))
    ? new Date(value).toISOString()
    : undefined;
}

/**
 * The cluster's row. Left out when its version is not `major.minor` (the fee and the add-on
 * versions depend on it) or its support type is neither STANDARD nor EXTENDED. A cluster without
 * an upgrade policy is EXTENDED: what EKS applies to clusters created before the policy existed.
 */
export function mapCluster(
  output: ClusterOutput,
  cluster: string,
  problems: RowProblem[],
): EksClusterRow | undefined {
  const bad = reporter(`eks cluster ${cluster}`, problems);
  if (!isObject(output)) {
    bad("cluster", output, "object", "is not a cluster");
    return undefined;
  }
  if (typeof output.version !== "string" || !/^\d+\.\d+$/.test(output.version)) {
    bad("version", output.version, "kubernetes-version", "is not a Kubernetes version (major.minor)");
    return undefined;
  }
  const supportType = output.upgradePolicy?.supportType ?? "EXTENDED";
  if (!SUPPORT_TYPES.has(supportType)) {
    bad("upgradePolicy.supportType", supportType, "one-of", "is neither STANDARD nor EXTENDED");
    return undefined;
  }
  const createdAt = time(output.createdAt);
  if (createdAt === undefined) {
    bad("createdAt", output.createdAt, "time", "is not a time");
    return undefined;
  }
  return {
    cluster,
    eks_name: output.name ?? cluster,
    arn: output.arn ?? null,
    version: output.version,
    platform_version: output.platformVersion ?? null,
    support_type: supportType as EksClusterRow["support_type"],
    auto_mode_enabled: output.computeConfig?.enabled === true,
    control_plane_tier:
      typeof output.controlPlaneScalingConfig?.tier === "string"
        ? output.controlPlaneScalingConfig.tier
        : null,
    status: output.status ?? "UNKNOWN",
    created_at: createdAt,
    tags: output.tags ?? {},
  };
}

export const size = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/**
 * One row per node group. Left out: a group with no name, sizes that are not whole numbers ≥ 0 or
 * not min ≤ desired ≤ max (the re-pack holds a group to them), or a taint of an unknown effect.
 */
export function mapNodegroups(
  outputs: readonly NodegroupOutput[],
  cluster: string,
  problems: RowProblem[],
): EksNodegroupRow[] {
  const rows: EksNodegroupRow[] = [];
  for (const [i, g] of outputs.entries()) {
    const bad = reporter(`eks nodegroup ${isObject(g) ? (g.nodegroupName ?? `[${i}]`) : `[${i}]`}`, problems);
    if (!isObject(g)) {
      bad("nodegroup", g, "object", "is not a node group");
      continue;
    }
    if (typeof g.nodegroupName !== "string" || g.nodegroupName === "") {
      bad("nodegroupName", g.nodegroupName, "required", "is missing");
      continue;
    }
    const { minSize, maxSize, desiredSize } = g.scalingConfig ?? {};
    const wrong = Object.entries({ minSize, maxSize, desiredSize }).find(([, v]) => !size(v));
    if (wrong) {
      bad(`scalingConfig.${wrong[0]}`, wrong[1], "non-negative-integer", "is not a whole number ≥ 0");
      continue;
    }
    if (!((minSize as number) <= (desiredSize as number) && (desiredSize as number) <= (maxSize as number))) {
      bad(
        "scalingConfig",
        g.scalingConfig,
        "min ≤ desired ≤ max",
        "does not hold minSize ≤ desiredSize ≤ maxSize",
      );
      continue;
    }
    const taint = (g.taints ?? []).find((t) => !TAINT_EFFECTS.has(String(t?.effect)));
    if (taint !== undefined) {
      bad("taints", taint, "one-of", "has an effect other than NO_SCHEDULE, NO_EXECUTE, PREFER_NO_SCHEDULE");
      continue;
    }
    const createdAt = time(g.createdAt);
    if (createdAt === undefined) {
      bad("createdAt", g.createdAt, "time", "is not a time");
      continue;
    }
    rows.push({
      cluster,
      nodegroup: g.nodegroupName,
      instance_types: g.instanceTypes ?? [],
      capacity_type: g.capacityType ?? "ON_DEMAND",
      ami_type: g.amiType ?? null,
      release_version: g.releaseVersion ?? null,
      kubernetes_version: g.version ?? null,
      min_size: minSize as number,
      max_size: maxSize as number,
      desired_size: desiredSize as number,
      labels: g.labels ?? {},
      taints: (g.taints ?? []).map((t) => ({ key: t.key ?? "", value: t.value ?? null, effect: t.effect })),
      status: g.status ?? "UNKNOWN",
      launch_template: g.launchTemplate?.name ?? g.launchTemplate?.id ?? null,
      created_at: createdAt,
    });
  }
  return rows;
}

/** One row per Fargate profile; a profile with no name or a bad time is left out. */
export function mapFargateProfiles(
  outputs: readonly FargateProfileOutput[],
  cluster: string,
  problems: RowProblem[],
): EksFargateProfileRow[] {
  const rows: EksFargateProfileRow[] = [];
  for (const [i, p] of outputs.entries()) {
    const bad = reporter(
      `eks fargate profile ${isObject(p) ? (p.fargateProfileName ?? `[${i}]`) : `[${i}]`}`,
      problems,
    );
    if (!isObject(p) || typeof p.fargateProfileName !== "string" || p.fargateProfileName === "") {
      bad("fargateProfileName", isObject(p) ? p.fargateProfileName : p, "required", "is missing");
      continue;
    }
    const createdAt = time(p.createdAt);
    if (createdAt === undefined) {
      bad("createdAt", p.createdAt, "time", "is not a time");
      continue;
    }
    rows.push({
      cluster,
      profile: p.fargateProfileName,
      selectors: (p.selectors ?? []).map((s) => ({ namespace: s.namespace ?? null, labels: s.labels ?? {} })),
      subnets: p.subnets ?? [],
      status: p.status ?? "UNKNOWN",
      created_at: createdAt,
    });
  }
  return rows;
}
