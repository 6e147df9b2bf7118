/**
 * The fault catalogue's cases: small mutations of the demo bundle (data/demo), each with what the
 * real CLI must do with it. A case names the exit code, words its messages must hold, how many
 * objects the run lists as rejected, and which namespaces' figures may move (the quarantined
 * object's own share, and the idle capacity it leaves behind); every other figure must be the
 * good run's to the cent.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectPath } from "../../src/core/paths.js";

// biome-ignore lint/suspicious/noExplicitAny: bundle documents are mutated field by field.
type Json = any;

export const CLUSTER = "demo-shop";
const K8S = `kubernetes/${CLUSTER}`;
const AWS = `aws/${CLUSTER}`;

export interface FaultCase {
  name: string;
  /** Changes the copied bundle in `dir`; may return what the case must see changed in the raw rows. */
  // biome-ignore lint/suspicious/noConfusingVoidType: most mutations return nothing, some their effects.
  mutate(dir: string): void | Effects;
  exit: 0 | 2 | 3;
  /** Words the CLI's stderr must hold (the file, object, field, rule). */
  says: string[];
  /** Rows of rejected_objects in the new run. */
  rejected: number;
  /** Objects recommendations.json lists as unpriced (0 unless said). */
  unpriced?: number;
  /**
   * Which figures of costs.csv may differ from the good run: the namespaces listed (and
   * the idle rows, which take a removed pod's share back); `none`: not one; `source-missing`: the
   * whole source is gone, so figures are not compared, but none of its rows may be in the run.
   */
  figures: { namespaces: string[] } | "none" | { sourceMissing: string; tables: string[] } | "no-run";
}

/** What a mutation takes out of the raw rows: the Cost Explorer rows and their amount. */
export interface Effects {
  costRowsLost?: number;
  unblendedLostUsd?: number;
}

function edit(dir: string, file: string, change: (doc: Json) => void): void {
  const path = join(dir, file);
  const doc = JSON.parse(readFileSync(path, "utf8"));
  change(doc);
  writeFileSync(path, JSON.stringify(doc));
}

const pods = (change: (items: Json[]) => void) => (dir: string) =>
  edit(dir, `${K8S}/pods.json`, (d) => change(d.items));
const pod = (name: string, change: (p: Json) => void) =>
  pods((items) => {
    const found = items.find((p) => p.metadata.name === name);
    if (!found) throw new Error(`no pod ${name} in the demo`);
    change(found);
  });
const requests = (p: Json) => p.spec.containers[0].resources.requests;
const limits = (p: Json) => {
  p.spec.containers[0].resources.limits ??= {};
  return p.spec.containers[0].resources.limits;
};
const status = (p: Json) => p.status.containerStatuses[0];

const node = (name: string, change: (n: Json) => void) => (dir: string) =>
  edit(dir, `${K8S}/nodes.json`, (d) => {
    const found = d.items.find((n: Json) => n.metadata.name === name);
    if (!found) throw new Error(`no node ${name} in the demo`);
    change(found);
  });

const listItem =
  (resource: string, namespace: string, name: string, change: (o: Json) => void) => (dir: string) =>
    edit(dir, `${K8S}/${resource}.json`, (d) => {
      const found = d.items.find((o: Json) => o.metadata.namespace === namespace && o.metadata.name === name);
      if (!found) throw new Error(`no ${resource} ${namespace}/${name} in the demo`);
      change(found);
    });

/** A group of the first Cost Explorer page's `day`, changed; returns its rows and unblended cost. */
const costGroup =
  (day: number, group: number, change: (g: Json, result: Json) => void) =>
  (dir: string): Effects => {
    let effects: Effects = {};
    edit(dir, `${AWS}/cost-and-usage.json`, (pages) => {
      const result = pages[0].response.ResultsByTime[day];
      const g = result.Groups[group];
      effects = {
        costRowsLost: Object.keys(g.Metrics).length,
        unblendedLostUsd: Number(g.Metrics.UnblendedCost.Amount),
      };
      change(g, result);
    });
    return effects;
  };

/** A whole day of the second Cost Explorer page, changed; returns all its rows and cost. */
const costDay =
  (day: number, change: (result: Json, results: Json[]) => void) =>
  (dir: string): Effects => {
    let effects: Effects = {};
    edit(dir, `${AWS}/cost-and-usage.json`, (pages) => {
      const results = pages[1].response.ResultsByTime;
      const result = results[day];
      const groups: Json[] = result.Groups;
      effects = {
        costRowsLost: groups.reduce((a, g) => a + Object.keys(g.Metrics).length, 0),
        unblendedLostUsd: groups.reduce((a, g) => a + Number(g.Metrics.UnblendedCost.Amount), 0),
      };
      change(result, results);
    });
    return effects;
  };

const spot = (index: number, change: (p: Json, list: Json[]) => void) => (dir: string) =>
  edit(dir, `${AWS}/spot-price-history.json`, (pages) => {
    change(pages[0].SpotPriceHistory[index], pages[0].SpotPriceHistory);
  });

const eks = (change: (answers: Json) => void) => (dir: string) => edit(dir, `${AWS}/eks.json`, change);

/** An EKS answer that breaks a rule: that object is left out, and no cost figure moves. */
const eksCase = (name: string, change: (answers: Json) => void, says: string[]): FaultCase => ({
  name,
  mutate: eks(change),
  exit: 3,
  says: ["eks.json", ...says],
  rejected: 1,
  figures: "none",
});

const window = (change: (w: Json) => void) => (dir: string) =>
  edit(dir, "bundle.json", (m) => change(m.window));

/** The pods on a node of the demo, by namespace: the figures a node's removal may move. */
export function namespacesOnNodes(dir: string, nodes: (n: Json) => boolean): string[] {
  const nodeDoc = JSON.parse(readFileSync(join(dir, K8S, "nodes.json"), "utf8"));
  const names = new Set(nodeDoc.items.filter(nodes).map((n: Json) => n.metadata.name));
  const podDoc = JSON.parse(readFileSync(join(dir, K8S, "pods.json"), "utf8"));
  return [
    ...new Set<string>(
      podDoc.items.filter((p: Json) => names.has(p.spec.nodeName)).map((p: Json) => p.metadata.namespace),
    ),
  ];
}

/** A running pod of a Deployment in the demo, found by its ReplicaSet's name (the pod suffixes follow the generator's draws). */
function demoPod(replicaSet: string): string {
  const doc = JSON.parse(readFileSync(projectPath("data", "demo", K8S, "pods.json"), "utf8"));
  const pod = doc.items.find(
    (p: Json) => p.metadata.name.startsWith(`${replicaSet}-`) && p.status?.phase === "Running",
  );
  if (!pod) throw new Error(`no running pod of ${replicaSet} in data/demo`);
  return pod.metadata.name as string;
}

const CATALOG = demoPod("catalog-8djjzmpg5k");
const POSTGRES = "postgres-0";
const CHECKOUT = demoPod("checkout-api-wfm89nlhkc");
const NODE = "ip-10-0-159-203.ec2.internal";

/** A pod mutation that must quarantine that pod only: exit 3, one rejection, its namespace may move. */
const podCase = (
  name: string,
  podName: string,
  namespace: string,
  change: (p: Json) => void,
  says: string[],
) =>
  ({
    name,
    mutate: pod(podName, change),
    exit: 3,
    says: [podName, ...says],
    rejected: 1,
    figures: { namespaces: [namespace] },
  }) satisfies FaultCase;

const catalogCase = (name: string, change: (p: Json) => void, says: string[]) =>
  podCase(name, CATALOG, "shop", change, says);

const nodeCase = (name: string, change: (n: Json) => void, says: string[]): FaultCase => ({
  name,
  mutate: node(NODE, change),
  exit: 3,
  says: [NODE, ...says],
  rejected: 1,
  // Filled in by the test: the namespaces of the pods on that node.
  figures: { namespaces: [`pods on ${NODE}`] },
});

const ceCase = (name: string, mutate: (dir: string) => Effects, says: string[], rejected = 1): FaultCase => ({
  name,
  mutate,
  exit: 3,
  says: ["cost-and-usage.json", ...says],
  rejected,
  figures: "none",
});

const spotCase = (
  name: string,
  index: number,
  change: (p: Json, list: Json[]) => void,
  says: string[],
): FaultCase => ({
  name,
  mutate: spot(index, change),
  exit: 3,
  says: ["spot-price-history.json", ...says],
  rejected: 1,
  // A spot price change moves the figures of the pods on spot nodes of its type: filled in by the test.
  figures: { namespaces: ["pods on spot nodes"] },
});

const windowCase = (name: string, change: (w: Json) => void, says: string[]): FaultCase => ({
  name,
  mutate: window(change),
  exit: 2,
  says: ["bundle.json", ...says],
  rejected: 0,
  figures: "no-run",
});

export const CASES: FaultCase[] = [
  // --- pods: one bad value costs that pod ---------------------------------------------------
  catalogCase("a restart count that is not a number", (p) => (status(p).restartCount = "many"), [
    "restartCount",
    "many",
    "is not an integer",
  ]),
  catalogCase("a negative restart count", (p) => (status(p).restartCount = -3), ["restartCount", "negative"]),
  catalogCase("a fractional restart count", (p) => (status(p).restartCount = 1.5), [
    "restartCount",
    "not an integer",
  ]),
  catalogCase("a CPU request of 1e400", (p) => (requests(p).cpu = "1e400"), ["requests.cpu", "1e400"]),
  catalogCase("a CPU request of 713e997", (p) => (requests(p).cpu = "713e997"), ["requests.cpu", "713e997"]),
  catalogCase("a CPU request of 9Ei", (p) => (requests(p).cpu = "9999999999999999999Ei"), ["requests.cpu"]),
  catalogCase("a negative CPU request", (p) => (requests(p).cpu = "-1"), ["requests.cpu", "negative"]),
  catalogCase("a negative memory request", (p) => (requests(p).memory = "-8Gi"), [
    "requests.memory",
    "negative",
  ]),
  catalogCase("more than 1,024 cores", (p) => (requests(p).cpu = "2000"), [
    "requests.cpu",
    "1,024 cores per container",
  ]),
  catalogCase("a memory limit beyond 64 TiB", (p) => (limits(p).memory = "65Ti"), [
    "limits.memory",
    "64 TiB per container",
  ]),
  catalogCase("a memory request in words", (p) => (requests(p).memory = "512 MB"), [
    "requests.memory",
    "not a Kubernetes quantity",
  ]),
  catalogCase("an empty CPU request", (p) => (requests(p).cpu = ""), ["requests.cpu"]),
  catalogCase("a CPU request that is an object", (p) => (requests(p).cpu = { value: 1 }), ["requests.cpu"]),
  catalogCase("a CPU limit of NaN", (p) => (limits(p).cpu = "NaN"), ["limits.cpu"]),
  catalogCase("a negative ephemeral storage request", (p) => (requests(p)["ephemeral-storage"] = "-1Gi"), [
    "ephemeral-storage",
    "negative",
  ]),
  catalogCase("a container without a name", (p) => delete p.spec.containers[0].name, [
    "spec.containers",
    "name",
    "missing",
  ]),
  catalogCase("no containers", (p) => delete p.spec.containers, ["spec.containers", "missing"]),
  catalogCase("a creation time that is not a time", (p) => (p.metadata.creationTimestamp = "yesterday"), [
    "creationTimestamp",
    "RFC 3339",
  ]),
  catalogCase(
    "a creation time after the window",
    (p) => (p.metadata.creationTimestamp = "2099-01-01T00:00:00Z"),
    ["creationTimestamp", "after the window"],
  ),
  podCase("a StatefulSet pod with a CPU of 1e400", POSTGRES, "payments", (p) => (requests(p).cpu = "1e400"), [
    "requests.cpu",
  ]),
  podCase("a pod without a namespace", CHECKOUT, "checkout", (p) => delete p.metadata.namespace, [
    "metadata.namespace",
    "missing",
  ]),
  {
    name: "a null item in pods.json",
    mutate: pods((items) =>
      items.splice(
        items.findIndex((p) => p.metadata.name === CATALOG),
        1,
        null,
      ),
    ),
    exit: 3,
    says: ["pods.json", "null is not an object"],
    rejected: 1,
    figures: { namespaces: ["shop"] },
  },
  {
    name: "a number among the pods",
    mutate: pods((items) =>
      items.splice(
        items.findIndex((p) => p.metadata.name === CHECKOUT),
        1,
        42,
      ),
    ),
    exit: 3,
    says: ["pods.json", "42 is not an object"],
    rejected: 1,
    figures: { namespaces: ["checkout"] },
  },
  {
    name: "two bad pods in two namespaces",
    mutate: (dir) => {
      pod(CATALOG, (p) => (requests(p).cpu = "-1"))(dir);
      pod(CHECKOUT, (p) => (requests(p).memory = "1e400"))(dir);
    },
    exit: 3,
    says: [CATALOG, CHECKOUT],
    rejected: 2,
    figures: { namespaces: ["shop", "checkout"] },
  },

  // --- nodes --------------------------------------------------------------------------------
  nodeCase("a negative node CPU capacity", (n) => (n.status.capacity.cpu = "-4"), [
    "status.capacity.cpu",
    "negative",
  ]),
  nodeCase("a node memory of 1e400", (n) => (n.status.allocatable.memory = "1e400"), [
    "status.allocatable.memory",
  ]),
  nodeCase("a node with 5,000 cores", (n) => (n.status.allocatable.cpu = "5000"), [
    "status.allocatable.cpu",
    "4,096 cores per node",
  ]),
  nodeCase("a negative pod capacity", (n) => (n.status.capacity.pods = "-1"), [
    "status.capacity.pods",
    "negative",
  ]),
  nodeCase("a node without memory capacity", (n) => delete n.status.capacity.memory, [
    "status.capacity.memory",
    "missing",
  ]),
  nodeCase(
    "a node created after the window",
    (n) => (n.metadata.creationTimestamp = "2099-01-01T00:00:00Z"),
    ["creationTimestamp", "after the window"],
  ),

  // --- workloads and volumes ------------------------------------------------------------------
  {
    name: "a negative volume claim template",
    mutate: listItem("statefulsets", "payments", "postgres", (s) => {
      s.spec.volumeClaimTemplates[0].spec.resources.requests.storage = "-100Gi";
    }),
    exit: 3,
    says: ["statefulset payments/postgres", "volumeClaimTemplates", "negative"],
    rejected: 1,
    figures: { namespaces: ["payments"] },
  },
  {
    name: "a null Deployment",
    mutate: (dir) => edit(dir, `${K8S}/deployments.json`, (d) => d.items.splice(9, 1, null)),
    exit: 3,
    says: ["deployments.json", "null is not an object"],
    rejected: 1,
    figures: { namespaces: ["shop"] },
  },
  {
    name: "a negative PVC request",
    mutate: listItem(
      "persistentvolumeclaims",
      "data",
      "data-kafka-0",
      (c) => (c.spec.resources.requests.storage = "-5Gi"),
    ),
    exit: 3,
    says: ["persistentvolumeclaim data/data-kafka-0", "negative"],
    rejected: 1,
    figures: { namespaces: ["data"] },
  },
  {
    // The Kafka volumes lose their class: their IOPS above gp3's 3,000 are no longer modeled.
    name: "a StorageClass without a name",
    mutate: (dir: string) =>
      edit(dir, `${K8S}/storageclasses.json`, (d) => {
        const found = d.items.find((o: Json) => o.metadata.name === "kafka-gp3");
        if (!found) throw new Error("no storageclass kafka-gp3 in the demo");
        delete found.metadata.name;
      }),
    exit: 3,
    says: ["storageclass (unnamed)", "metadata.name"],
    rejected: 1,
    figures: { namespaces: ["data"] },
  },
  {
    name: "a PVC capacity of 1e400",
    mutate: listItem("persistentvolumeclaims", "search", "data-opensearch-0", (c) => {
      c.status.capacity = { storage: "1e400" };
    }),
    exit: 3,
    says: ["persistentvolumeclaim search/data-opensearch-0", "status.capacity.storage"],
    rejected: 1,
    figures: { namespaces: ["search"] },
  },

  // --- a Kubernetes file that is not a List: the whole source goes, none of its rows stay -----
  {
    name: "pods.json without an items array",
    mutate: (dir) => edit(dir, `${K8S}/pods.json`, (d) => (d.items = "none")),
    exit: 3,
    says: ["pods.json is not a List document"],
    rejected: 0,
    figures: {
      sourceMissing: "kubernetes",
      tables: ["k8s_nodes", "k8s_pods", "k8s_containers", "k8s_workloads"],
    },
  },
  {
    name: "pods.json cut off",
    mutate: (dir) => {
      const path = join(dir, K8S, "pods.json");
      const text = readFileSync(path, "utf8");
      writeFileSync(path, text.slice(0, Math.floor(text.length / 2)));
    },
    exit: 3,
    says: ["pods.json is cut short"],
    rejected: 0,
    figures: {
      sourceMissing: "kubernetes",
      tables: ["k8s_nodes", "k8s_pods", "k8s_containers", "k8s_workloads"],
    },
  },

  // --- Cost Explorer: one bad line costs that line ------------------------------------------
  ceCase(
    "an amount that is not a number",
    costGroup(0, 0, (g) => (g.Metrics.UnblendedCost.Amount = "n/a")),
    ["Metrics.UnblendedCost.Amount", "n/a", "is not an amount"],
  ),
  ceCase(
    "an empty amount",
    costGroup(1, 1, (g) => (g.Metrics.AmortizedCost.Amount = "")),
    ["Metrics.AmortizedCost.Amount"],
  ),
  ceCase(
    "an amount of 1E30",
    costGroup(2, 0, (g) => (g.Metrics.UnblendedCost.Amount = "1E30")),
    ["Metrics.UnblendedCost.Amount", "1E30"],
  ),
  ceCase(
    "an amount that is a number, not text",
    costGroup(3, 0, (g) => (g.Metrics.UnblendedCost.Amount = 12.5)),
    ["Metrics.UnblendedCost.Amount"],
  ),
  ceCase(
    "a null group",
    costGroup(4, 0, (_, result) => (result.Groups[0] = null)),
    ["Groups[0]", "not a group"],
  ),
  ceCase(
    "a day that is not a date",
    costDay(2, (r) => (r.TimePeriod.Start = "2026-13-45")),
    ["TimePeriod.Start", "not a date"],
  ),
  ceCase(
    "a day before the window",
    costDay(3, (r) => (r.TimePeriod.Start = "2026-10-01")),
    ["TimePeriod.Start", "outside the window"],
  ),
  ceCase(
    "a day after the window",
    costDay(4, (r) => (r.TimePeriod.Start = "2026-12-01")),
    ["TimePeriod.Start", "outside the window"],
  ),
  ceCase(
    "a null result",
    costDay(6, (_, results) => (results[6] = null)),
    ["ResultsByTime[6]", "not a result"],
  ),
  {
    name: "cost-and-usage.json that is not a list of pages",
    mutate: (dir) => writeFileSync(join(dir, AWS, "cost-and-usage.json"), '{"pages": 2}'),
    exit: 3,
    says: ["cost-and-usage.json must be an array of pages"],
    rejected: 0,
    figures: { sourceMissing: "cost-explorer", tables: ["aws_costs", "aws_cost_forecast"] },
  },

  {
    name: "a Savings Plans coverage amount that is not a decimal",
    mutate: (dir) =>
      edit(dir, `${AWS}/commitments.json`, (c) => {
        c.savingsPlansCoverage[0].response.SavingsPlansCoverages[3].Coverage.OnDemandCost = "lots";
      }),
    exit: 3,
    says: ["commitments.json", "OnDemandCost", "not an amount"],
    rejected: 1,
    figures: "none",
  },
  {
    name: "commitments.json that is not the answers of the three calls",
    mutate: (dir) => writeFileSync(join(dir, AWS, "commitments.json"), "[]"),
    exit: 3,
    says: ["commitments.json must hold savingsPlansCoverage and reservationCoverage arrays"],
    rejected: 0,
    figures: {
      sourceMissing: "cost-explorer",
      tables: ["aws_costs", "aws_cost_forecast", "aws_commitments"],
    },
  },

  // --- spot price history --------------------------------------------------------------------
  spotCase("a negative spot price", 3, (p) => (p.SpotPrice = "-0.5"), ["SpotPrice", "not a price"]),
  spotCase("a spot price in words", 4, (p) => (p.SpotPrice = "cheap"), ["SpotPrice", "not a price"]),
  spotCase("a spot time that is not one", 5, (p) => (p.Timestamp = "soon"), ["Timestamp", "not a time"]),
  spotCase("a spot time after the window", 6, (p) => (p.Timestamp = "2099-01-01T00:00:00Z"), [
    "Timestamp",
    "window's end",
  ]),
  spotCase("a null spot price change", 7, (_, list) => (list[7] = null), ["not a price change"]),

  // --- the EKS API's answers -----------------------------------------------------------------
  eksCase(
    "a node group whose min size is above its max",
    (a) => (a.nodegroups[1].scalingConfig.minSize = 9),
    ["graviton-od", "minSize ≤ desiredSize ≤ maxSize"],
  ),
  eksCase(
    "a node group size that is not a whole number",
    (a) => (a.nodegroups[0].scalingConfig.desiredSize = 2.5),
    ["general-od", "scalingConfig.desiredSize", "not a whole number"],
  ),
  eksCase("a null node group", (a) => (a.nodegroups[0] = null), ["not a node group"]),
  // A subnet's free addresses only feed the forecast: no report figure moves.
  eksCase(
    "a subnet whose free address count is not a whole number",
    (a) => (a.subnets[2].AvailableIpAddressCount = -4),
    ["subnet-0c3d4e5f607182930", "AvailableIpAddressCount", "not a whole number"],
  ),
  // A node's volume and a snapshot that break a rule are left out (the demo has no node volume, and
  // its own snapshots stay): no figure moves.
  eksCase(
    "a node volume whose size is not a whole number of GiB",
    (a) =>
      (a.volumes = [
        {
          VolumeId: "vol-0f00ba4",
          Size: 2.5,
          VolumeType: "gp3",
          Attachments: [{ InstanceId: "i-08d18ef953a10da2a", Device: "/dev/xvda" }],
        },
      ]),
    ["vol-0f00ba4", "Size", "not a whole, positive number of GiB"],
  ),
  eksCase(
    "a snapshot whose start time is not a time",
    (a) => a.snapshots.push({ SnapshotId: "snap-0f00ba4", VolumeSize: 20, StartTime: "yesterday" }),
    ["snap-0f00ba4", "StartTime", "not a time"],
  ),
  // Without the cluster's row its support tier is unknown: the fee falls back to the standard one,
  // so the EKS fee line (namespace "(cluster)") is the one figure that may move.
  {
    ...eksCase("a cluster version that is not one", (a) => (a.cluster.version = "latest"), [
      "version",
      "not a Kubernetes version",
    ]),
    figures: { namespaces: ["(cluster)"] },
  },
  {
    ...eksCase("a support type EKS does not have", (a) => (a.cluster.upgradePolicy.supportType = "FOREVER"), [
      "upgradePolicy.supportType",
      "neither STANDARD nor EXTENDED",
    ]),
    figures: { namespaces: ["(cluster)"] },
  },
  {
    name: "a cur-split.parquet that is not Parquet",
    mutate: (dir) => writeFileSync(join(dir, AWS, "cur-split.parquet"), "namespace,pod\nshop,web-1\n"),
    exit: 3,
    says: ["cur:", `${AWS}/cur-split.parquet is not a Parquet file`],
    rejected: 0,
    figures: { sourceMissing: "cur", tables: ["aws_cur_split_lines"] },
  },
  {
    name: "eks.json that is a list",
    mutate: (dir) => writeFileSync(join(dir, AWS, "eks.json"), "[]"),
    exit: 3,
    says: ["eks.json must be an object"],
    rejected: 0,
    figures: {
      sourceMissing: "eks",
      tables: [
        "eks_clusters",
        "eks_nodegroups",
        "eks_fargate_profiles",
        "eks_subnets",
        "eks_node_volumes",
        "eks_snapshots",
      ],
    },
  },

  // --- autoscaler status: an HPA condition, a pending-pod hour ---------------------------------
  {
    name: "an HPA condition whose status is neither True, False nor Unknown",
    mutate: listItem("horizontalpodautoscalers", "batch", "queue-consumer", (h) => {
      h.status.conditions.find((c: Json) => c.type === "ScalingActive").status = "maybe";
    }),
    exit: 3,
    says: ["queue-consumer", "status.conditions[ScalingActive].status", "is not True, False or Unknown"],
    rejected: 1,
    // The HPA's workload row is quarantined with it; its pods are still priced.
    figures: { namespaces: ["batch"] },
  },
  {
    name: "a pending-pod share beyond the hour",
    mutate: (dir) => {
      const path = join(dir, "prometheus", CLUSTER, "pending_pods_hourly.csv");
      const [header, first, ...rest] = readFileSync(path, "utf8").split("\n");
      writeFileSync(path, [header, first!.replace(/,[^,]*$/, ",7"), ...rest].join("\n"));
    },
    exit: 3,
    says: ["pending_pods_hourly.csv", "were left out"],
    rejected: 1,
    figures: "none",
  },

  // --- compute that cannot be priced: a finding with its hours, never a guess or a gap --------
  {
    name: "a node without an instance-type label",
    mutate: node(NODE, (n) => {
      delete n.metadata.labels["node.kubernetes.io/instance-type"];
      delete n.metadata.labels["beta.kubernetes.io/instance-type"];
    }),
    exit: 0,
    says: [],
    rejected: 0,
    unpriced: 1,
    figures: { namespaces: [`pods on ${NODE}`] },
  },
  {
    name: "a Fargate pod beyond the largest Fargate size",
    mutate: pods((items) => {
      const p = items.find((i) => String(i.spec.nodeName).startsWith("fargate-"));
      p.spec.containers[0].resources = { requests: { cpu: "32", memory: "64Gi" } };
      delete p.metadata.annotations?.CapacityProvisioned;
    }),
    exit: 0,
    says: [],
    rejected: 0,
    unpriced: 1,
    figures: { namespaces: ["reports"] },
  },

  // --- the window ----------------------------------------------------------------------------
  windowCase("a window that starts after it ends", (w) => ([w.start, w.end] = [w.end, w.start]), [
    "window.start",
    "is not before window.end",
  ]),
  windowCase("a window of no time", (w) => (w.end = w.start), ["window.start", "is not before window.end"]),
  windowCase("a window start that is not a time", (w) => (w.start = "last monday"), [
    "window.start",
    "not an ISO 8601 time",
  ]),
];
