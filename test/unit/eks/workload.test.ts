import { describe, expect, it } from "vitest";
import {
  type OwnerRef,
  type ParentOf,
  workloadFromPodName,
  workloadOf,
} from "../../../src/core/eks/workload.js";

const parents =
  (known: Record<string, OwnerRef | null>): ParentOf =>
  (kind, name) =>
    `${kind}/${name}` in known ? known[`${kind}/${name}`] : undefined;

describe("the workload of a pod", () => {
  it.each<[string, string, OwnerRef | null | undefined, Record<string, OwnerRef | null>, string]>([
    [
      "a Deployment's pod, through its ReplicaSet",
      "api-7d9f8-x2x4q",
      { kind: "ReplicaSet", name: "api-7d9f8" },
      { "ReplicaSet/api-7d9f8": { kind: "Deployment", name: "api" } },
      "Deployment/api",
    ],
    [
      "an Argo Rollout's pod",
      "web-6b5c4-abcde",
      { kind: "ReplicaSet", name: "web-6b5c4" },
      { "ReplicaSet/web-6b5c4": { kind: "Rollout", name: "web" } },
      "Rollout/web",
    ],
    [
      "a ReplicaSet of its own stands as a Deployment of its name",
      "rs-1-abcde",
      { kind: "ReplicaSet", name: "rs-1" },
      { "ReplicaSet/rs-1": null },
      "Deployment/rs-1",
    ],
    [
      "a gone ReplicaSet's name still tells the Deployment",
      "api-7d9f8-x2x4q",
      { kind: "ReplicaSet", name: "api-7d9f8" },
      {},
      "Deployment/api",
    ],
    [
      "a CronJob's pod, through its Job",
      "report-29012345-abcde",
      { kind: "Job", name: "report-29012345" },
      { "Job/report-29012345": { kind: "CronJob", name: "report" } },
      "CronJob/report",
    ],
    [
      "a gone Job named like a CronJob's is the CronJob's",
      "report-29012345-abcde",
      { kind: "Job", name: "report-29012345" },
      {},
      "CronJob/report",
    ],
    [
      "a Job of its own",
      "migrate-abcde",
      { kind: "Job", name: "migrate" },
      { "Job/migrate": null },
      "Job/migrate",
    ],
    [
      "a listed Job without a CronJob keeps its name, even one like a CronJob's",
      "x-12345678-abcde",
      { kind: "Job", name: "x-12345678" },
      { "Job/x-12345678": null },
      "Job/x-12345678",
    ],
    ["a StatefulSet's pod", "kafka-0", { kind: "StatefulSet", name: "kafka" }, {}, "StatefulSet/kafka"],
    [
      "a DaemonSet's pod",
      "node-exporter-abcde",
      { kind: "DaemonSet", name: "node-exporter" },
      {},
      "DaemonSet/node-exporter",
    ],
    [
      "a static pod (owned by its Node) stands for itself",
      "kube-proxy-ip-a",
      { kind: "Node", name: "ip-a" },
      {},
      "Pod/kube-proxy-ip-a",
    ],
    [
      "a pod of a controller we do not know stands for itself",
      "spark-driver",
      { kind: "SparkApplication", name: "etl" },
      {},
      "Pod/spark-driver",
    ],
    ["a pod without a controller stands for itself", "debug", null, {}, "Pod/debug"],
    ["a pod whose owner is not known: from its name", "api-7d9f8-x2x4q", undefined, {}, "Deployment/api"],
  ])("%s", (_, pod, owner, known, expected) => {
    const w = workloadOf(pod, owner, parents(known));
    expect(`${w.kind}/${w.name}`).toBe(expected);
  });

  it.each([
    ["checkout-5c9d7b8f6-q2w3e", "Deployment/checkout"],
    ["kafka-2", "StatefulSet/kafka"],
    ["debug", "Pod/debug"],
  ])("from the name alone, %s is %s", (pod, expected) => {
    const w = workloadFromPodName(pod);
    expect(`${w.kind}/${w.name}`).toBe(expected);
  });
});
