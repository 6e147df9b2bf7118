/**
 * The Kubernetes inventory collector: every node, pod, container, workload and the objects the
 * analyses price or flag, from the live API (client.ts) or from a bundle of List documents
 * (what `--record` wrote, or plain `kubectl get … -o json` output). Both go through the same
 * pure mapping (map.ts, objects.ts).
 */
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Progress } from "../../core/context.js";
import { SourceError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { type Bundle, bundlePath, listItems } from "../bundle.js";
import { failureKind } from "../errors.js";
import type { KubernetesClient } from "./client.js";
import { assembleInventory, mapPodsInto, type PodRows } from "./inventory.js";
import {
  INVENTORY_RESOURCES,
  type Inventory,
  type K8sObject,
  type KubernetesRows,
  type Problem,
} from "./map.js";
import { type ClusterObjects, mapClusterObjects, OBJECT_RESOURCES, type ObjectRows } from "./objects.js";
import { ownerIndex } from "./pods.js";
import { isNotInstalled, RESOURCE_SPECS, ruleFor } from "./resources.js";

/** Resources whose absence makes the source partial; the rest are extras (CRDs, optional objects). */
const CORE_RESOURCES = new Set<string>(INVENTORY_RESOURCES.filter((r) => r !== "rollouts"));

export type KubernetesTables = Omit<KubernetesRows, "problems"> & ObjectRows;

export interface KubernetesCollection {
  tables: KubernetesTables;
  problems: KubernetesRows["problems"];
  /** Core resources that could not be read (forbidden, or absent from the bundle). */
  missing: Array<{ resource: string; reason: string }>;
  stats: { requests: number; pages: number; restarts: number; retries: number; objects: number };
}

type Lists = Record<string, K8sObject[]>;

/** The items of a list that are objects; any other item (a `null`, a number) is a problem, left out. */
function objectsOnly(items: unknown[], resource: string, problems: Problem[], first = 0): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const [i, item] of items.entries()) {
    if (typeof item === "object" && item !== null && !Array.isArray(item)) objects.push(item as K8sObject);
    else
      problems.push({
        object: `${resource} items[${first + i}]`,
        field: "items[]",
        message: `items[${first + i}]: ${JSON.stringify(item)} is not an object`,
        resource,
        rule: "object",
        value: JSON.stringify(item) ?? String(item),
      });
  }
  return objects;
}

/** All tables from listed objects; pods may come already mapped (live collection maps them page by page). */
function mapAll(
  lists: Lists,
  cluster: string,
  pods?: PodRows,
  problems: Problem[] = [],
): { tables: KubernetesTables; problems: KubernetesRows["problems"] } {
  const inventory = Object.fromEntries(
    INVENTORY_RESOURCES.map((r) => [r, lists[r] ?? []]),
  ) as unknown as Inventory;
  const objects = Object.fromEntries(
    OBJECT_RESOURCES.map((r) => [r, lists[r] ?? []]),
  ) as unknown as ClusterObjects;
  let podRows = pods;
  if (podRows === undefined) {
    podRows = { k8s_pods: [], k8s_containers: [] };
    mapPodsInto(inventory.pods, cluster, ownerIndex(inventory), podRows, problems);
  }
  const { problems: all, ...rows } = assembleInventory(inventory, podRows, cluster, problems);
  const objectRows = mapClusterObjects(objects, cluster, all);
  return { tables: { ...rows, ...objectRows }, problems: all };
}

/**
 * Reads a bundle's List documents item by item (bundle.ts `listItems`): pods, the largest by far,
 * are mapped a batch at a time after the ReplicaSets and Jobs that resolve their owners, and not
 * kept, as live collection does; the other resources are kept until they are mapped.
 */
export function collectKubernetesFromBundle(bundle: Bundle, cluster: string): KubernetesCollection {
  const lists: Lists = {};
  const missing: KubernetesCollection["missing"] = [];
  const problems: Problem[] = [];
  const podRows: PodRows = { k8s_pods: [], k8s_containers: [] };
  const pathOf = (resource: string) => bundlePath(bundle, "kubernetes", cluster, `${resource}.json`);
  let objects = 0;
  for (const resource of [...INVENTORY_RESOURCES, ...OBJECT_RESOURCES]) {
    const path = pathOf(resource);
    if (path === undefined) {
      if (CORE_RESOURCES.has(resource)) missing.push({ resource, reason: "not in the bundle" });
      continue;
    }
    if (resource === "pods") continue; // below, once the owners are known
    const items: K8sObject[] = [];
    let read = 0;
    objects += listItems<unknown>(path, "kubernetes", (batch) => {
      items.push(...objectsOnly(batch, resource, problems, read));
      read += batch.length;
    });
    lists[resource] = items;
  }
  const pods = pathOf("pods");
  let podCount = 0;
  if (pods !== undefined) {
    const index = ownerIndex({ replicasets: lists.replicasets ?? [], jobs: lists.jobs ?? [] });
    podCount = listItems<unknown>(pods, "kubernetes", (batch) => {
      mapPodsInto(objectsOnly(batch, "pods", problems, podCount), cluster, index, podRows, problems);
      podCount += batch.length;
    });
    objects += podCount;
  }
  if ((lists.nodes ?? []).length === 0 && podCount === 0) {
    throw new SourceError("kubernetes", `the bundle has no nodes or pods for cluster ${cluster}`);
  }
  return {
    ...mapAll(lists, cluster, podRows, problems),
    missing,
    stats: { requests: 0, pages: 0, restarts: 0, retries: 0, objects },
  };
}

export interface LiveOptions {
  /** Write each resource as a List document under DIR/kubernetes/<cluster>/. */
  recordDir?: string | undefined;
  /**
   * Task `kubernetes <cluster>`: resource kinds listed (or refused, or not installed) of all there
   * are, with the pages and objects read so far; updated after every page.
   */
  progress?: Progress | undefined;
}

/** A List document written as its pages arrive, so that no resource has to be held whole. */
class ListWriter {
  private fd: number | undefined;
  private count = 0;
  constructor(private readonly path: string | undefined) {
    this.restart();
  }
  restart(): void {
    if (this.path === undefined) return;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = openSync(this.path, "w");
    this.count = 0;
    writeSync(this.fd, '{"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":""},"items":[');
  }
  write(items: K8sObject[]): void {
    if (this.fd === undefined) return;
    for (const item of items)
      writeSync(this.fd, `${this.count++ === 0 ? "\n" : ",\n"}${JSON.stringify(item)}`);
  }
  close(): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, "\n]}\n");
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Lists every resource from the API. A refused resource (401/403) is recorded as missing with
 * the rule that grants it, and the others are still read; an unreachable API server fails the
 * whole cluster (a SourceError) so that other clusters go on. Pods, the largest list by far, are
 * mapped a page at a time and not kept.
 */
export async function collectKubernetesLive(
  client: KubernetesClient,
  logger: Logger,
  options: LiveOptions = {},
): Promise<KubernetesCollection> {
  const cluster = client.clusterName;
  const lists: Lists = {};
  const missing: KubernetesCollection["missing"] = [];
  const problems: Problem[] = [];
  const podRows: PodRows = { k8s_pods: [], k8s_containers: [] };
  const stats = { requests: 0, pages: 0, restarts: 0, retries: 0, objects: 0 };
  const dir = options.recordDir === undefined ? undefined : join(options.recordDir, "kubernetes", cluster);
  if (dir) mkdirSync(dir, { recursive: true });
  const task = `kubernetes ${cluster}`;
  let kinds = 0;
  let kindPages = 0; // pages of the resource being listed (they count once its list is done)
  const progress = () =>
    options.progress?.update(task, kinds, RESOURCE_SPECS.length, {
      pages: stats.pages + kindPages,
      objects: stats.objects,
    });
  for (const spec of RESOURCE_SPECS) {
    const started = performance.now();
    const file = new ListWriter(dir === undefined ? undefined : join(dir, `${spec.resource}.json`));
    const isPods = spec.resource === "pods";
    const index = isPods
      ? ownerIndex({ replicasets: lists.replicasets ?? [], jobs: lists.jobs ?? [] })
      : undefined;
    let items: K8sObject[] = [];
    let podProblems: Problem[] = [];
    try {
      const result = await client.listPages(
        spec,
        (page) => {
          file.write(page);
          const objects = objectsOnly(page, spec.resource, podProblems, stats.objects);
          if (index) mapPodsInto(objects, cluster, index, podRows, podProblems);
          else for (const item of objects) items.push(item);
          stats.objects += page.length;
          kindPages++;
          progress();
        },
        () => {
          file.restart();
          kindPages = 0;
          items = [];
          podRows.k8s_pods.length = 0;
          podRows.k8s_containers.length = 0;
          podProblems = [];
        },
      );
      file.close();
      if (!isPods) lists[spec.resource] = items;
      problems.push(...podProblems);
      stats.pages += result.pages;
      stats.requests += result.pages + result.retries;
      stats.restarts += result.restarts;
      stats.retries += result.retries;
      logger.debug("listed", {
        cluster,
        resource: spec.resource,
        pages: result.pages,
        ms: Math.round(performance.now() - started),
      });
    } catch (error) {
      file.close();
      if (dir) rmSync(join(dir, `${spec.resource}.json`), { force: true });
      stats.requests++;
      if (isNotInstalled(error)) continue; // an optional CRD that is not there
      if (!(error instanceof SourceError)) throw error;
      const kind = failureKind(error);
      const refused = kind === "denied" || kind === "unauthenticated";
      if (!refused) throw error; // unreachable or broken: the cluster as a whole is missing
      logger.warn(error.message, { cluster, fix: error.hint });
      missing.push({
        resource: spec.resource,
        reason: `${error.message}; fix: ${error.hint ?? ruleFor(spec)}`,
      });
    } finally {
      kinds++;
      kindPages = 0;
      progress();
    }
  }
  options.progress?.end(task);
  if (missing.some((m) => m.resource === "nodes") && missing.some((m) => m.resource === "pods")) {
    throw new SourceError("kubernetes", `${cluster}: neither nodes nor pods could be listed`, {
      hint: missing.map((m) => m.reason).join("; "),
    });
  }
  return { ...mapAll(lists, cluster, podRows, problems), missing, stats };
}
