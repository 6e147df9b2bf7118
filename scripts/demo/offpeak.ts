/**
 * The demo's planted cases for off-peak scale-down, autoscaler health and Graviton (issue #21),
 * appended to the catalogue by catalog.ts; each marked PLANTED, and asserted by
 * test/integration/offpeak-demo.test.ts.
 */
import type { WorkloadSpec } from "./catalog.js";

const MI = 1024 ** 2;
const ecr = (path: string) => `123456789012.dkr.ecr.us-east-1.amazonaws.com/${path}`;

/** One image run by an x86 workload and by a workload on the Graviton node group. */
export const MULTI_ARCH_IMAGE = ecr("shop/image-resizer:2.4.1");

/** PLANTED: pods pinned to amd64 by `nodeSelector: {kubernetes.io/arch: amd64}` (generate.ts). */
export const AMD64_PINNED: ReadonlySet<string> = new Set(["payments/hsm-bridge"]);

/** The node selector generate.ts gives a workload's pods beyond its pool's. */
export const archSelector = (w: WorkloadSpec): Record<string, string> =>
  AMD64_PINNED.has(`${w.namespace}/${w.name}`) ? { "kubernetes.io/arch": "amd64" } : {};

function deployment(
  namespace: string,
  name: string,
  pool: WorkloadSpec["pool"],
  replicas: number,
  c: { image?: string; cpu?: string; mem: string; useCpu: number; useMem: number; traffic?: boolean },
  extra: Partial<WorkloadSpec> = {},
): WorkloadSpec {
  return {
    namespace,
    name,
    kind: "Deployment",
    pool,
    replicas,
    team: namespace,
    containers: [
      {
        name,
        image: c.image ?? ecr(`${namespace}/${name}:3.0.${name.length}`),
        ...(c.cpu === undefined ? {} : { cpuRequest: c.cpu }),
        memoryRequest: c.mem,
        memoryLimit: c.mem,
        usage: {
          cpu: c.useCpu,
          memory: c.useMem,
          memoryPerTraffic: c.useMem * 0.1,
          traffic: c.traffic ?? true,
        },
      },
    ],
    ...extra,
  };
}

export function offpeakWorkloads(): WorkloadSpec[] {
  return [
    // PLANTED: held flat through the night under the daily curve: 8 replicas of 1 CPU, no HPA, on
    // the Karpenter pool; at the trough (20 % of the evening peak) 2 replicas carry the demand.
    deployment("shop", "storefront-ssr", "spot", 8, { cpu: "1", mem: "1Gi", useCpu: 0.5, useMem: 380 * MI }),
    // PLANTED: an HPA on CPU utilisation whose workload has no CPU request: it cannot compute
    // utilisation and keeps its replicas (generate.ts).
    deployment(
      "shop",
      "price-alerts",
      "od",
      3,
      { mem: "256Mi", useCpu: 0.08, useMem: 140 * MI },
      { hpa: { min: 2, max: 6, cpuUtilization: 70 } },
    ),
    // PLANTED: an HPA held at its maxReplicas through the busy half of every day: its pods need 7
    // replicas at the evening peak and may have 4.
    deployment(
      "shop",
      "live-chat",
      "od",
      4,
      { cpu: "250m", mem: "256Mi", useCpu: 0.3, useMem: 150 * MI },
      { hpa: { min: 2, max: 4, cpuUtilization: 70 } },
    ),
    // PLANTED: Arm-ready: its image already runs on the Graviton node group (the canary below).
    deployment("shop", "image-resizer", "od", 6, {
      image: MULTI_ARCH_IMAGE,
      cpu: "500m",
      mem: "1Gi",
      useCpu: 0.25,
      useMem: 500 * MI,
    }),
    deployment("shop", "image-resizer-canary", "graviton", 1, {
      image: MULTI_ARCH_IMAGE,
      cpu: "500m",
      mem: "512Mi",
      useCpu: 0.05,
      useMem: 200 * MI,
    }),
    // PLANTED: pinned to amd64 (AMD64_PINNED): its image is x86 only.
    deployment("payments", "hsm-bridge", "od", 2, {
      cpu: "250m",
      mem: "256Mi",
      useCpu: 0.05,
      useMem: 120 * MI,
      traffic: false,
    }),
    // PLANTED: Cluster Autoscaler runs: it removes the managed node groups' freed nodes.
    deployment("kube-system", "cluster-autoscaler", "od", 1, {
      image: "registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.0",
      cpu: "100m",
      mem: "600Mi",
      useCpu: 0.02,
      useMem: 310 * MI,
      traffic: false,
    }),
  ];
}
