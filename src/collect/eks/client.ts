/**
 * The EKS API through @aws-sdk/client-eks (REST-JSON): the cluster, its managed node groups and
 * its Fargate profiles, paginated, with times as ISO text (the shape a bundle records).
 */

import {
  DescribeSnapshotsCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  EC2Client,
  type Filter,
} from "@aws-sdk/client-ec2";
import {
  DescribeClusterCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListFargateProfilesCommand,
  ListNodegroupsCommand,
} from "@aws-sdk/client-eks";
import type { Logger } from "../../core/logger.js";
import { type AwsClientSettings, awsFailure } from "../aws.js";
import { type SnapshotOutput, type SubnetOutput, snapshotTags, type VolumeOutput } from "./ec2-map.js";
import type { ClusterOutput, FargateProfileOutput, NodegroupOutput } from "./map.js";

/** Dates (the SDK's) as ISO text, everything else as it is. */
const recorded = <T>(value: unknown): T =>
  JSON.parse(JSON.stringify(value, (_, v) => (v instanceof Date ? v.toISOString() : v))) as T;

/** A name EKS no longer knows (deleted between the list and the describe). */
const gone = (error: unknown) => (error as { name?: string })?.name === "ResourceNotFoundException";

export class Eks {
  readonly client: EKSClient;
  /** EC2, for the free IP addresses of the cluster's subnets. */
  readonly ec2: EC2Client;
  requests = 0;

  constructor(
    settings: AwsClientSettings,
    private readonly logger: Logger,
    /** Aborts in-flight requests. */
    private readonly signal?: AbortSignal,
  ) {
    this.client = new EKSClient(settings);
    this.ec2 = new EC2Client(settings);
  }

  private async call<T>(action: string, send: () => Promise<T>): Promise<T> {
    this.requests++;
    try {
      return await send();
    } catch (error) {
      // The IAM action rides on the failure, for a caller that goes on without this call.
      throw Object.assign(awsFailure("eks", action, error), { action });
    }
  }

  async cluster(name: string): Promise<ClusterOutput> {
    const out = await this.call("eks:DescribeCluster", () =>
      this.client.send(new DescribeClusterCommand({ name }), { abortSignal: this.signal }),
    );
    return recorded<ClusterOutput>(out.cluster ?? {});
  }

  /** Every managed node group of the cluster, described; one deleted meanwhile is skipped. */
  async nodegroups(cluster: string): Promise<NodegroupOutput[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.call("eks:ListNodegroups", () =>
        this.client.send(
          new ListNodegroupsCommand({ clusterName: cluster, maxResults: 100, nextToken: token }),
          { abortSignal: this.signal },
        ),
      );
      names.push(...(page.nodegroups ?? []));
      token = page.nextToken || undefined;
    } while (token);
    const groups: NodegroupOutput[] = [];
    for (const nodegroupName of names) {
      try {
        const out = await this.call("eks:DescribeNodegroup", () =>
          this.client.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName }), {
            abortSignal: this.signal,
          }),
        );
        if (out.nodegroup) groups.push(recorded<NodegroupOutput>(out.nodegroup));
      } catch (error) {
        if (!gone((error as { cause?: unknown }).cause)) throw error;
      }
    }
    this.logger.debug("EKS node groups", { cluster, nodegroups: groups.length });
    return groups;
  }

  /** Every Fargate profile of the cluster, described; one deleted meanwhile is skipped. */
  async fargateProfiles(cluster: string): Promise<FargateProfileOutput[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.call("eks:ListFargateProfiles", () =>
        this.client.send(
          new ListFargateProfilesCommand({ clusterName: cluster, maxResults: 100, nextToken: token }),
          { abortSignal: this.signal },
        ),
      );
      names.push(...(page.fargateProfileNames ?? []));
      token = page.nextToken || undefined;
    } while (token);
    const profiles: FargateProfileOutput[] = [];
    for (const fargateProfileName of names) {
      try {
        const out = await this.call("eks:DescribeFargateProfile", () =>
          this.client.send(new DescribeFargateProfileCommand({ clusterName: cluster, fargateProfileName }), {
            abortSignal: this.signal,
          }),
        );
        if (out.fargateProfile) profiles.push(recorded<FargateProfileOutput>(out.fargateProfile));
      } catch (error) {
        if (!gone((error as { cause?: unknown }).cause)) throw error;
      }
    }
    return profiles;
  }

  /** The cluster's subnets (DescribeCluster's resourcesVpcConfig.subnetIds): one call, as EC2 takes no page size with ids. */
  async subnets(ids: readonly string[]): Promise<SubnetOutput[]> {
    if (ids.length === 0) return [];
    const out = await this.call("ec2:DescribeSubnets", () =>
      this.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [...ids] }), { abortSignal: this.signal }),
    );
    return recorded<SubnetOutput[]>(out.Subnets ?? []);
  }

  /**
   * The volumes attached to the nodes' instances (filter attachment.instance-id, up to 200 ids a
   * call), paginated; a volume attached to two of them is returned once.
   */
  async volumes(instanceIds: readonly string[]): Promise<VolumeOutput[]> {
    const byId = new Map<string, VolumeOutput>();
    const ids = [...new Set(instanceIds)].sort();
    for (let i = 0; i < ids.length; i += 200) {
      const Filters = [{ Name: "attachment.instance-id", Values: ids.slice(i, i + 200) }];
      let token: string | undefined;
      do {
        const page = await this.call("ec2:DescribeVolumes", () =>
          this.ec2.send(new DescribeVolumesCommand({ Filters, MaxResults: 500, NextToken: token }), {
            abortSignal: this.signal,
          }),
        );
        for (const v of recorded<VolumeOutput[]>(page.Volumes ?? [])) byId.set(v.VolumeId ?? "", v);
        token = page.NextToken || undefined;
      } while (token);
    }
    this.logger.debug("EC2 volumes of the nodes", { instances: ids.length, volumes: byId.size });
    return [...byId.values()];
  }

  /**
   * The account's own snapshots (OwnerIds self) under the cluster's tag: by tag key
   * kubernetes.io/cluster/<name>, then by tag ebs.csi.aws.com/cluster-name = <name> (EC2 ANDs
   * filters, so one call each), paginated; one found by both is returned once.
   */
  async snapshots(cluster: string): Promise<SnapshotOutput[]> {
    const { clusterTagKey, csiClusterNameKey } = snapshotTags(cluster);
    const byTag: Filter[][] = [
      [{ Name: "tag-key", Values: [clusterTagKey] }],
      [{ Name: `tag:${csiClusterNameKey}`, Values: [cluster] }],
    ];
    const byId = new Map<string, SnapshotOutput>();
    for (const Filters of byTag) {
      let token: string | undefined;
      do {
        const page = await this.call("ec2:DescribeSnapshots", () =>
          this.ec2.send(
            new DescribeSnapshotsCommand({ OwnerIds: ["self"], Filters, MaxResults: 1000, NextToken: token }),
            { abortSignal: this.signal },
          ),
        );
        for (const s of recorded<SnapshotOutput[]>(page.Snapshots ?? []))
          if (!byId.has(s.SnapshotId ?? "")) byId.set(s.SnapshotId ?? "", s);
        token = page.NextToken || undefined;
      } while (token);
    }
    return [...byId.values()];
  }
}
