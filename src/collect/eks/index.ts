/**
 * The EKS API collector: live (client.ts) or the recorded answers of a bundle
 * (aws/<cluster>/eks.json). The cluster itself must be described; a node group or Fargate call the
 * identity may not make (AccessDenied) leaves what it would have filled unknown, named in
 * `unavailable`, and the rest is kept: the source is partial, never the run's failure.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SourceError } from "../../core/errors.js";
import { type Bundle, readBundleJson } from "../bundle.js";
import { failureKind } from "../errors.js";
import type { RowProblem } from "../source.js";
import type { Eks } from "./client.js";
import { mapSnapshots, mapSubnets, mapVolumes } from "./ec2-map.js";
import { type EksAnswers, mapCluster, mapFargateProfiles, mapNodegroups, type Unavailable } from "./map.js";
import type {
  EksClusterRow,
  EksFargateProfileRow,
  EksNodegroupRow,
  EksNodeVolumeRow,
  EksSnapshotRow,
  EksSubnetRow,
} from "./tables.js";

export const EKS_FILE = "eks.json";

export interface EksRows {
  clusters: EksClusterRow[];
  nodegroups: EksNodegroupRow[];
  fargateProfiles: EksFargateProfileRow[];
  subnets: EksSubnetRow[];
  nodeVolumes: EksNodeVolumeRow[];
  snapshots: EksSnapshotRow[];
  unavailable: Unavailable[];
}

/** What each optional call fills, for the caveat when it is refused. */
const WITHOUT: Record<string, string> = {
  "eks:ListNodegroups":
    "node group sizes are unknown, so the right-sizing re-pack does not hold node groups to their min/max",
  "eks:DescribeNodegroup":
    "node group sizes are unknown, so the right-sizing re-pack does not hold node groups to their min/max",
  "eks:ListFargateProfiles": "Fargate profiles are not listed",
  "eks:DescribeFargateProfile": "Fargate profiles are not listed",
  "ec2:DescribeSubnets":
    "the cluster's subnets' free IP addresses are unknown, so the forecast does not check the event's pods and nodes against them",
  "ec2:DescribeVolumes":
    "the nodes' root and other non-PVC volumes are not read, so the bill's EBS beyond the PVCs is named, not priced",
  "ec2:DescribeSnapshots":
    "the cluster's EBS snapshots are not counted; the bill's EBS:SnapshotUsage line is shown alone",
};

/** The caveat of a refused call: the action, the error with its fix, and what is missing. */
export function unavailableNote(u: Unavailable): string {
  return `${u.error}; ${WITHOUT[u.action] ?? "what it returns is missing"}`;
}

export function mapAnswers(answers: EksAnswers, cluster: string, problems: RowProblem[]): EksRows {
  const row = mapCluster(answers.cluster, cluster, problems);
  return {
    clusters: row ? [row] : [],
    nodegroups: mapNodegroups(answers.nodegroups ?? [], cluster, problems),
    fargateProfiles: mapFargateProfiles(answers.fargateProfiles ?? [], cluster, problems),
    subnets: mapSubnets(answers.subnets ?? [], cluster, problems),
    nodeVolumes: mapVolumes(answers.volumes ?? [], cluster, problems),
    snapshots: mapSnapshots(answers.snapshots ?? [], cluster, problems),
    unavailable: answers.unavailable ?? [],
  };
}

/** An optional part of the answers: [] and a note when the identity may not ask for it. */
async function optional<T>(unavailable: Unavailable[], fetch: () => Promise<T[]>): Promise<T[]> {
  try {
    return await fetch();
  } catch (error) {
    if (failureKind(error) !== "denied") throw error;
    const e = error as SourceError & { action?: string };
    unavailable.push({
      action: e.action ?? "eks",
      error: e.hint ? `${e.message} (fix: ${e.hint})` : e.message,
    });
    return [];
  }
}

export async function collectEksLive(
  eks: Eks,
  options: {
    cluster: string;
    recordDir?: string | undefined;
    /** The EC2 instance ids of the cluster's nodes (spec.providerID), whose volumes are described. */
    instanceIds?: readonly string[] | undefined;
  },
  problems: RowProblem[],
): Promise<EksRows & { requests: number }> {
  const cluster = await eks.cluster(options.cluster);
  const unavailable: Unavailable[] = [];
  const nodegroups = await optional(unavailable, () => eks.nodegroups(options.cluster));
  const fargateProfiles = await optional(unavailable, () => eks.fargateProfiles(options.cluster));
  const subnets = await optional(unavailable, () => eks.subnets(cluster.resourcesVpcConfig?.subnetIds ?? []));
  const ids = options.instanceIds ?? [];
  const volumes = ids.length > 0 ? await optional(unavailable, () => eks.volumes(ids)) : [];
  const snapshots = await optional(unavailable, () => eks.snapshots(options.cluster));
  const answers: EksAnswers = {
    cluster,
    nodegroups,
    fargateProfiles,
    subnets,
    volumes,
    snapshots,
    unavailable,
  };
  if (options.recordDir) {
    const dir = join(options.recordDir, "aws", options.cluster);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, EKS_FILE), `${JSON.stringify(answers, null, 1)}\n`);
  }
  return { ...mapAnswers(answers, options.cluster, problems), requests: eks.requests };
}

export function collectEksFromBundle(
  bundle: Bundle,
  cluster: string,
  problems: RowProblem[],
): EksRows | undefined {
  const answers = readBundleJson(bundle, "eks", "aws", cluster, EKS_FILE) as EksAnswers | undefined;
  if (answers === undefined) return undefined;
  if (typeof answers !== "object" || answers === null || Array.isArray(answers))
    throw new SourceError(
      "eks",
      `aws/${cluster}/${EKS_FILE} must be an object with cluster, nodegroups, fargateProfiles`,
    );
  for (const list of [
    "nodegroups",
    "fargateProfiles",
    "subnets",
    "volumes",
    "snapshots",
    "unavailable",
  ] as const) {
    if (answers[list] !== undefined && !Array.isArray(answers[list]))
      throw new SourceError("eks", `aws/${cluster}/${EKS_FILE}: ${list} must be an array`);
  }
  return mapAnswers(answers, cluster, problems);
}
