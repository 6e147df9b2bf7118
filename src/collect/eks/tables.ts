/**
 * The rows this source writes, one type per table of the store (queries/migrations/0006_eks.sql):
 * the columns are listed once, checked against the type here and against the migration by
 * test/unit/collect/tables.test.ts, so a row type and its table cannot drift apart.
 */
import { columns, type Json, type Timestamp } from "../tables.js";

/** A row of eks_clusters: DescribeCluster. */
export interface EksClusterRow {
  cluster: string;
  eks_name: string;
  arn: string | null;
  version: string;
  platform_version: string | null;
  support_type: "STANDARD" | "EXTENDED";
  auto_mode_enabled: boolean;
  /** controlPlaneScalingConfig.tier (standard | tier-xl | tier-2xl | tier-4xl | tier-8xl), null when absent. */
  control_plane_tier: string | null;
  status: string;
  created_at: Timestamp | null;
  tags: Json;
}

/** A row of eks_nodegroups: DescribeNodegroup. */
export interface EksNodegroupRow {
  cluster: string;
  nodegroup: string;
  instance_types: Json;
  capacity_type: string;
  ami_type: string | null;
  release_version: string | null;
  kubernetes_version: string | null;
  min_size: number;
  max_size: number;
  desired_size: number;
  labels: Json;
  taints: Json;
  status: string;
  launch_template: string | null;
  created_at: Timestamp | null;
}

/** A row of eks_fargate_profiles: DescribeFargateProfile. */
export interface EksFargateProfileRow {
  cluster: string;
  profile: string;
  selectors: Json;
  subnets: Json;
  status: string;
  created_at: Timestamp | null;
}

/** A row of eks_subnets: EC2 DescribeSubnets of the cluster's subnets (migration 0011). */
export interface EksSubnetRow {
  cluster: string;
  subnet_id: string;
  vpc_id: string | null;
  zone: string;
  zone_id: string | null;
  cidr_block: string | null;
  available_ip_count: number;
}

/** A row of eks_node_volumes: EC2 DescribeVolumes of the nodes' instances, one per attachment (migration 0018). */
export interface EksNodeVolumeRow {
  cluster: string;
  volume_id: string;
  instance_id: string;
  device: string | null;
  volume_type: string;
  size_gib: number;
  iops: number | null;
  throughput_mibps: number | null;
  zone: string | null;
  delete_on_termination: boolean | null;
  attached_at: Timestamp | null;
  created_at: Timestamp | null;
}

/** A row of eks_snapshots: EC2 DescribeSnapshots of the account's snapshots under the cluster's tag (migration 0018). */
export interface EksSnapshotRow {
  cluster: string;
  snapshot_id: string;
  volume_id: string | null;
  /** The source volume's size: an upper bound on the changed blocks the Standard tier bills. */
  volume_size_gib: number;
  state: string | null;
  storage_tier: string | null;
  started_at: Timestamp | null;
  /** The tag the snapshot was found by (kubernetes.io/cluster/<name> or ebs.csi.aws.com/cluster-name). */
  matched_tag: string;
}

export const EKS_TABLES = {
  eks_clusters: columns<EksClusterRow>()([
    "cluster",
    "eks_name",
    "arn",
    "version",
    "platform_version",
    "support_type",
    "auto_mode_enabled",
    "status",
    "created_at",
    "tags",
    "control_plane_tier",
  ]),
  eks_nodegroups: columns<EksNodegroupRow>()([
    "cluster",
    "nodegroup",
    "instance_types",
    "capacity_type",
    "ami_type",
    "release_version",
    "kubernetes_version",
    "min_size",
    "max_size",
    "desired_size",
    "labels",
    "taints",
    "status",
    "launch_template",
    "created_at",
  ]),
  eks_fargate_profiles: columns<EksFargateProfileRow>()([
    "cluster",
    "profile",
    "selectors",
    "subnets",
    "status",
    "created_at",
  ]),
  eks_subnets: columns<EksSubnetRow>()([
    "cluster",
    "subnet_id",
    "vpc_id",
    "zone",
    "zone_id",
    "cidr_block",
    "available_ip_count",
  ]),
  eks_node_volumes: columns<EksNodeVolumeRow>()([
    "cluster",
    "volume_id",
    "instance_id",
    "device",
    "volume_type",
    "size_gib",
    "iops",
    "throughput_mibps",
    "zone",
    "delete_on_termination",
    "attached_at",
    "created_at",
  ]),
  eks_snapshots: columns<EksSnapshotRow>()([
    "cluster",
    "snapshot_id",
    "volume_id",
    "volume_size_gib",
    "state",
    "storage_tier",
    "started_at",
    "matched_tag",
  ]),
} as const;
