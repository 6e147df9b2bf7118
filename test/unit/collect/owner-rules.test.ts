/**
 * Both collectors name a pod's workload by one rule (core/eks/workload.ts): the same owner chain
 * seen as Kubernetes objects (the inventory, the reference) and as kube-state-metrics series
 * (kube_pod_owner, kube_replicaset_owner, kube_job_owner) gives the same workload.
 */
import { describe, expect, it } from "vitest";
import type { K8sObject } from "../../../src/collect/kubernetes/map.js";
import { ownerIndex, resolveWorkload } from "../../../src/collect/kubernetes/pods.js";
import { type Owners, resolveOwner } from "../../../src/collect/prometheus/map.js";

type Ref = { kind: string; name: string };

interface Case {
  name: string;
  pod: string;
  /** The pod's controller; null: known to have none; undefined: not known (no owner series). */
  owner: Ref | null | undefined;
  /** The ReplicaSet's or Job's controller; null: it has none; undefined: it was not listed. */
  parent?: { of: Ref; owner: Ref | null } | undefined;
  expected: Ref;
}

const CASES: Case[] = [
  {
    name: "ReplicaSet → Deployment",
    pod: "web-7d9f8c6b5d-abcde",
    owner: { kind: "ReplicaSet", name: "web-7d9f8c6b5d" },
    parent: {
      of: { kind: "ReplicaSet", name: "web-7d9f8c6b5d" },
      owner: { kind: "Deployment", name: "web" },
    },
    expected: { kind: "Deployment", name: "web" },
  },
  {
    name: "a ReplicaSet known to have no owner keeps its own name",
    pod: "lone-7d9f8c6b5d-abcde",
    owner: { kind: "ReplicaSet", name: "lone-7d9f8c6b5d" },
    parent: { of: { kind: "ReplicaSet", name: "lone-7d9f8c6b5d" }, owner: null },
    expected: { kind: "Deployment", name: "lone-7d9f8c6b5d" },
  },
  {
    name: "a ReplicaSet not listed is named from its own name",
    pod: "api-5c6b7d8f9-zzzzz",
    owner: { kind: "ReplicaSet", name: "api-5c6b7d8f9" },
    expected: { kind: "Deployment", name: "api" },
  },
  {
    name: "ReplicaSet → Rollout",
    pod: "canary-6c5d4b3a2-xxxxx",
    owner: { kind: "ReplicaSet", name: "canary-6c5d4b3a2" },
    parent: {
      of: { kind: "ReplicaSet", name: "canary-6c5d4b3a2" },
      owner: { kind: "Rollout", name: "canary" },
    },
    expected: { kind: "Rollout", name: "canary" },
  },
  {
    name: "Job → CronJob",
    pod: "report-29012345-abcde",
    owner: { kind: "Job", name: "report-29012345" },
    parent: { of: { kind: "Job", name: "report-29012345" }, owner: { kind: "CronJob", name: "report" } },
    expected: { kind: "CronJob", name: "report" },
  },
  {
    name: "a Job known to have no owner is a Job",
    pod: "migrate-29012345-abcde",
    owner: { kind: "Job", name: "migrate-29012345" },
    parent: { of: { kind: "Job", name: "migrate-29012345" }, owner: null },
    expected: { kind: "Job", name: "migrate-29012345" },
  },
  {
    name: "a Job not listed whose name ends in a schedule is its CronJob's",
    pod: "backup-29012345-abcde",
    owner: { kind: "Job", name: "backup-29012345" },
    expected: { kind: "CronJob", name: "backup" },
  },
  {
    name: "a StatefulSet",
    pod: "db-0",
    owner: { kind: "StatefulSet", name: "db" },
    expected: { kind: "StatefulSet", name: "db" },
  },
  {
    name: "a static pod (owned by its Node) stands for itself",
    pod: "kube-proxy-ip-10-0-0-1",
    owner: { kind: "Node", name: "ip-10-0-0-1" },
    expected: { kind: "Pod", name: "kube-proxy-ip-10-0-0-1" },
  },
  {
    name: "a custom controller's pod stands for itself",
    pod: "worker-abc12",
    owner: { kind: "SparkApplication", name: "nightly" },
    expected: { kind: "Pod", name: "worker-abc12" },
  },
  {
    name: "a pod known to have no owner stands for itself, whatever its name",
    pod: "debug-7d9f8c6b5d-abcde",
    owner: null,
    expected: { kind: "Pod", name: "debug-7d9f8c6b5d-abcde" },
  },
];

/** The case as Kubernetes objects: the pod's ownerReferences and the listed ReplicaSets and Jobs. */
function viaKubernetes(c: Case): Ref {
  const listed = (kind: string): K8sObject[] =>
    c.parent && c.parent.of.kind === kind
      ? [
          {
            metadata: {
              namespace: "shop",
              name: c.parent.of.name,
              ownerReferences: c.parent.owner ? [{ ...c.parent.owner, controller: true }] : [],
            },
          },
        ]
      : [];
  const index = ownerIndex({ replicasets: listed("ReplicaSet"), jobs: listed("Job") });
  return resolveWorkload("shop", c.pod, c.owner ?? undefined, index);
}

/** The case as kube-state-metrics series: `<none>` where an owner is known to be absent. */
function viaPrometheus(c: Case): Ref {
  const none = { kind: "<none>", name: "<none>" };
  const owners: Owners = { pods: new Map(), replicaSets: new Map(), jobs: new Map() };
  if (c.owner !== undefined) owners.pods.set(`shop/${c.pod}`, c.owner ?? none);
  if (c.parent) {
    const map = c.parent.of.kind === "ReplicaSet" ? owners.replicaSets : owners.jobs;
    map.set(`shop/${c.parent.of.name}`, c.parent.owner ?? none);
  }
  return resolveOwner("shop", c.pod, owners);
}

describe("one owner rule for both collectors", () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.expected.kind} ${c.expected.name}`, () => {
      expect(viaKubernetes(c)).toEqual(c.expected);
      expect(viaPrometheus(c)).toEqual(c.expected);
    });
  }

  it("a pod with no owner series at all is named from its pod name (Prometheus only knows the name)", () => {
    const owners: Owners = { pods: new Map(), replicaSets: new Map(), jobs: new Map() };
    expect(resolveOwner("shop", "web-7d9f8c6b5d-abcde", owners)).toEqual({ kind: "Deployment", name: "web" });
    expect(resolveOwner("shop", "db-2", owners)).toEqual({ kind: "StatefulSet", name: "db" });
  });
});
