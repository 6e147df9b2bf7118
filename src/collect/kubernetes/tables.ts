/**
 * The rows this source writes, one type per table of the store (queries/migrations/): the
 * columns are listed once, checked against the type here and against the migration by
 * test/unit/collect/tables.test.ts, so a row type and its table cannot drift apart.
 */
import { columns, type Integer, type Json, type Timestamp } from "../tables.js";

/** A row of k8s_nodes. */
export interface NodeRow {
  cluster: string;
  name: string;
  instance_type: string | null;
  region: string | null;
  zone: string | null;
  arch: string | null;
  os: string | null;
  capacity_type: string; // on-demand | spot | reserved | fargate | unknown
  compute_type: string; // ec2 | fargate | auto | hybrid
  nodegroup: string | null;
  nodepool: string | null;
  cpu_capacity_cores: number;
  memory_capacity_bytes: Integer;
  pods_capacity: number | null;
  cpu_allocatable_cores: number;
  memory_allocatable_bytes: Integer;
  pods_allocatable: number | null;
  taints: Json; // JSON array of {key, value, effect}
  labels: Json; // JSON object
  created_at: Timestamp;
  provider_id: string | null;
  instance_id: string | null;
  ready_at: Timestamp | null; // the Ready condition's lastTransitionTime while True (migration 0011)
}

/** A row of k8s_pods. */
export interface PodRow {
  cluster: string;
  namespace: string;
  name: string;
  uid: string | null;
  phase: string;
  node_name: string | null;
  qos_class: string | null;
  priority_class: string | null;
  owner_kind: string | null;
  owner_name: string | null;
  workload_kind: string; // Deployment | StatefulSet | DaemonSet | CronJob | Job | Rollout | Pod
  workload_name: string;
  created_at: Timestamp;
  has_empty_dir: boolean;
  has_host_path: boolean;
  pvc_names: Json; // JSON array
  termination_grace_seconds: number | null;
  capacity_provisioned: string | null; // Fargate's CapacityProvisioned annotation, verbatim
  fargate_profile: string | null;
  do_not_disrupt: boolean;
  safe_to_evict: string | null;
  labels: Json; // JSON object
  annotations: Json; // the capacity.io/* ones (JSON object)
  arch_selector: Json | null; // JSON array of architectures the pod allows, null when any (migration 0009)
  scheduled_at: Timestamp | null; // the PodScheduled condition's lastTransitionTime while True (migration 0011)
  containers_started_at: Timestamp | null; // the last container's running.startedAt, null after a restart (0011)
}

/** A row of k8s_containers. */
export interface ContainerRow {
  cluster: string;
  namespace: string;
  pod: string;
  container: string;
  container_type: string; // init | sidecar | regular
  image: string | null;
  cpu_request_cores: number | null;
  cpu_limit_cores: number | null;
  memory_request_bytes: Integer | null;
  memory_limit_bytes: Integer | null;
  ephemeral_request_bytes: Integer | null;
  ephemeral_limit_bytes: Integer | null;
  restart_count: number;
  last_termination_reason: string | null;
  last_termination_at: Timestamp | null;
}

/** A row of k8s_workloads. */
export interface WorkloadRow {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  replicas_desired: number | null;
  replicas_ready: number | null;
  selector: Json; // JSON matchLabels
  hpa_name: string | null;
  hpa_min_replicas: number | null;
  hpa_max_replicas: number | null;
  hpa_metrics: Json; // JSON array of {type, resource, target}
  pdb_name: string | null;
  pdb_min_available: number | null; // resolved to pods
  pdb_max_unavailable: number | null; // resolved to pods
  strategy: Json; // JSON: {type, maxSurge, maxUnavailable}
  pvc_templates: Json; // JSON array of {name, storageClass, bytes}
  labels: Json;
  created_at: Timestamp | null;
  annotations: Json; // the capacity.io/* ones (JSON object)
  hpa_conditions: Json; // the HPA's status.conditions: JSON array of {type, status, reason, message, lastTransitionTime}
}

/** A row of k8s_namespaces. */
export interface NamespaceRow {
  cluster: string;
  name: string;
  phase: string | null;
  labels: Json;
  created_at: Timestamp | null;
}

/** A row of k8s_pvcs. */
export interface PvcRow {
  cluster: string;
  namespace: string;
  name: string;
  storage_class: string | null;
  phase: string | null;
  requested_bytes: Integer | null;
  capacity_bytes: Integer | null;
  volume_name: string | null;
  access_modes: Json; // JSON array
  labels: Json;
  created_at: Timestamp | null;
}

/** A row of k8s_pvs. */
export interface PvRow {
  cluster: string;
  name: string;
  storage_class: string | null;
  phase: string | null;
  capacity_bytes: Integer | null;
  claim_namespace: string | null;
  claim_name: string | null;
  reclaim_policy: string | null;
  csi_driver: string | null;
  volume_handle: string | null; // e.g. the EBS volume id
  zone: string | null;
  created_at: Timestamp | null;
}

/** A row of k8s_ingresses. */
export interface IngressRow {
  cluster: string;
  namespace: string;
  name: string;
  ingress_class: string | null; // spec.ingressClassName, else the kubernetes.io/ingress.class annotation
  backend_services: Json; // JSON array of the Service names its rules and default backend send to
  load_balancer: string | null; // hostname or IP of the load balancer
  annotations: Json; // the alb.ingress.kubernetes.io/* ones
  created_at: Timestamp | null;
}

/** A row of k8s_services. */
export interface ServiceRow {
  cluster: string;
  namespace: string;
  name: string;
  type: string; // ClusterIP | NodePort | LoadBalancer | ExternalName
  selector: Json; // JSON object
  ready_endpoints: number | null; // null when no endpoint data was listed
  not_ready_endpoints: number | null;
  load_balancer: string | null; // hostname or IP of the load balancer
  annotations: Json; // the service.beta.kubernetes.io/* ones
  created_at: Timestamp | null;
}

/** A row of k8s_storage_classes. */
export interface StorageClassRow {
  cluster: string;
  name: string;
  provisioner: string | null;
  parameters: Json; // JSON object of the class's parameters (type, iops, iopsPerGB, throughput, …)
  created_at: Timestamp | null;
}

/** A row of k8s_karpenter. */
export interface KarpenterRow {
  cluster: string;
  kind: string; // NodePool | NodeClaim
  name: string;
  nodepool: string | null; // a NodeClaim's NodePool
  node_name: string | null; // a NodeClaim's node
  instance_type: string | null;
  capacity_type: string | null;
  zone: string | null;
  requirements: Json; // JSON array of {key, operator, values}
  limits: Json; // JSON object (NodePool spec.limits)
  disruption: Json; // JSON object (NodePool spec.disruption)
  weight: number | null;
  created_at: Timestamp | null;
  node_class_ref: Json | null; // JSON object: the template's nodeClassRef {group, kind, name} (migration 0011)
}

export const KUBERNETES_TABLES = {
  k8s_nodes: columns<NodeRow>()([
    "cluster",
    "name",
    "instance_type",
    "region",
    "zone",
    "arch",
    "os",
    "capacity_type",
    "compute_type",
    "nodegroup",
    "nodepool",
    "cpu_capacity_cores",
    "memory_capacity_bytes",
    "pods_capacity",
    "cpu_allocatable_cores",
    "memory_allocatable_bytes",
    "pods_allocatable",
    "taints",
    "labels",
    "created_at",
    "provider_id",
    "instance_id",
    "ready_at",
  ]),
  k8s_pods: columns<PodRow>()([
    "cluster",
    "namespace",
    "name",
    "uid",
    "phase",
    "node_name",
    "qos_class",
    "priority_class",
    "owner_kind",
    "owner_name",
    "workload_kind",
    "workload_name",
    "created_at",
    "has_empty_dir",
    "has_host_path",
    "pvc_names",
    "termination_grace_seconds",
    "capacity_provisioned",
    "fargate_profile",
    "do_not_disrupt",
    "safe_to_evict",
    "labels",
    "annotations",
    "arch_selector",
    "scheduled_at",
    "containers_started_at",
  ]),
  k8s_containers: columns<ContainerRow>()([
    "cluster",
    "namespace",
    "pod",
    "container",
    "container_type",
    "image",
    "cpu_request_cores",
    "cpu_limit_cores",
    "memory_request_bytes",
    "memory_limit_bytes",
    "ephemeral_request_bytes",
    "ephemeral_limit_bytes",
    "restart_count",
    "last_termination_reason",
    "last_termination_at",
  ]),
  k8s_workloads: columns<WorkloadRow>()([
    "cluster",
    "namespace",
    "kind",
    "name",
    "replicas_desired",
    "replicas_ready",
    "selector",
    "hpa_name",
    "hpa_min_replicas",
    "hpa_max_replicas",
    "hpa_metrics",
    "pdb_name",
    "pdb_min_available",
    "pdb_max_unavailable",
    "strategy",
    "pvc_templates",
    "labels",
    "created_at",
    "annotations",
    "hpa_conditions",
  ]),
  k8s_namespaces: columns<NamespaceRow>()(["cluster", "name", "phase", "labels", "created_at"]),
  k8s_pvcs: columns<PvcRow>()([
    "cluster",
    "namespace",
    "name",
    "storage_class",
    "phase",
    "requested_bytes",
    "capacity_bytes",
    "volume_name",
    "access_modes",
    "labels",
    "created_at",
  ]),
  k8s_pvs: columns<PvRow>()([
    "cluster",
    "name",
    "storage_class",
    "phase",
    "capacity_bytes",
    "claim_namespace",
    "claim_name",
    "reclaim_policy",
    "csi_driver",
    "volume_handle",
    "zone",
    "created_at",
  ]),
  k8s_ingresses: columns<IngressRow>()([
    "cluster",
    "namespace",
    "name",
    "ingress_class",
    "backend_services",
    "load_balancer",
    "annotations",
    "created_at",
  ]),
  k8s_services: columns<ServiceRow>()([
    "cluster",
    "namespace",
    "name",
    "type",
    "selector",
    "ready_endpoints",
    "not_ready_endpoints",
    "load_balancer",
    "annotations",
    "created_at",
  ]),
  k8s_karpenter: columns<KarpenterRow>()([
    "cluster",
    "kind",
    "name",
    "nodepool",
    "node_name",
    "instance_type",
    "capacity_type",
    "zone",
    "requirements",
    "limits",
    "disruption",
    "weight",
    "created_at",
    "node_class_ref",
  ]),
  k8s_storage_classes: columns<StorageClassRow>()([
    "cluster",
    "name",
    "provisioner",
    "parameters",
    "created_at",
  ]),
} as const;
