/**
 * The simulator on a large pool: 10,000 pods of 2,000 workloads (some spread over zones, some
 * one per node) packed onto a Karpenter NodePool of 20 instance types, with three DaemonSets per
 * node; about 1,000 nodes. Prints the CPU time of the packing, its wall time and the process's
 * peak RSS, then the figures as one JSON line (for bench/run.ts).
 *   npx tsx bench/packing.ts
 */
import { instanceTypesFromRows, onDemandPricesFromRows } from "../src/core/eks/instance-types.js";
import { pack } from "../src/core/eks/packing.js";
import type { SimPod } from "../src/core/eks/packing-types.js";
import type { KarpenterPool } from "../src/core/eks/pools.js";
import { readReferenceCsv } from "../src/core/reference-csv.js";

const MIB = 1024 ** 2;

/** mulberry32: the same pods on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const families = ["m5", "m6i", "m7i", "c5", "c6i", "c7i", "r5", "r6i", "m5a", "c5a"];
const instanceTypes = families.flatMap((f) => [`${f}.xlarge`, `${f}.2xlarge`]);
const pool: KarpenterPool = {
  kind: "karpenter",
  name: "general",
  requirements: { instanceTypes, capacityTypes: ["on-demand"] },
  limits: { cpuCores: 20_000 },
  consolidationPolicy: "WhenEmptyOrUnderutilized",
  zones: ["us-east-1a", "us-east-1b", "us-east-1c"],
  daemonSets: [
    { name: "aws-node", cpuCores: 0.025, memoryBytes: 0 },
    { name: "kube-proxy", cpuCores: 0.1, memoryBytes: 0 },
    { name: "node-exporter", cpuCores: 0.1, memoryBytes: 180 * MIB },
  ],
};

const next = random(13);
const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
const pods: SimPod[] = [];
for (let w = 0; w < 2000; w++) {
  const cpuCores = pick([0.1, 0.25, 0.5, 0.5, 0.75, 1, 1, 1.25, 1.5]);
  const memoryBytes = pick([256, 512, 1024, 1536, 2048, 4096]) * MIB;
  const constraint = next();
  for (let r = 0; r < 5; r++)
    pods.push({
      name: `ns-${w % 40}/workload-${w}-${r}`,
      group: `ns-${w % 40}/Deployment/workload-${w}`,
      cpuCores,
      memoryBytes,
      ...(constraint < 0.3 ? { zoneSpread: { maxSkew: 1 } } : {}),
      ...(constraint > 0.9 ? { antiAffinity: "hostname" as const } : {}),
    });
}
const catalogue = instanceTypesFromRows(readReferenceCsv("ec2-instance-types.csv"));
const prices = onDemandPricesFromRows(readReferenceCsv("ec2-ondemand-prices.csv"), "us-east-1");

const cpuBefore = process.cpuUsage();
const started = process.hrtime.bigint();
const result = pack({ pool, catalogue, prices, pods });
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
const { totals } = result;
process.stderr.write(
  [
    `packing: ${pods.length.toLocaleString("en-US")} pods of 2,000 workloads onto a NodePool of ${instanceTypes.length} types (3 DaemonSets, 30 % zone-spread, 10 % one per node)`,
    `  ${totals.nodes} nodes (${Object.entries(totals.nodesByType)
      .map(([t, n]) => `${n} ${t}`)
      .join(", ")}), ${totals.podsUnplaced} pods unplaced, $${totals.usdPerHour.toFixed(2)}/h`,
    `  CPU ${cpuSeconds.toFixed(2)} s, wall ${seconds.toFixed(2)} s, peak RSS ${maxRssMb.toFixed(0)} MB  (target: under 2 s)`,
    "",
  ].join("\n"),
);
process.stdout.write(
  `${JSON.stringify({ pods: pods.length, nodes: totals.nodes, unplaced: totals.podsUnplaced, usdPerHour: totals.usdPerHour, cpuSeconds, seconds, maxRssMb })}\n`,
);
