/**
 * What the forecast's pre-scale plan reads of the demo's objects (issue 18): when each node became
 * Ready and when each pod was scheduled, so that its lead times come from the data
 * (queries/forecast/lead_time_samples.sql). PLANTED, asserted by test/e2e/forecast.test.ts. The
 * spread comes from each object's name, not from the demo's random stream: nothing else moves.
 */

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

/** A whole number in [lo, hi] from a name (FNV-1a). */
export function spread(name: string, lo: number, hi: number): number {
  let h = 2166136261;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return lo + (h % (hi - lo + 1));
}

/** PLANTED: a node's Ready condition, 38–85 s after its creation. */
export const readyCondition = (node: string, createdMs: number) => ({
  type: "Ready",
  status: "True",
  reason: "KubeletReady",
  lastTransitionTime: iso(createdMs + spread(node, 38, 85) * 1000),
});

/** PLANTED: a pod's PodScheduled condition, 1–12 s after its creation (its containers start at 20 s). */
export const scheduledCondition = (pod: string, createdMs: number) => ({
  type: "PodScheduled",
  status: "True",
  lastTransitionTime: iso(createdMs + spread(pod, 1, 12) * 1000),
});

/** The cluster's subnets (DescribeCluster's resourcesVpcConfig.subnetIds), one private subnet per zone. */
export const DEMO_SUBNET_IDS = [
  "subnet-0a1b2c3d4e5f60718",
  "subnet-0b2c3d4e5f6071829",
  "subnet-0c3d4e5f607182930",
];

/**
 * EC2 DescribeSubnets of them, as the SDK returns it. PLANTED: us-east-1c's /24 has FREE_IPS_1C
 * addresses left, fewer than the sale's extra pods and nodes take there (the forecast flags it).
 */
export const FREE_IPS_1C = 60;
export const demoSubnets = () =>
  DEMO_SUBNET_IDS.map((id, i) => ({
    AvailabilityZone: `us-east-1${"abc"[i]}`,
    AvailabilityZoneId: `use1-az${[1, 2, 4][i]}`,
    AvailableIpAddressCount: [3821, 3790, FREE_IPS_1C][i],
    CidrBlock: [`10.40.0.0/20`, `10.40.16.0/20`, `10.40.32.0/24`][i],
    State: "available",
    SubnetId: id,
    VpcId: "vpc-0e1f2a3b4c5d6e7f8",
  }));
