/**
 * The demo bundle with hostile strings in it: copied to a temporary folder, with payloads as
 * namespace and workload names (renamed consistently in every Kubernetes List and in the usage
 * CSV), as the `team` label's values, as a `probe` label and annotation on every pod, and as the
 * Fargate pods' CapacityProvisioned annotation.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { projectPath } from "../../src/core/paths.js";
import { nameSafe, PAYLOADS } from "./injection-payloads.js";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Item = {
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
};

const CLUSTER = "demo-shop";
/** Namespaces whose workloads get payload names (kube-system and the like keep theirs). */
const APP_NAMESPACES = new Set(["shop", "checkout", "payments", "search", "data"]);
const RENAMED_NAMESPACES = ["reports", "batch"];

export interface InjectedBundle {
  dir: string;
  /** Payloads used as names (they reach every output unless a validation rejects them). */
  names: string[];
}

/** A rename of an object and everything named after it (`ledger` → `<payload>`, `ledger-7d9f-x2` → `<payload>-7d9f-x2`). */
function renamer(workloads: Map<string, string>): (value: string) => string {
  const byLength = [...workloads.keys()].sort((a, b) => b.length - a.length);
  return (value) => {
    for (const name of byLength) {
      if (value === name) return workloads.get(name)!;
      if (value.startsWith(`${name}-`)) return `${workloads.get(name)!}${value.slice(name.length)}`;
    }
    return value;
  };
}

function walk(node: Json, key: string, rename: (value: string, key: string) => string): Json {
  if (typeof node === "string") return rename(node, key);
  if (Array.isArray(node)) return node.map((v) => walk(v, key, rename));
  if (node !== null && typeof node === "object") {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, k, rename)]));
  }
  return node;
}

export function injectedBundle(): InjectedBundle {
  const dir = mkdtempSync(join(tmpdir(), "capacity-injection-"));
  cpSync(projectPath("data", "demo"), dir, { recursive: true });
  const k8s = join(dir, "kubernetes", CLUSTER);
  const safe = PAYLOADS.filter(nameSafe);
  const namespaces = new Map(RENAMED_NAMESPACES.map((ns, i) => [ns, safe[i]!]));
  const deployments = (JSON.parse(readFileSync(join(k8s, "deployments.json"), "utf8")) as { items: Item[] })
    .items;
  const targets = deployments.filter((d) => APP_NAMESPACES.has(d.metadata.namespace ?? ""));
  const workloads = new Map(
    safe
      .slice(namespaces.size)
      .flatMap((payload, i) => (targets[i] ? [[targets[i].metadata.name, payload] as const] : [])),
  );
  const renameWorkload = renamer(workloads);
  const rename = (value: string, key: string): string =>
    key === "namespace" ? (namespaces.get(value) ?? value) : renameWorkload(value);

  const teams = new Map<string, string>();
  let probe = 0;
  for (const file of readdirSync(k8s)) {
    const path = join(k8s, file);
    const list = walk(JSON.parse(readFileSync(path, "utf8")) as Json, "", rename) as { items: Item[] };
    for (const item of list.items) {
      if (file === "namespaces.json")
        item.metadata.name = namespaces.get(item.metadata.name) ?? item.metadata.name;
      if (file !== "pods.json") continue;
      item.metadata.labels ??= {};
      item.metadata.annotations ??= {};
      const { labels, annotations } = item.metadata;
      if (labels.team !== undefined) {
        if (!teams.has(labels.team)) teams.set(labels.team, PAYLOADS[PAYLOADS.length - 1 - teams.size]!);
        labels.team = teams.get(labels.team)!;
      }
      labels.probe = PAYLOADS[probe % PAYLOADS.length]!;
      annotations["example.com/probe"] = PAYLOADS[(probe + 1) % PAYLOADS.length]!;
      if (annotations.CapacityProvisioned !== undefined)
        annotations.CapacityProvisioned = PAYLOADS[probe % PAYLOADS.length]!;
      probe++;
    }
    writeFileSync(path, JSON.stringify(list));
  }

  const usage = join(dir, "prometheus", CLUSTER, "usage_hourly.csv.gz");
  const lines = gunzipSync(readFileSync(usage)).toString("utf8").split("\n");
  const header = lines[0]!.split(",");
  const nsAt = header.indexOf("namespace");
  const nameAt = ["pod", "container", "workload_name"].map((c) => header.indexOf(c));
  const renamed = lines.map((line, i) => {
    if (i === 0 || line === "") return line;
    const cells = line.split(",");
    cells[nsAt] = namespaces.get(cells[nsAt]!) ?? cells[nsAt]!;
    for (const at of nameAt) cells[at] = renameWorkload(cells[at]!);
    return cells.join(",");
  });
  writeFileSync(usage, gzipSync(renamed.join("\n")));
  return { dir, names: [...namespaces.values(), ...workloads.values()] };
}
