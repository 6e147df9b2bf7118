/**
 * EC2's answers about one cluster's network and storage → eks_subnets, eks_node_volumes and
 * eks_snapshots rows: the subnets' free addresses, the volumes attached to the nodes, the snapshots
 * under the cluster's tag. Checked as the EKS answers are (map.ts); an object whose values break a
 * rule is left out and described in `problems`.
 */
import type { RowProblem } from "../source.js";
import { isObject, reporter, time } from "./map.js";
import type { EksNodeVolumeRow, EksSnapshotRow, EksSubnetRow } from "./tables.js";

/** EC2 DescribeSubnets' `Subnets[]` (of the cluster's subnets), the fields read. */
export interface SubnetOutput {
  SubnetId?: string;
  VpcId?: string;
  AvailabilityZone?: string;
  AvailabilityZoneId?: string;
  CidrBlock?: string;
  AvailableIpAddressCount?: number;
}

/** EC2 DescribeVolumes' `Volumes[]` (attached to the nodes' instances), the fields read. */
export interface VolumeOutput {
  VolumeId?: string;
  Size?: number;
  VolumeType?: string;
  Iops?: number;
  Throughput?: number;
  AvailabilityZone?: string;
  CreateTime?: string;
  Attachments?: Array<{
    InstanceId?: string;
    Device?: string;
    AttachTime?: string;
    DeleteOnTermination?: boolean;
  }>;
}

/** EC2 DescribeSnapshots' `Snapshots[]` (the account's, under the cluster's tag), the fields read. */
export interface SnapshotOutput {
  SnapshotId?: string;
  VolumeId?: string;
  VolumeSize?: number;
  State?: string;
  StorageTier?: string;
  StartTime?: string;
  Tags?: Array<{ Key?: string; Value?: string }>;
}

/** The snapshot tags that mark a cluster's snapshots (data/reference/README.md). */
export const snapshotTags = (cluster: string) => ({
  clusterTagKey: `kubernetes.io/cluster/${cluster}`,
  csiClusterNameKey: "ebs.csi.aws.com/cluster-name",
});

/** The cluster's subnets with their free IPv4 addresses; one without an id, zone or count is left out. */
export function mapSubnets(
  outputs: readonly SubnetOutput[],
  cluster: string,
  problems: RowProblem[],
): EksSubnetRow[] {
  const rows: EksSubnetRow[] = [];
  for (const [i, s] of outputs.entries()) {
    const bad = reporter(`ec2 subnet ${isObject(s) ? (s.SubnetId ?? `[${i}]`) : `[${i}]`}`, problems);
    if (!isObject(s) || typeof s.SubnetId !== "string" || s.SubnetId === "") {
      bad("SubnetId", isObject(s) ? s.SubnetId : s, "required", "is missing");
      continue;
    }
    if (typeof s.AvailabilityZone !== "string" || s.AvailabilityZone === "") {
      bad("AvailabilityZone", s.AvailabilityZone, "required", "is missing");
      continue;
    }
    const free = s.AvailableIpAddressCount;
    if (typeof free !== "number" || !Number.isInteger(free) || free < 0) {
      bad("AvailableIpAddressCount", free, "count", "is not a whole number of addresses");
      continue;
    }
    rows.push({
      cluster,
      subnet_id: s.SubnetId,
      vpc_id: s.VpcId ?? null,
      zone: s.AvailabilityZone,
      zone_id: s.AvailabilityZoneId ?? null,
      cidr_block: s.CidrBlock ?? null,
      available_ip_count: free,
    });
  }
  return rows;
}

/**
 * The nodes' attached volumes, one row per attachment; one without an id, type or whole size, or
 * with a time that is not one, is left out.
 */
export function mapVolumes(
  outputs: readonly VolumeOutput[],
  cluster: string,
  problems: RowProblem[],
): EksNodeVolumeRow[] {
  const rows: EksNodeVolumeRow[] = [];
  for (const [i, v] of outputs.entries()) {
    const bad = reporter(`ec2 volume ${isObject(v) ? (v.VolumeId ?? `[${i}]`) : `[${i}]`}`, problems);
    if (!isObject(v) || typeof v.VolumeId !== "string" || v.VolumeId === "") {
      bad("VolumeId", isObject(v) ? v.VolumeId : v, "required", "is missing");
      continue;
    }
    if (typeof v.VolumeType !== "string" || v.VolumeType === "") {
      bad("VolumeType", v.VolumeType, "required", "is missing");
      continue;
    }
    if (typeof v.Size !== "number" || !Number.isInteger(v.Size) || v.Size <= 0) {
      bad("Size", v.Size, "count", "is not a whole, positive number of GiB");
      continue;
    }
    const createdAt = time(v.CreateTime);
    if (createdAt === undefined) {
      bad("CreateTime", v.CreateTime, "time", "is not a time");
      continue;
    }
    for (const a of v.Attachments ?? []) {
      if (!isObject(a) || typeof a.InstanceId !== "string" || a.InstanceId === "") continue;
      const attachedAt = time(a.AttachTime);
      if (attachedAt === undefined) {
        bad("Attachments.AttachTime", a.AttachTime, "time", "is not a time");
        continue;
      }
      rows.push({
        cluster,
        volume_id: v.VolumeId,
        instance_id: a.InstanceId,
        device: a.Device ?? null,
        volume_type: v.VolumeType,
        size_gib: v.Size,
        iops: typeof v.Iops === "number" ? v.Iops : null,
        throughput_mibps: typeof v.Throughput === "number" ? v.Throughput : null,
        zone: v.AvailabilityZone ?? null,
        delete_on_termination: typeof a.DeleteOnTermination === "boolean" ? a.DeleteOnTermination : null,
        attached_at: attachedAt,
        created_at: createdAt,
      });
    }
  }
  return rows;
}

/** The cluster's snapshots; one without an id or a whole volume size, or with a start that is not a time, is left out. */
export function mapSnapshots(
  outputs: readonly SnapshotOutput[],
  cluster: string,
  problems: RowProblem[],
): EksSnapshotRow[] {
  const { clusterTagKey, csiClusterNameKey } = snapshotTags(cluster);
  const rows: EksSnapshotRow[] = [];
  for (const [i, s] of outputs.entries()) {
    const bad = reporter(`ec2 snapshot ${isObject(s) ? (s.SnapshotId ?? `[${i}]`) : `[${i}]`}`, problems);
    if (!isObject(s) || typeof s.SnapshotId !== "string" || s.SnapshotId === "") {
      bad("SnapshotId", isObject(s) ? s.SnapshotId : s, "required", "is missing");
      continue;
    }
    if (typeof s.VolumeSize !== "number" || !Number.isInteger(s.VolumeSize) || s.VolumeSize < 0) {
      bad("VolumeSize", s.VolumeSize, "count", "is not a whole number of GiB");
      continue;
    }
    const startedAt = time(s.StartTime);
    if (startedAt === undefined) {
      bad("StartTime", s.StartTime, "time", "is not a time");
      continue;
    }
    const tags = (s.Tags ?? []).filter(isObject);
    rows.push({
      cluster,
      snapshot_id: s.SnapshotId,
      volume_id: s.VolumeId ?? null,
      volume_size_gib: s.VolumeSize,
      state: s.State ?? null,
      storage_tier: s.StorageTier ?? null,
      started_at: startedAt,
      matched_tag: tags.some((t) => t.Key === clusterTagKey) ? clusterTagKey : csiClusterNameKey,
    });
  }
  return rows;
}
