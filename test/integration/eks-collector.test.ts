/**
 * The EKS source with the real @aws-sdk/client-eks against a local fake speaking REST-JSON
 * (test/fixtures/fake-eks.ts), serving the demo's recorded answers: paginated lists, the rows it
 * maps, a recording that replays to the same rows, and a refused call that costs only what it
 * would have filled, named with its action.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { awsClientSettings } from "../../src/collect/aws.js";
import { openBundle } from "../../src/collect/bundle.js";
import { Eks } from "../../src/collect/eks/client.js";
import { collectEksFromBundle, collectEksLive } from "../../src/collect/eks/index.js";
import type { EksAnswers } from "../../src/collect/eks/map.js";
import { eks } from "../../src/collect/eks/source.js";
import type { Collection, Rejected, RowProblem } from "../../src/collect/source.js";
import { SourceError } from "../../src/core/errors.js";
import { memoryLogger } from "../../src/core/logger.js";
import { projectPath } from "../../src/core/paths.js";
import { type FakeEks, startFakeEks } from "../fixtures/fake-eks.js";

const demo = JSON.parse(
  readFileSync(projectPath("data", "demo", "aws", "demo-shop", "eks.json"), "utf8"),
) as EksAnswers;

let fake: FakeEks;
let dir: string;
const saved = { ...process.env };

beforeEach(async () => {
  fake = await startFakeEks({
    clusters: { "demo-shop": demo.cluster as Record<string, unknown> },
    nodegroups: { "demo-shop": demo.nodegroups as Array<Record<string, unknown>> },
    fargateProfiles: { "demo-shop": demo.fargateProfiles as Array<Record<string, unknown>> },
    subnets: demo.subnets as Array<Record<string, unknown>>,
    pageSize: 1,
  });
  Object.assign(process.env, fake.env);
  dir = mkdtempSync(join(tmpdir(), "capacity-eks-"));
});
afterEach(async () => {
  process.env = { ...saved };
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Two nodes' root volumes and one volume of an instance that is not a node. */
const VOLUMES = [
  {
    VolumeId: "vol-root-a",
    Size: 80,
    VolumeType: "gp3",
    Iops: 4000,
    Throughput: 250,
    AvailabilityZone: "us-east-1a",
    CreateTime: "2026-11-01T00:00:01.000Z",
    Attachments: [
      {
        InstanceId: "i-0a1",
        Device: "/dev/xvda",
        AttachTime: "2026-11-01T00:00:05.000Z",
        DeleteOnTermination: true,
      },
    ],
  },
  {
    VolumeId: "vol-root-b",
    Size: 20,
    VolumeType: "gp2",
    Iops: 100,
    AvailabilityZone: "us-east-1b",
    CreateTime: "2026-11-02T00:00:01.000Z",
    Attachments: [
      {
        InstanceId: "i-0b2",
        Device: "/dev/xvda",
        AttachTime: "2026-11-02T00:00:05.000Z",
        DeleteOnTermination: true,
      },
    ],
  },
  {
    VolumeId: "vol-other",
    Size: 500,
    VolumeType: "gp3",
    AvailabilityZone: "us-east-1a",
    CreateTime: "2026-11-01T00:00:01.000Z",
    Attachments: [{ InstanceId: "i-0zz", Device: "/dev/sdf", AttachTime: "2026-11-01T00:00:05.000Z" }],
  },
];

/** A snapshot under both tags, one under the CSI driver's only, one of another cluster, one untagged. */
const SNAPSHOTS = [
  {
    SnapshotId: "snap-both",
    VolumeId: "vol-a",
    VolumeSize: 100,
    State: "completed",
    StorageTier: "standard",
    StartTime: "2026-11-02T03:00:00.000Z",
    Tags: [
      { Key: "kubernetes.io/cluster/demo-shop", Value: "owned" },
      { Key: "ebs.csi.aws.com/cluster-name", Value: "demo-shop" },
    ],
  },
  {
    SnapshotId: "snap-csi",
    VolumeId: "vol-b",
    VolumeSize: 50,
    State: "completed",
    StartTime: "2026-11-03T03:00:00.000Z",
    Tags: [
      { Key: "ebs.csi.aws.com/cluster", Value: "true" },
      { Key: "ebs.csi.aws.com/cluster-name", Value: "demo-shop" },
    ],
  },
  {
    SnapshotId: "snap-other",
    VolumeId: "vol-c",
    VolumeSize: 80,
    StartTime: "2026-11-03T03:00:00.000Z",
    Tags: [
      { Key: "ebs.csi.aws.com/cluster", Value: "true" },
      { Key: "ebs.csi.aws.com/cluster-name", Value: "other" },
    ],
  },
  { SnapshotId: "snap-none", VolumeId: "vol-d", VolumeSize: 8, StartTime: "2026-11-03T03:00:00.000Z" },
];

const client = () => new Eks(awsClientSettings("us-east-1", 2), memoryLogger());

/** The source's Collection with a sink that keeps what it is given. */
function collection(record?: string) {
  const tables: Record<string, object[]> = {};
  const rejected: Rejected[] = [];
  const c = {
    cluster: { name: "demo-shop", region: "us-east-1", context: undefined },
    facts: { region: "us-east-1", instanceTypes: [], zones: [] },
    config: { aws: { maxAttempts: 2 } },
    logger: memoryLogger(),
    signal: new AbortController().signal,
    record,
    out: {
      runId: "r",
      append: async (table: string, rows: readonly object[]) => {
        tables[table] = [...(tables[table] ?? []), ...rows];
        return rows.length;
      },
      reject: (r: Rejected) => rejected.push(r),
    },
  } as unknown as Collection;
  return { c, tables, rejected };
}

describe("EKS collector, live", () => {
  it("describes the cluster, pages through node groups and Fargate profiles, and maps their rows", async () => {
    const problems: RowProblem[] = [];
    const rows = await collectEksLive(client(), { cluster: "demo-shop" }, problems);
    expect(problems).toEqual([]);
    expect(rows.clusters).toEqual([
      expect.objectContaining({
        cluster: "demo-shop",
        version: "1.31",
        platform_version: "eks.12",
        // The demo's cluster is in extended support (planted by scripts/demo/waste.ts).
        support_type: "EXTENDED",
        auto_mode_enabled: false,
        status: "ACTIVE",
        created_at: "2025-03-18T11:02:45.000Z",
      }),
    ]);
    expect(
      rows.nodegroups.map((g) => [g.nodegroup, g.instance_types, g.min_size, g.desired_size, g.max_size]),
    ).toEqual([
      ["general-od", ["m6i.xlarge"], 3, 18, 24],
      ["graviton-od", ["m7g.xlarge"], 2, 3, 6],
      ["batch-od", ["m6i.large"], 3, 3, 6],
      ["ci-od", ["m6i.large"], 1, 2, 2],
    ]);
    expect(rows.fargateProfiles.map((p) => [p.profile, p.selectors])).toEqual([
      ["reports", [{ namespace: "reports", labels: {} }]],
    ]);
    // One page per node group (pageSize 1): the nextToken was followed.
    const ops = fake.calls.map((c) => c.operation);
    expect(ops.filter((o) => o === "ListNodegroups")).toHaveLength(4);
    expect(fake.calls.find((c) => c.operation === "ListNodegroups" && c.query.nextToken)).toBeDefined();
    expect(ops.filter((o) => o === "DescribeNodegroup")).toHaveLength(4);
    // DescribeCluster, 4 list pages, 4 node groups, Fargate list and describe, subnets, snapshots by 2 tags.
    expect(rows.requests).toBe(1 + 4 + 4 + 1 + 1 + 1 + 2);
  });

  it("describes the cluster's subnets through EC2's query protocol and keeps each one's free addresses", async () => {
    const rows = await collectEksLive(client(), { cluster: "demo-shop" }, []);
    const call = fake.calls.find((c) => c.operation === "DescribeSubnets")!;
    // The ids DescribeCluster gave, as SubnetId.N form fields.
    expect(Object.entries(call.query).filter(([k]) => k.startsWith("SubnetId."))).toEqual(
      demo.cluster.resourcesVpcConfig!.subnetIds!.map((id, i) => [`SubnetId.${i + 1}`, id]),
    );
    expect(rows.subnets.map((s) => [s.subnet_id, s.zone, s.zone_id, s.available_ip_count])).toEqual(
      demo.subnets!.map((s) => [
        s.SubnetId,
        s.AvailabilityZone,
        s.AvailabilityZoneId,
        s.AvailableIpAddressCount,
      ]),
    );
  });

  it("describes the volumes attached to the nodes' instances, page by page, one row per attachment", async () => {
    fake.state.volumes = VOLUMES;
    const rows = await collectEksLive(
      client(),
      { cluster: "demo-shop", instanceIds: ["i-0a1", "i-0b2", "i-0a1"] },
      [],
    );
    const calls = fake.calls.filter((c) => c.operation === "DescribeVolumes");
    // The node ids as the filter attachment.instance-id, once each; pageSize 1: one page per volume.
    expect(calls[0]!.query).toMatchObject({
      "Filter.1.Name": "attachment.instance-id",
      "Filter.1.Value.1": "i-0a1",
      "Filter.1.Value.2": "i-0b2",
    });
    expect(calls).toHaveLength(2);
    expect(
      rows.nodeVolumes.map((v) => [v.volume_id, v.instance_id, v.device, v.volume_type, v.size_gib, v.iops]),
    ).toEqual([
      ["vol-root-a", "i-0a1", "/dev/xvda", "gp3", 80, 4000],
      ["vol-root-b", "i-0b2", "/dev/xvda", "gp2", 20, 100],
    ]);
    expect(rows.nodeVolumes[0]).toMatchObject({
      throughput_mibps: 250,
      zone: "us-east-1a",
      delete_on_termination: true,
      attached_at: "2026-11-01T00:00:05.000Z",
      created_at: "2026-11-01T00:00:01.000Z",
    });
  });

  it("without node instance ids EC2's volumes are not asked for", async () => {
    fake.state.volumes = VOLUMES;
    const rows = await collectEksLive(client(), { cluster: "demo-shop" }, []);
    expect(fake.calls.some((c) => c.operation === "DescribeVolumes")).toBe(false);
    expect(rows.nodeVolumes).toEqual([]);
  });

  it("a denied ec2:DescribeVolumes makes the source partial, naming the action, and replays so", async () => {
    fake.state.volumes = VOLUMES;
    fake.state.deny.add("DescribeVolumes");
    const { c, tables } = collection(dir);
    (c.facts as { instanceIds?: string[] }).instanceIds = ["i-0a1"];
    const outcome = await eks.live(c);
    expect(outcome.status).toBe("partial");
    expect(outcome.error).toContain("ec2:DescribeVolumes");
    expect(outcome.error).toContain("named, not priced");
    expect(tables.eks_node_volumes ?? []).toEqual([]);
    expect(tables.eks_subnets).toHaveLength(demo.subnets!.length);
    const replay = collection();
    const bundle = { dir, manifest: openBundle(projectPath("data", "demo")).manifest };
    expect(await eks.replay(bundle, replay.c)).toMatchObject({ status: "partial", error: outcome.error });
  });

  it("finds the account's snapshots under the cluster's tag or the EBS CSI driver's cluster-name tag, once each, and no other", async () => {
    fake.state.snapshots = SNAPSHOTS;
    const rows = await collectEksLive(client(), { cluster: "demo-shop" }, []);
    const calls = fake.calls.filter((c) => c.operation === "DescribeSnapshots");
    expect(
      calls.map((c) => [c.query["Owner.1"], c.query["Filter.1.Name"], c.query["Filter.1.Value.1"]]),
    ).toEqual([
      ["self", "tag-key", "kubernetes.io/cluster/demo-shop"],
      // Two snapshots carry the CSI tag: two pages of one (pageSize 1), the nextToken followed.
      ["self", "tag:ebs.csi.aws.com/cluster-name", "demo-shop"],
      ["self", "tag:ebs.csi.aws.com/cluster-name", "demo-shop"],
    ]);
    expect(rows.snapshots.map((s) => [s.snapshot_id, s.volume_id, s.volume_size_gib, s.matched_tag])).toEqual(
      [
        ["snap-both", "vol-a", 100, "kubernetes.io/cluster/demo-shop"],
        ["snap-csi", "vol-b", 50, "ebs.csi.aws.com/cluster-name"],
      ],
    );
    expect(rows.snapshots[0]).toMatchObject({
      state: "completed",
      storage_tier: "standard",
      started_at: "2026-11-02T03:00:00.000Z",
    });
  });

  it("a denied ec2:DescribeSnapshots makes the source partial, naming the action and that the bill's line is shown alone", async () => {
    fake.state.deny.add("DescribeSnapshots");
    const { c, tables } = collection();
    const outcome = await eks.live(c);
    expect(outcome.status).toBe("partial");
    expect(outcome.error).toContain("ec2:DescribeSnapshots");
    expect(outcome.error).toContain("EBS:SnapshotUsage line is shown alone");
    expect(tables.eks_snapshots ?? []).toEqual([]);
    expect(tables.eks_clusters).toHaveLength(1);
  });

  it("a denied ec2:DescribeSubnets makes the source partial, naming the action, and keeps the rest", async () => {
    fake.state.deny.add("DescribeSubnets");
    const { c, tables } = collection(dir);
    const outcome = await eks.live(c);
    expect(outcome.status).toBe("partial");
    expect(outcome.error).toContain("ec2:DescribeSubnets");
    expect(outcome.error).toContain("free IP addresses are unknown");
    expect(tables.eks_subnets ?? []).toEqual([]);
    expect(tables.eks_nodegroups).toHaveLength(4);
    const replay = collection();
    const bundle = { dir, manifest: openBundle(projectPath("data", "demo")).manifest };
    expect(await eks.replay(bundle, replay.c)).toMatchObject({ status: "partial", error: outcome.error });
  });

  it("records answers that replay to the same rows, and equal the demo's recording", async () => {
    const live = await collectEksLive(client(), { cluster: "demo-shop", recordDir: dir }, []);
    const recorded = JSON.parse(readFileSync(join(dir, "aws", "demo-shop", "eks.json"), "utf8"));
    expect(recorded.nodegroups.map((g: { nodegroupName: string }) => g.nodegroupName)).toEqual([
      "general-od",
      "graviton-od",
      "batch-od",
      "ci-od",
    ]);
    expect(recorded.cluster.createdAt).toBe(demo.cluster.createdAt);
    const bundle = { dir, manifest: openBundle(projectPath("data", "demo")).manifest };
    const { requests: _, ...liveRows } = live;
    expect(collectEksFromBundle(bundle, "demo-shop", [])).toEqual(liveRows);
  });

  it("a denied eks:ListNodegroups leaves the cluster row and makes the source partial, naming the action and what is unknown", async () => {
    fake.state.deny.add("ListNodegroups");
    const { c, tables } = collection();
    const outcome = await eks.live(c);
    expect(outcome.status).toBe("partial");
    expect(outcome.error).toContain("may not call eks:ListNodegroups");
    expect(outcome.error).toContain("grant eks:ListNodegroups");
    expect(outcome.error).toContain("does not hold node groups to their min/max");
    expect(tables.eks_clusters).toHaveLength(1);
    expect(tables.eks_nodegroups ?? []).toEqual([]);
    expect(tables.eks_fargate_profiles).toHaveLength(1);
  });

  it("a denied eks:DescribeCluster fails the source (the collect service records it missing) with the action named", async () => {
    fake.state.deny.add("DescribeCluster");
    const { c } = collection();
    const error = await eks.live(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).message).toContain("may not call eks:DescribeCluster");
    expect((error as SourceError).hint).toContain("grant eks:DescribeCluster");
  });

  it("a denied Fargate call is recorded in the bundle, so its replay is partial with the same caveat", async () => {
    fake.state.deny.add("DescribeFargateProfile");
    const live = collection(dir);
    const first = await eks.live(live.c);
    expect(first.status).toBe("partial");
    expect(first.error).toContain("eks:DescribeFargateProfile");
    const replay = collection();
    const bundle = { dir, manifest: openBundle(projectPath("data", "demo")).manifest };
    const again = await eks.replay(bundle, replay.c);
    expect(again).toMatchObject({ status: "partial", origin: "bundle", error: first.error });
    expect(replay.tables.eks_nodegroups).toHaveLength(4);
  });

  it("a cluster EKS does not know is a failure that says so", async () => {
    const error = await collectEksLive(client(), { cluster: "nope" }, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).message).toContain("eks:DescribeCluster failed: ResourceNotFoundException");
  });
});
