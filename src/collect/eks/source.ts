/**
 * The EKS API as a source (source.ts): the cluster's version and support tier, its managed node
 * groups with their sizes, its Fargate profiles. Without eks:DescribeCluster the source is
 * missing (the run goes on, the coverage names the action); a refused node group or Fargate call
 * makes it partial, with the action and what is unknown without it.
 */
import { clusterAwsSettings } from "../aws.js";
import type { Collected, RowProblem, RunSink, Source } from "../source.js";
import { collectEksFromBundle, collectEksLive, EKS_FILE, type EksRows, unavailableNote } from "./index.js";
import { EKS_TABLES } from "./tables.js";

export const eks: Source = {
  name: "eks",
  tables: EKS_TABLES,
  needsRegion: true,

  async live(c) {
    const { Eks } = await import("./client.js");
    const client = new Eks(clusterAwsSettings(c, c.facts.region!), c.logger, c.signal);
    const problems: RowProblem[] = [];
    const rows = await collectEksLive(
      client,
      { cluster: c.cluster.name, recordDir: c.record, instanceIds: c.facts.instanceIds },
      problems,
    );
    for (const p of problems) c.out.reject({ location: "DescribeCluster/DescribeNodegroup", ...p });
    return { ...(await store(c.out, rows, "live")), detail: { requests: rows.requests } };
  },

  async replay(bundle, c) {
    const problems: RowProblem[] = [];
    const rows = collectEksFromBundle(bundle, c.cluster.name, problems);
    for (const p of problems) c.out.reject({ location: `aws/${c.cluster.name}/${EKS_FILE}`, ...p });
    if (rows === undefined)
      return { status: "missing", origin: "bundle", rows: 0, error: "the bundle has no EKS API answers" };
    return store(c.out, rows, "bundle");
  },
};

async function store(out: RunSink, rows: EksRows, origin: "live" | "bundle"): Promise<Collected> {
  const stored =
    (await out.append("eks_clusters", rows.clusters)) +
    (await out.append("eks_nodegroups", rows.nodegroups)) +
    (await out.append("eks_fargate_profiles", rows.fargateProfiles)) +
    (await out.append("eks_subnets", rows.subnets)) +
    (await out.append("eks_node_volumes", rows.nodeVolumes)) +
    (await out.append("eks_snapshots", rows.snapshots));
  // One note per refused action (ListNodegroups and DescribeNodegroup say the same thing once).
  const notes = [...new Map(rows.unavailable.map((u) => [u.action, unavailableNote(u)])).values()];
  return {
    status: notes.length > 0 ? "partial" : "ok",
    origin,
    rows: stored,
    ...(notes.length > 0 ? { error: notes.join("; ") } : {}),
  };
}
