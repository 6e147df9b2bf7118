/**
 * Pure functions from the cluster objects beside workloads (namespaces, PVCs, PVs, Services and
 * their endpoints, Karpenter NodePools and NodeClaims) to rows of their k8s_* tables.
 */
import { InputError } from "../../core/errors.js";
import { isoTime, type K8sObject, type Problem, problemOf } from "./map.js";
import { storage as checkedStorage } from "./pods.js";
import type {
  IngressRow,
  KarpenterRow,
  NamespaceRow,
  PvcRow,
  PvRow,
  ServiceRow,
  StorageClassRow,
} from "./tables.js";

export interface ObjectRows {
  k8s_namespaces: NamespaceRow[];
  k8s_pvcs: PvcRow[];
  k8s_pvs: PvRow[];
  k8s_services: ServiceRow[];
  k8s_ingresses: IngressRow[];
  k8s_karpenter: KarpenterRow[];
  k8s_storage_classes: StorageClassRow[];
}

export interface ClusterObjects {
  namespaces: K8sObject[];
  persistentvolumeclaims: K8sObject[];
  persistentvolumes: K8sObject[];
  storageclasses: K8sObject[];
  services: K8sObject[];
  ingresses: K8sObject[];
  endpoints: K8sObject[];
  endpointslices: K8sObject[];
  nodepools: K8sObject[];
  nodeclaims: K8sObject[];
}

export const OBJECT_RESOURCES = [
  "namespaces",
  "persistentvolumeclaims",
  "persistentvolumes",
  "storageclasses",
  "services",
  "ingresses",
  "endpoints",
  "endpointslices",
  "nodepools",
  "nodeclaims",
] as const satisfies ReadonlyArray<keyof ClusterObjects>;

const name = (o: K8sObject) =>
  `${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name ?? "(unnamed)"}`;

function storage(value: unknown, object: string, field: string): bigint | null {
  return value === undefined || value === null ? null : checkedStorage(value, { object, field });
}

/** Ready and not-ready endpoint counts per Service, from EndpointSlices (preferred) or Endpoints. */
export function endpointCounts(
  objects: Pick<ClusterObjects, "endpoints" | "endpointslices">,
): Map<string, { ready: number; notReady: number }> {
  const counts = new Map<string, { ready: number; notReady: number }>();
  const add = (key: string, ready: number, notReady: number) => {
    const c = counts.get(key) ?? { ready: 0, notReady: 0 };
    c.ready += ready;
    c.notReady += notReady;
    counts.set(key, c);
  };
  if (objects.endpointslices.length > 0) {
    for (const slice of objects.endpointslices) {
      const service = slice.metadata?.labels?.["kubernetes.io/service-name"];
      if (!service) continue;
      // biome-ignore lint/suspicious/noExplicitAny: EndpointSlice endpoints, read field by field.
      const endpoints: any[] = (slice as any).endpoints ?? [];
      const ready = endpoints.filter((e) => e.conditions?.ready !== false).length;
      add(`${slice.metadata?.namespace}/${service}`, ready, endpoints.length - ready);
    }
    return counts;
  }
  for (const ep of objects.endpoints) {
    // biome-ignore lint/suspicious/noExplicitAny: Endpoints subsets, read field by field.
    const subsets: any[] = (ep as any).subsets ?? [];
    const ready = subsets.reduce((a, s) => a + (s.addresses?.length ?? 0), 0);
    const notReady = subsets.reduce((a, s) => a + (s.notReadyAddresses?.length ?? 0), 0);
    add(`${ep.metadata?.namespace}/${ep.metadata?.name}`, ready, notReady);
  }
  return counts;
}

export function mapClusterObjects(objects: ClusterObjects, cluster: string, problems: Problem[]): ObjectRows {
  const rows: ObjectRows = {
    k8s_namespaces: [],
    k8s_pvcs: [],
    k8s_pvs: [],
    k8s_services: [],
    k8s_ingresses: [],
    k8s_karpenter: [],
    k8s_storage_classes: [],
  };
  const guard = (resource: keyof ClusterObjects, fn: () => void) => {
    try {
      fn();
    } catch (error) {
      problems.push(problemOf(error, resource));
    }
  };
  for (const ns of objects.namespaces) {
    guard("namespaces", () => {
      if (!ns.metadata?.name) throw new InputError("namespace (unnamed)", "metadata.name", "is missing");
      rows.k8s_namespaces.push({
        cluster,
        name: ns.metadata.name,
        phase: ns.status?.phase ?? null,
        labels: ns.metadata.labels ?? {},
        created_at: isoTime(ns.metadata.creationTimestamp),
      });
    });
  }
  for (const pvc of objects.persistentvolumeclaims) {
    guard("persistentvolumeclaims", () => {
      const object = `persistentvolumeclaim ${name(pvc)}`;
      if (!pvc.metadata?.name || !pvc.metadata.namespace)
        throw new InputError(object, "metadata.name", "is missing");
      rows.k8s_pvcs.push({
        cluster,
        namespace: pvc.metadata.namespace,
        name: pvc.metadata.name,
        storage_class: pvc.spec?.storageClassName ?? null,
        phase: pvc.status?.phase ?? null,
        requested_bytes: storage(
          pvc.spec?.resources?.requests?.storage,
          object,
          "spec.resources.requests.storage",
        ),
        capacity_bytes: storage(pvc.status?.capacity?.storage, object, "status.capacity.storage"),
        volume_name: pvc.spec?.volumeName ?? null,
        access_modes: pvc.spec?.accessModes ?? [],
        labels: pvc.metadata.labels ?? {},
        created_at: isoTime(pvc.metadata.creationTimestamp),
      });
    });
  }
  for (const pv of objects.persistentvolumes) {
    guard("persistentvolumes", () => {
      const object = `persistentvolume ${name(pv)}`;
      if (!pv.metadata?.name) throw new InputError(object, "metadata.name", "is missing");
      const zoneTerm = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.find(
        (e: { key?: string }) =>
          e.key === "topology.kubernetes.io/zone" || e.key === "topology.ebs.csi.aws.com/zone",
      );
      rows.k8s_pvs.push({
        cluster,
        name: pv.metadata.name,
        storage_class: pv.spec?.storageClassName ?? null,
        phase: pv.status?.phase ?? null,
        capacity_bytes: storage(pv.spec?.capacity?.storage, object, "spec.capacity.storage"),
        claim_namespace: pv.spec?.claimRef?.namespace ?? null,
        claim_name: pv.spec?.claimRef?.name ?? null,
        reclaim_policy: pv.spec?.persistentVolumeReclaimPolicy ?? null,
        csi_driver: pv.spec?.csi?.driver ?? (pv.spec?.awsElasticBlockStore ? "kubernetes.io/aws-ebs" : null),
        volume_handle: pv.spec?.csi?.volumeHandle ?? pv.spec?.awsElasticBlockStore?.volumeID ?? null,
        zone: zoneTerm?.values?.[0] ?? pv.metadata.labels?.["topology.kubernetes.io/zone"] ?? null,
        created_at: isoTime(pv.metadata.creationTimestamp),
      });
    });
  }
  for (const sc of objects.storageclasses) {
    guard("storageclasses", () => {
      if (!sc.metadata?.name) throw new InputError("storageclass (unnamed)", "metadata.name", "is missing");
      // biome-ignore lint/suspicious/noExplicitAny: StorageClass keeps provisioner and parameters at the top level.
      const top = sc as any;
      const parameters: Record<string, string> = {};
      for (const [k, v] of Object.entries(top.parameters ?? {})) parameters[k] = String(v);
      rows.k8s_storage_classes.push({
        cluster,
        name: sc.metadata.name,
        provisioner: typeof top.provisioner === "string" ? top.provisioner : null,
        parameters,
        created_at: isoTime(sc.metadata.creationTimestamp),
      });
    });
  }
  const endpoints =
    objects.endpoints.length + objects.endpointslices.length > 0 ? endpointCounts(objects) : undefined;
  for (const svc of objects.services) {
    guard("services", () => {
      const object = `service ${name(svc)}`;
      if (!svc.metadata?.name || !svc.metadata.namespace)
        throw new InputError(object, "metadata.name", "is missing");
      const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
      const ingress = svc.status?.loadBalancer?.ingress?.[0];
      const counts = endpoints?.get(key);
      rows.k8s_services.push({
        cluster,
        namespace: svc.metadata.namespace,
        name: svc.metadata.name,
        type: svc.spec?.type ?? "ClusterIP",
        selector: svc.spec?.selector ?? null,
        ready_endpoints: endpoints ? (counts?.ready ?? 0) : null,
        not_ready_endpoints: endpoints ? (counts?.notReady ?? 0) : null,
        load_balancer: ingress?.hostname ?? ingress?.ip ?? null,
        annotations: Object.fromEntries(
          Object.entries(svc.metadata.annotations ?? {}).filter(([k]) =>
            k.startsWith("service.beta.kubernetes.io/"),
          ),
        ),
        created_at: isoTime(svc.metadata.creationTimestamp),
      });
    });
  }
  for (const ing of objects.ingresses) {
    guard("ingresses", () => {
      const object = `ingress ${name(ing)}`;
      if (!ing.metadata?.name || !ing.metadata.namespace)
        throw new InputError(object, "metadata.name", "is missing");
      type Backend = { service?: { name?: unknown } } | undefined;
      type Rule = { http?: { paths?: Array<{ backend?: Backend }> } };
      const backend = (b: Backend) => b?.service?.name;
      const services = [
        backend(ing.spec?.defaultBackend),
        ...((ing.spec?.rules ?? []) as Rule[]).flatMap((r) =>
          (r.http?.paths ?? []).map((p) => backend(p.backend)),
        ),
      ].filter((n): n is string => typeof n === "string");
      const annotations: Record<string, string> = ing.metadata.annotations ?? {};
      const lb = ing.status?.loadBalancer?.ingress?.[0];
      rows.k8s_ingresses.push({
        cluster,
        namespace: ing.metadata.namespace,
        name: ing.metadata.name,
        ingress_class: ing.spec?.ingressClassName ?? annotations["kubernetes.io/ingress.class"] ?? null,
        backend_services: [...new Set(services)].sort(),
        load_balancer: lb?.hostname ?? lb?.ip ?? null,
        annotations: Object.fromEntries(
          Object.entries(annotations).filter(([k]) => k.startsWith("alb.ingress.kubernetes.io/")),
        ),
        created_at: isoTime(ing.metadata.creationTimestamp),
      });
    });
  }
  for (const pool of objects.nodepools) {
    guard("nodepools", () => {
      if (!pool.metadata?.name) throw new InputError("nodepool (unnamed)", "metadata.name", "is missing");
      const template = pool.spec?.template?.spec ?? {};
      rows.k8s_karpenter.push({
        cluster,
        kind: "NodePool",
        name: pool.metadata.name,
        nodepool: pool.metadata.name,
        node_name: null,
        instance_type: null,
        capacity_type: null,
        zone: null,
        requirements: template.requirements ?? [],
        limits: pool.spec?.limits ?? null,
        disruption: pool.spec?.disruption ?? null,
        weight: typeof pool.spec?.weight === "number" ? pool.spec.weight : null,
        created_at: isoTime(pool.metadata.creationTimestamp),
        node_class_ref: template.nodeClassRef ?? null,
      });
    });
  }
  for (const claim of objects.nodeclaims) {
    guard("nodeclaims", () => {
      if (!claim.metadata?.name) throw new InputError("nodeclaim (unnamed)", "metadata.name", "is missing");
      const labels = claim.metadata.labels ?? {};
      rows.k8s_karpenter.push({
        cluster,
        kind: "NodeClaim",
        name: claim.metadata.name,
        nodepool: labels["karpenter.sh/nodepool"] ?? null,
        node_name: claim.status?.nodeName ?? null,
        instance_type: labels["node.kubernetes.io/instance-type"] ?? null,
        capacity_type: labels["karpenter.sh/capacity-type"] ?? null,
        zone: labels["topology.kubernetes.io/zone"] ?? null,
        requirements: claim.spec?.requirements ?? [],
        limits: null,
        disruption: null,
        weight: null,
        created_at: isoTime(claim.metadata.creationTimestamp),
        node_class_ref: claim.spec?.nodeClassRef ?? null,
      });
    });
  }
  return rows;
}
