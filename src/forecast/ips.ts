/**
 * The VPC's free IPv4 addresses against what the event adds, per availability zone. With the
 * Amazon VPC CNI (EKS's default network plugin) every pod that is not on the host network takes an
 * address of its node's subnet, and a node holds whole ENIs: with the plugin's default
 * WARM_ENI_TARGET=1, ipamd keeps a full ENI of free secondary addresses beyond the pods', so a node
 * with p pods has ⌈p ÷ s⌉ + 1 ENIs attached (s = IPv4 per ENI − 1 secondaries), up to the type's
 * ENI count, each ENI holding its primary and all its secondaries. This reproduces the table of
 * aws/amazon-vpc-cni-k8s `docs/eni-and-ip-target.md` (t3.small: 0 pods 1 ENI, 5 pods 3 ENIs, 9 pods
 * 3; p3dn.24xlarge: 3 pods 2, 95 pods 3). A Fargate pod takes one address. Assumed: no prefix
 * delegation, no WARM_IP_TARGET/MINIMUM_IP_TARGET, no custom networking, DaemonSet pods on the host
 * network (aws-node, kube-proxy), IPv4.
 */
import type { InstanceType } from "../core/eks/instance-types.js";
import type { PackResult, SimNode } from "../core/eks/packing-types.js";
import type { PoolCapacity } from "./capacity.js";
import type { Flag } from "./replicas.js";

export const IP_ASSUMPTION =
  "VPC CNI defaults (WARM_ENI_TARGET=1): a node holds ⌈pods ÷ (IPv4 per ENI − 1)⌉ + 1 ENIs, up to its type's, each with all its addresses; a Fargate pod one address; no prefix delegation or WARM_IP_TARGET; DaemonSets on the host network";

export interface ZoneSubnets {
  zone: string;
  freeIps: number;
  subnets: number;
}

export interface ZoneIps {
  zone: string;
  freeIps: number;
  /** Addresses the pools hold at normal replicas and through the event (with headroom), in this zone. */
  normalIps: number;
  eventIps: number;
  /** eventIps − normalIps: what the event takes of the free addresses. */
  extraIps: number;
}

/** Addresses one node holds (above). A type the ENI table does not list: its primary and one per pod. */
export function nodeIps(
  node: Pick<SimNode, "capacityType" | "pods">,
  type: InstanceType | undefined,
): number {
  const pods = node.pods.length;
  if (node.capacityType === "fargate") return pods;
  if (!type?.enis || !type.ipv4PerEni || type.ipv4PerEni < 2) return 1 + pods;
  return Math.min(type.enis, Math.ceil(pods / (type.ipv4PerEni - 1)) + 1) * type.ipv4PerEni;
}

/** Addresses per zone; a node without a zone (Fargate) goes round the zones in turn. */
function byZone(
  packs: readonly PackResult[],
  zones: readonly string[],
  types: ReadonlyMap<string, InstanceType>,
) {
  const out = new Map(zones.map((z) => [z, 0]));
  let turn = 0;
  for (const p of packs)
    for (const n of p.nodes) {
      const zone = n.zone && out.has(n.zone) ? n.zone : zones[turn++ % zones.length]!;
      out.set(zone, (out.get(zone) ?? 0) + nodeIps(n, types.get(n.instanceType)));
    }
  return out;
}

export function ipCheck(
  pools: readonly PoolCapacity[],
  subnets: readonly ZoneSubnets[],
  catalogue: readonly InstanceType[],
): { zones: ZoneIps[]; flags: Flag[] } {
  if (!subnets.length) return { zones: [], flags: [] };
  const types = new Map(catalogue.map((t) => [t.name, t]));
  const zones = subnets.map((s) => s.zone).sort();
  const normal = byZone(
    pools.map((p) => p.normal),
    zones,
    types,
  );
  const event = byZone(
    pools.map((p) => p.held),
    zones,
    types,
  );
  const rows = [...subnets]
    .sort((a, b) => (a.zone < b.zone ? -1 : 1))
    .map((s) => {
      const normalIps = normal.get(s.zone) ?? 0;
      const eventIps = event.get(s.zone) ?? 0;
      return {
        zone: s.zone,
        freeIps: s.freeIps,
        normalIps,
        eventIps,
        extraIps: Math.max(0, eventIps - normalIps),
      };
    });
  const flags: Flag[] = rows
    .filter((z) => z.extraIps > z.freeIps)
    .map((z) => ({
      kind: "subnet-ips" as const,
      subject: z.zone,
      detail: `the event's extra pods and nodes take ${z.extraIps} IPv4 addresses in ${z.zone}; its subnets have ${z.freeIps} free: add a subnet in the zone (or secondary CIDR / prefix delegation), or pods will stay Pending`,
      needed: z.extraIps,
      limit: z.freeIps,
    }));
  return { zones: rows, flags };
}
