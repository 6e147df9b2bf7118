/** The whole inventory to rows: nodes, pods a page at a time, workloads (bare pods become workloads of their own). */
import {
  type Inventory,
  type K8sObject,
  type KubernetesRows,
  mapNode,
  type Problem,
  problemOf,
} from "./map.js";
import { mapPod, type OwnerIndex, ownerIndex } from "./pods.js";
import type { ContainerRow, NodeRow, PodRow } from "./tables.js";
import { mapWorkloads } from "./workloads.js";

// --- all of it --------------------------------------------------------------------------------

function recorder(problems: Problem[], resource: string) {
  return (error: unknown) => {
    problems.push(problemOf(error, resource));
  };
}

export interface PodRows {
  k8s_pods: PodRow[];
  k8s_containers: ContainerRow[];
}

/** Maps pods into `out` (a page at a time, so that a large cluster's pod objects need not be kept). */
export function mapPodsInto(
  pods: Iterable<K8sObject>,
  cluster: string,
  index: OwnerIndex,
  out: PodRows,
  problems: Problem[],
): void {
  const record = recorder(problems, "pods");
  for (const pod of pods) {
    try {
      const mapped = mapPod(pod, cluster, index);
      out.k8s_pods.push(mapped.pod);
      for (const c of mapped.containers) out.k8s_containers.push(c);
    } catch (error) {
      record(error);
    }
  }
}

/** Nodes and workloads from the inventory, with the pods already mapped (bare pods become workloads). */
export function assembleInventory(
  inv: Omit<Inventory, "pods">,
  pods: PodRows,
  cluster: string,
  problems: Problem[],
): KubernetesRows {
  const record = recorder(problems, "nodes");
  const k8s_nodes: NodeRow[] = [];
  for (const node of inv.nodes) {
    try {
      k8s_nodes.push(mapNode(node, cluster));
    } catch (error) {
      record(error);
    }
  }
  const k8s_workloads = mapWorkloads({ ...inv, pods: [] }, cluster, problems);
  // Bare pods (and pods whose controller was not listed) are workloads of their own.
  const known = new Set(k8s_workloads.map((w) => `${w.namespace}/${w.kind}/${w.name}`));
  for (const pod of pods.k8s_pods) {
    const key = `${pod.namespace}/${pod.workload_kind}/${pod.workload_name}`;
    if (known.has(key)) continue;
    known.add(key);
    k8s_workloads.push({
      cluster,
      namespace: pod.namespace,
      kind: pod.workload_kind,
      name: pod.workload_name,
      replicas_desired: pod.workload_kind === "Pod" ? 1 : null,
      replicas_ready: null,
      selector: null,
      hpa_name: null,
      hpa_min_replicas: null,
      hpa_max_replicas: null,
      hpa_metrics: null,
      pdb_name: null,
      pdb_min_available: null,
      pdb_max_unavailable: null,
      strategy: null,
      pvc_templates: [],
      labels: pod.labels,
      created_at: pod.created_at,
      annotations: pod.annotations,
      hpa_conditions: null,
    });
  }
  return { k8s_nodes, ...pods, k8s_workloads, problems };
}

export function mapInventory(inv: Inventory, cluster: string): KubernetesRows {
  const problems: Problem[] = [];
  const pods: PodRows = { k8s_pods: [], k8s_containers: [] };
  mapPodsInto(inv.pods, cluster, ownerIndex(inv), pods, problems);
  return assembleInventory(inv, pods, cluster, problems);
}
