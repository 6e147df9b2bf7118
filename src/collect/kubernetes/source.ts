/**
 * Kubernetes as a source (source.ts): the cluster's objects, listed live or read from a bundle.
 * It runs first: the region, instance types and zones of its nodes tell the AWS sources what to ask.
 */
import type { ClusterFacts, Collected, Collection, Source } from "../source.js";
import { collectKubernetesFromBundle, collectKubernetesLive, type KubernetesCollection } from "./index.js";
import type { Problem } from "./map.js";
import { KUBERNETES_TABLES } from "./tables.js";

export const kubernetes: Source = {
  name: "kubernetes",
  tables: KUBERNETES_TABLES,
  needsRegion: false,

  async live(c) {
    const { KubernetesClient, loadKubeConfig } = await import("./client.js");
    const client = new KubernetesClient(
      loadKubeConfig({ context: c.cluster.context, kubeconfigFile: c.config.kubernetes.kubeconfig }),
      c.cluster.name,
      c.logger,
      {
        pageSize: c.config.kubernetes.pageSize,
        retries: c.config.kubernetes.retries,
        signal: c.signal,
      },
    );
    const started = performance.now();
    const collected = await collectKubernetesLive(client, c.logger, {
      recordDir: c.record,
      progress: c.progress,
    });
    c.logger.info("kubernetes collected", {
      cluster: c.cluster.name,
      server: client.server,
      ms: Math.round(performance.now() - started),
      ...collected.stats,
    });
    return store(c, collected, "live");
  },

  async replay(bundle, c) {
    return store(c, collectKubernetesFromBundle(bundle, c.cluster.name), "bundle");
  },
};

async function store(c: Collection, k: KubernetesCollection, origin: "live" | "bundle"): Promise<Collected> {
  const problems = [...k.problems, ...leaveOutFuture(k, c.window.end)];
  let rows = 0;
  for (const [table, batch] of Object.entries(k.tables)) rows += await c.out.append(table, batch);
  for (const p of problems) {
    c.out.reject({
      location:
        origin === "bundle"
          ? `kubernetes/${c.cluster.name}/${p.resource}.json`
          : `Kubernetes API: list ${p.resource}`,
      object: p.object,
      field: p.field,
      value: p.value,
      rule: p.rule,
      message: p.message,
    });
  }
  const notes = k.missing.map((m) => `${m.resource}: ${m.reason}`);
  return {
    status: notes.length ? "partial" : "ok",
    origin,
    rows,
    error: notes.length ? notes.slice(0, 20).join("; ") : undefined,
    detail: { objectsLeftOut: problems.length, missing: k.missing.map((m) => m.resource), ...k.stats },
    facts: factsOf(k),
  };
}

/** How far past the window's end an object may have been created (a live run's last partial hour, clock skew). */
const FUTURE_SLACK_MS = 86_400_000;

/**
 * Nodes and pods created after the window (and a day's slack) are left out: their time is wrong,
 * and their hours would be negative or outside every figure. Their containers go with the pods.
 */
function leaveOutFuture(k: KubernetesCollection, end: Date): Problem[] {
  const latest = end.getTime() + FUTURE_SLACK_MS;
  const problems: Problem[] = [];
  const future = (at: unknown) => typeof at === "string" && Date.parse(at) > latest;
  const note = (resource: string, object: string, at: unknown) =>
    problems.push({
      object,
      field: "metadata.creationTimestamp",
      message: `${object}: metadata.creationTimestamp: ${String(at)} is after the window's end (${end.toISOString()})`,
      resource,
      rule: "in-window",
      value: String(at),
    });
  const t = k.tables;
  t.k8s_nodes = t.k8s_nodes.filter((n) => {
    if (!future(n.created_at)) return true;
    note("nodes", `node ${n.name}`, n.created_at);
    return false;
  });
  const gone = new Set<string>();
  t.k8s_pods = t.k8s_pods.filter((p) => {
    if (!future(p.created_at)) return true;
    note("pods", `pod ${p.namespace}/${p.name}`, p.created_at);
    gone.add(`${p.namespace}/${p.name}`);
    return false;
  });
  if (gone.size > 0) t.k8s_containers = t.k8s_containers.filter((c) => !gone.has(`${c.namespace}/${c.pod}`));
  return problems;
}

/** The region most nodes say they are in, and the types and zones of the EC2 nodes. */
function factsOf(k: KubernetesCollection): Partial<ClusterFacts> {
  const nodes = k.tables.k8s_nodes;
  const counts = new Map<string, number>();
  for (const n of nodes)
    if (typeof n.region === "string") counts.set(n.region, (counts.get(n.region) ?? 0) + 1);
  return {
    region: [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0],
    instanceTypes: nodes
      .filter((n) => n.compute_type !== "fargate" && typeof n.instance_type === "string")
      .map((n) => n.instance_type as string),
    zones: nodes.map((n) => n.zone).filter((z): z is string => typeof z === "string"),
    windowsInstanceTypes: nodes
      .filter(
        (n) => n.compute_type !== "fargate" && n.os === "windows" && typeof n.instance_type === "string",
      )
      .map((n) => n.instance_type as string),
    instanceIds: nodes
      .map((n) => /^aws:\/\/\/[^/]*\/(i-[0-9a-f]+)$/.exec(n.provider_id ?? "")?.[1])
      .filter((id): id is string => id !== undefined),
  };
}
