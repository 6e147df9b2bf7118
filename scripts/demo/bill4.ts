/**
 * PLANTED for issue 16 (EBS snapshots priced as an upper bound): the account's EBS snapshots
 * under the demo cluster's tags, as EC2 DescribeSnapshots answers them, added to the bundle's
 * eks.json. The bill already carries their storage (scripts/demo/billlines.ts: 400 GB-month of
 * EBS:SnapshotUsage); these are the snapshots behind it, so the reconciliation can count them
 * and price the Standard tier at the source volumes' size (an upper bound, since the bill is for
 * the changed blocks only) beside the bill's line. Called once by generate.ts on the finished files.
 *
 * - payments/postgres's three 100 GiB volumes, snapshotted by the EBS CSI driver (tag
 *   ebs.csi.aws.com/cluster-name) before the window: 300 GiB;
 * - search/opensearch-0's 150 GiB volume, snapshotted under kubernetes.io/cluster/<name>: 150 GiB;
 * - staging-old/preview-db-0's 20 GiB volume, archived: counted, not priced (no Archive-tier price).
 * Standard tier: 450 GiB of source volumes against the bill's 400 GB-month.
 */
type Files = Map<string, string | Buffer>;

const SNAPSHOTS = [
  {
    id: "snap-0d1c5e7a9b3f24601",
    volume: "vol-0c41a7e2d95b38f01",
    gib: 100,
    tag: "csi",
    claim: "payments/data-postgres-0",
  },
  {
    id: "snap-0d1c5e7a9b3f24602",
    volume: "vol-0c41a7e2d95b38f02",
    gib: 100,
    tag: "csi",
    claim: "payments/data-postgres-1",
  },
  {
    id: "snap-0d1c5e7a9b3f24603",
    volume: "vol-0c41a7e2d95b38f03",
    gib: 100,
    tag: "csi",
    claim: "payments/data-postgres-2",
  },
  {
    id: "snap-0e2f6a8c1d4b57604",
    volume: "vol-0f52b8d3e16c49a04",
    gib: 150,
    tag: "cluster",
    claim: "search/data-opensearch-0",
  },
  {
    id: "snap-0a3b7c9e2f5d68705",
    volume: "vol-0b63c9e4f27d5ab05",
    gib: 20,
    tag: "cluster",
    claim: "staging-old/data-preview-db-0",
    archived: true,
  },
] as const;

/** Adds DescribeSnapshots' answer to the cluster's eks.json. */
export function plantSnapshots(files: Files, cluster: { name: string }): void {
  const path = `aws/${cluster.name}/eks.json`;
  const eks = JSON.parse(files.get(path) as string);
  eks.snapshots = SNAPSHOTS.map((s) => ({
    SnapshotId: s.id,
    VolumeId: s.volume,
    VolumeSize: s.gib,
    State: "completed",
    StorageTier: "archived" in s ? "archive" : "standard",
    StartTime: "archived" in s ? "2026-06-01T03:00:00.000Z" : "2026-10-25T03:00:00.000Z",
    Tags:
      s.tag === "csi"
        ? [
            { Key: "ebs.csi.aws.com/cluster-name", Value: cluster.name },
            { Key: "CSIVolumeSnapshotName", Value: `snapcontent-${s.claim.replace("/", "-")}` },
          ]
        : [{ Key: `kubernetes.io/cluster/${cluster.name}`, Value: "owned" }],
  }));
  files.set(path, `${JSON.stringify(eks, null, 1)}\n`);
}
