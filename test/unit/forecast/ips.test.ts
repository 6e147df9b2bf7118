/**
 * The event's IPv4 addresses per zone against the subnets' free ones (ips.ts): a node's ENIs as
 * the VPC CNI holds them at its defaults, checked against the table in aws/amazon-vpc-cni-k8s
 * docs/eni-and-ip-target.md, and a two-zone case computed by hand.
 */
import { describe, expect, it } from "vitest";
import type { InstanceType } from "../../../src/core/eks/instance-types.js";
import type { SimNode } from "../../../src/core/eks/packing-types.js";
import type { PoolCapacity } from "../../../src/forecast/capacity.js";
import { ipCheck, nodeIps } from "../../../src/forecast/ips.js";

const type = (name: string, enis: number, ipv4PerEni: number) => ({ name, enis, ipv4PerEni }) as InstanceType;
const t3small = type("t3.small", 3, 4);
const p3dn = type("p3dn.24xlarge", 15, 50);
const m5large = type("m5.large", 3, 10);
const node = (
  pods: number,
  zone = "",
  instanceType = "m5.large",
  capacityType: SimNode["capacityType"] = "on-demand",
) => ({ pods: Array.from({ length: pods }, (_, i) => `p${i}`), zone, instanceType, capacityType }) as SimNode;
const pool = (name: string, normal: SimNode[], held: SimNode[]) =>
  ({ pool: name, normal: { nodes: normal }, held: { nodes: held } }) as unknown as PoolCapacity;

describe("a node's addresses (VPC CNI, WARM_ENI_TARGET=1)", () => {
  it("holds ⌈pods ÷ secondaries per ENI⌉ + 1 ENIs up to its type's, as the CNI's own table says", () => {
    // t3.small: 3 secondaries per ENI; 0 pods → 1 ENI, 5 → 3, 9 → 3 (its maximum); 4 addresses each
    expect([0, 5, 9].map((p) => nodeIps(node(p), t3small))).toEqual([4, 12, 12]);
    // p3dn.24xlarge: 49 secondaries; 3 pods → 2 ENIs, 95 → 3; 50 addresses each
    expect([3, 95].map((p) => nodeIps(node(p), p3dn))).toEqual([100, 150]);
  });

  it("counts a Fargate pod as one address, and a type without ENI data as its primary plus one per pod", () => {
    expect(nodeIps(node(1, "", "fargate-0.5vCPU-1GB", "fargate"), undefined)).toBe(1);
    expect(nodeIps(node(7), undefined)).toBe(8);
  });
});

describe("the event's addresses per zone", () => {
  const pools = [
    pool(
      "general",
      [node(4, "us-east-1a")],
      [node(9, "us-east-1a"), node(9, "us-east-1a"), node(10, "us-east-1b")],
    ),
    pool(
      "fargate",
      [node(1, "", "f", "fargate"), node(1, "", "f", "fargate")],
      Array.from({ length: 5 }, () => node(1, "", "f", "fargate")),
    ),
  ];
  const subnets = [
    { zone: "us-east-1b", freeIps: 100, subnets: 1 },
    { zone: "us-east-1a", freeIps: 20, subnets: 2 },
  ];
  const { zones, flags } = ipCheck(pools, subnets, [m5large]);

  it("adds each zone's nodes and pods, Fargate's in turn across the zones, normal against held", () => {
    // 1a normally: one m5.large with 4 pods: ⌈4/9⌉+1 = 2 ENIs × 10 = 20, and Fargate's first pod: 21.
    // 1a held: two m5.large with 9 pods: 2 ENIs each = 40, and Fargate's 1st, 3rd, 5th pods: 43.
    // 1b normally: Fargate's second pod: 1. Held: m5.large with 10 pods: ⌈10/9⌉+1 = 3 ENIs = 30, and 2 pods: 32.
    expect(zones).toEqual([
      { zone: "us-east-1a", freeIps: 20, normalIps: 21, eventIps: 43, extraIps: 22 },
      { zone: "us-east-1b", freeIps: 100, normalIps: 1, eventIps: 32, extraIps: 31 },
    ]);
  });

  it("flags the zone whose extra addresses exceed its free ones, and only that one", () => {
    expect(flags).toEqual([
      expect.objectContaining({ kind: "subnet-ips", subject: "us-east-1a", needed: 22, limit: 20 }),
    ]);
  });

  it("checks nothing when the subnets were not read", () => {
    expect(ipCheck(pools, [], [m5large])).toEqual({ zones: [], flags: [] });
  });
});
