/**
 * The demo's EKS API answers (aws/<cluster>/eks.json, what `collect --record` writes from
 * DescribeCluster, DescribeNodegroup and DescribeFargateProfile): the cluster on Kubernetes 1.31
 * (past standard support in November 2026: its upgrade policy is bill.ts's DEMO_SUPPORT_TYPE), its two managed node groups sized to the nodes the generator made,
 * and the Fargate profile of the `reports` namespace.
 * PLANTED: graviton-od has minSize 2, so the right-sizing re-pack, which would leave it one node,
 * must keep two and say that the node group's minimum holds the other.
 */
import { DEMO_SUPPORT_TYPE } from "./bill.js";
import { DEMO_SUBNET_IDS, demoSubnets } from "./forecast3.js";

const ACCOUNT = "123456789012";

export function eksAnswers(
  cluster: { name: string; region: string },
  nodesPerGroup: Record<"general-od" | "graviton-od", number>,
): string {
  const arn = (kind: string, name: string) =>
    `arn:aws:eks:${cluster.region}:${ACCOUNT}:${kind}/${cluster.name}/${name}`;
  const group = (
    name: keyof typeof nodesPerGroup,
    type: string,
    amiType: string,
    minSize: number,
    maxSize: number,
  ) => ({
    nodegroupName: name,
    nodegroupArn: `${arn("nodegroup", name)}/4ec9b1d2-0f3a-7c55-1e2b-8d6a90c3f417`,
    clusterName: cluster.name,
    version: "1.31",
    releaseVersion: "1.31.2-20261104",
    createdAt: "2026-09-14T09:21:37.000Z",
    status: "ACTIVE",
    capacityType: "ON_DEMAND",
    scalingConfig: { minSize, maxSize, desiredSize: nodesPerGroup[name] },
    instanceTypes: [type],
    amiType,
    labels: { team: "platform" },
    taints: [],
    diskSize: 20,
    tags: { "eks:cluster-name": cluster.name },
  });
  const answers = {
    cluster: {
      name: cluster.name,
      arn: `arn:aws:eks:${cluster.region}:${ACCOUNT}:cluster/${cluster.name}`,
      createdAt: "2025-03-18T11:02:45.000Z",
      version: "1.31",
      platformVersion: "eks.12",
      status: "ACTIVE",
      upgradePolicy: { supportType: DEMO_SUPPORT_TYPE },
      computeConfig: { enabled: false },
      resourcesVpcConfig: { subnetIds: DEMO_SUBNET_IDS, vpcId: "vpc-0e1f2a3b4c5d6e7f8" },
      tags: { "eks:cluster-name": cluster.name, team: "platform" },
    },
    nodegroups: [
      group("general-od", "m6i.xlarge", "AL2023_x86_64_STANDARD", 3, 24),
      group("graviton-od", "m7g.xlarge", "AL2023_ARM_64_STANDARD", 2, 6),
    ],
    fargateProfiles: [
      {
        fargateProfileName: "reports",
        fargateProfileArn: `${arn("fargateprofile", "reports")}/b2c4e6f8-1a3b-5c7d-9e0f-2a4b6c8d0e1f`,
        clusterName: cluster.name,
        createdAt: "2026-06-02T15:40:12.000Z",
        selectors: [{ namespace: "reports" }],
        subnets: DEMO_SUBNET_IDS,
        status: "ACTIVE",
      },
    ],
    subnets: demoSubnets(),
    unavailable: [],
  };
  return `${JSON.stringify(answers, null, 1)}\n`;
}
