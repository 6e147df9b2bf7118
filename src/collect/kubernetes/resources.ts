/**
 * What the Kubernetes collector lists, in order (owners before pods), and the ClusterRole rule
 * each list needs. Kept apart from client.ts so that code which only needs the list (a bundle
 * replay, the RBAC test) does not load the Kubernetes client.
 */
import type * as k8s from "@kubernetes/client-node";
import { failureKind } from "../errors.js";

export interface Apis {
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  batch: k8s.BatchV1Api;
  autoscaling: k8s.AutoscalingV2Api;
  policy: k8s.PolicyV1Api;
  discovery: k8s.DiscoveryV1Api;
  networking: k8s.NetworkingV1Api;
  storage: k8s.StorageV1Api;
  custom: k8s.CustomObjectsApi;
}

export interface Page {
  items?: unknown[];
  metadata?: { _continue?: string; continue?: string; resourceVersion?: string };
}

export type PageParams = { limit: number; _continue?: string };

export interface ResourceSpec {
  /** Bundle file name and our name for it: `pods` → kubernetes/<cluster>/pods.json. */
  resource: string;
  group: string;
  version: string;
  /** Kind of the items, for List documents and the serializer (`V1Pod`). */
  kind: string;
  serializerType?: string;
  /** A custom resource that may not be installed: 404 means "none", not an error. */
  optional?: boolean;
  list: (apis: Apis, params: PageParams) => Promise<Page>;
}

const custom =
  (group: string, version: string, plural: string) =>
  (apis: Apis, p: PageParams): Promise<Page> =>
    apis.custom.listClusterCustomObject({
      group,
      version,
      plural,
      limit: p.limit,
      _continue: p._continue,
    }) as Promise<Page>;

/** What the collector lists, in the order it lists it (owners before pods). */
export const RESOURCE_SPECS: readonly ResourceSpec[] = [
  {
    resource: "namespaces",
    group: "",
    version: "v1",
    kind: "Namespace",
    serializerType: "V1NamespaceList",
    list: (a, p) => a.core.listNamespace(p),
  },
  {
    resource: "nodes",
    group: "",
    version: "v1",
    kind: "Node",
    serializerType: "V1NodeList",
    list: (a, p) => a.core.listNode(p),
  },
  {
    resource: "deployments",
    group: "apps",
    version: "v1",
    kind: "Deployment",
    serializerType: "V1DeploymentList",
    list: (a, p) => a.apps.listDeploymentForAllNamespaces(p),
  },
  {
    resource: "replicasets",
    group: "apps",
    version: "v1",
    kind: "ReplicaSet",
    serializerType: "V1ReplicaSetList",
    list: (a, p) => a.apps.listReplicaSetForAllNamespaces(p),
  },
  {
    resource: "statefulsets",
    group: "apps",
    version: "v1",
    kind: "StatefulSet",
    serializerType: "V1StatefulSetList",
    list: (a, p) => a.apps.listStatefulSetForAllNamespaces(p),
  },
  {
    resource: "daemonsets",
    group: "apps",
    version: "v1",
    kind: "DaemonSet",
    serializerType: "V1DaemonSetList",
    list: (a, p) => a.apps.listDaemonSetForAllNamespaces(p),
  },
  {
    resource: "jobs",
    group: "batch",
    version: "v1",
    kind: "Job",
    serializerType: "V1JobList",
    list: (a, p) => a.batch.listJobForAllNamespaces(p),
  },
  {
    resource: "cronjobs",
    group: "batch",
    version: "v1",
    kind: "CronJob",
    serializerType: "V1CronJobList",
    list: (a, p) => a.batch.listCronJobForAllNamespaces(p),
  },
  {
    resource: "rollouts",
    group: "argoproj.io",
    version: "v1alpha1",
    kind: "Rollout",
    optional: true,
    list: custom("argoproj.io", "v1alpha1", "rollouts"),
  },
  {
    resource: "horizontalpodautoscalers",
    group: "autoscaling",
    version: "v2",
    kind: "HorizontalPodAutoscaler",
    serializerType: "V2HorizontalPodAutoscalerList",
    list: (a, p) => a.autoscaling.listHorizontalPodAutoscalerForAllNamespaces(p),
  },
  {
    resource: "poddisruptionbudgets",
    group: "policy",
    version: "v1",
    kind: "PodDisruptionBudget",
    serializerType: "V1PodDisruptionBudgetList",
    list: (a, p) => a.policy.listPodDisruptionBudgetForAllNamespaces(p),
  },
  {
    resource: "persistentvolumeclaims",
    group: "",
    version: "v1",
    kind: "PersistentVolumeClaim",
    serializerType: "V1PersistentVolumeClaimList",
    list: (a, p) => a.core.listPersistentVolumeClaimForAllNamespaces(p),
  },
  {
    resource: "persistentvolumes",
    group: "",
    version: "v1",
    kind: "PersistentVolume",
    serializerType: "V1PersistentVolumeList",
    list: (a, p) => a.core.listPersistentVolume(p),
  },
  {
    resource: "storageclasses",
    group: "storage.k8s.io",
    version: "v1",
    kind: "StorageClass",
    serializerType: "V1StorageClassList",
    // Not needed to price a PVC's size: without it, its IOPS and throughput stay unpriced.
    optional: true,
    list: (a, p) => a.storage.listStorageClass(p),
  },
  {
    resource: "services",
    group: "",
    version: "v1",
    kind: "Service",
    serializerType: "V1ServiceList",
    list: (a, p) => a.core.listServiceForAllNamespaces(p),
  },
  {
    resource: "ingresses",
    group: "networking.k8s.io",
    version: "v1",
    kind: "Ingress",
    serializerType: "V1IngressList",
    list: (a, p) => a.networking.listIngressForAllNamespaces(p),
  },
  {
    resource: "endpointslices",
    group: "discovery.k8s.io",
    version: "v1",
    kind: "EndpointSlice",
    serializerType: "V1EndpointSliceList",
    list: (a, p) => a.discovery.listEndpointSliceForAllNamespaces(p),
  },
  {
    resource: "nodepools",
    group: "karpenter.sh",
    version: "v1",
    kind: "NodePool",
    optional: true,
    list: custom("karpenter.sh", "v1", "nodepools"),
  },
  {
    resource: "nodeclaims",
    group: "karpenter.sh",
    version: "v1",
    kind: "NodeClaim",
    optional: true,
    list: custom("karpenter.sh", "v1", "nodeclaims"),
  },
  {
    resource: "pods",
    group: "",
    version: "v1",
    kind: "Pod",
    serializerType: "V1PodList",
    list: (a, p) => a.core.listPodForAllNamespaces(p),
  },
];

/** The rule a ClusterRole needs for `capacity` to list a resource. */
export function ruleFor(spec: Pick<ResourceSpec, "group" | "resource">): string {
  return `{apiGroups: ["${spec.group}"], resources: ["${spec.resource}"], verbs: ["list"]}`;
}

/** A SourceError for a custom resource that is not installed (HTTP 404). */
export function isNotInstalled(error: unknown): boolean {
  return failureKind(error) === "not-installed";
}
