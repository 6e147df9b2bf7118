/**
 * Kubernetes as a source (source.ts): the cluster's objects, listed live or read from a bundle.
 * It runs first: the region, instance types and zones of its nodes tell the AWS sources what to ask.
 */
import type { ClusterFacts, Collected, Collection, Source } from "../source.js";
import { collectKubernetesFromBundle, collectKubernetesLive, type KubernetesCollection } from "./index.js";
import { KUBERNETES_TABLES } from "./tables.js";

export const kubernetes: Source = {
  name: "kubernetes",
  tables: KUBERNETES_TABLES,
  needsRegion: false,

  async live(c) {
    const { KubernetesClient, loadKubeConfig } = await import("./client.js");
    const client = new KubernetesClient(
      loadKubeConfig({ context: c.cluster.context }),
      c.cluster.name,
      c.logger,
      {
        pageSize: c.config.kubernetes.pageSize,
        retries: c.config.kubernetes.retries,
        signal: c.signal,
      },
    );
    const started = performance.now();
    const collected = await collectKubernetesLive(client, c.logger, { recordDir: c.record });
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
  let rows = 0;
  for (const [table, batch] of Object.entries(k.tables)) rows += await c.out.append(table, batch);
  for (const p of k.problems)
    c.logger.warn("object left out", {
      cluster: c.cluster.name,
      object: p.object,
      field: p.field,
      problem: p.message,
    });
  const notes = [...k.missing.map((m) => `${m.resource}: ${m.reason}`), ...k.problems.map((p) => p.message)];
  return {
    status: notes.length ? "partial" : "ok",
    origin,
    rows,
    error: notes.length ? notes.slice(0, 20).join("; ") : undefined,
    detail: { objectsLeftOut: k.problems.length, missing: k.missing.map((m) => m.resource), ...k.stats },
    facts: factsOf(k),
  };
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
  };
}
