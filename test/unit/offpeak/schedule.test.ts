import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import {
  cronJobPair,
  hourWindow,
  kedaScaledObject,
  nodegroupMinSizeCommand,
} from "../../../src/analyze/offpeak/schedule.js";

describe("hourWindow", () => {
  it("is the longest run of consecutive hours, [start, end)", () => {
    expect(hourWindow([4, 5, 6, 7, 8, 9, 10])).toEqual({ start: 4, end: 11, hours: 7 });
    expect(hourWindow([1, 2, 14, 15, 16])).toEqual({ start: 14, end: 17, hours: 3 });
  });

  it("wraps midnight", () => {
    expect(hourWindow([0, 1, 2, 22, 23])).toEqual({ start: 22, end: 3, hours: 5 });
  });

  it("is the whole day when every hour is off-peak, and null when none is", () => {
    expect(hourWindow(Array.from({ length: 24 }, (_, h) => h))).toEqual({ start: 0, end: 0, hours: 24 });
    expect(hourWindow([])).toBeNull();
  });
});

describe("off-peak YAML", () => {
  const w = { namespace: "shop", kind: "Deployment", name: "web" };
  const window = { start: 22, end: 6, hours: 8 };

  it("scales a workload without an HPA down at the window's start and back at its end", () => {
    const docs = parseAllDocuments(cronJobPair(w, window, 2, 6, null)).map((d) => d.toJS());
    const jobs = docs.filter((d) => d.kind === "CronJob");
    expect(
      jobs.map((j) => [j.spec.schedule, j.spec.jobTemplate.spec.template.spec.containers[0].command]),
    ).toEqual([
      ["0 22 * * *", ["kubectl", "scale", "deployment/web", "-n", "shop", "--replicas=2"]],
      ["0 6 * * *", ["kubectl", "scale", "deployment/web", "-n", "shop", "--replicas=6"]],
    ]);
    const role = docs.find((d) => d.kind === "Role");
    expect(role.rules[0]).toEqual({
      apiGroups: ["apps"],
      resources: ["deployments", "deployments/scale"],
      resourceNames: ["web"],
      verbs: ["get", "patch"],
    });
  });

  it("patches the HPA's minReplicas when the workload has one", () => {
    const docs = parseAllDocuments(cronJobPair(w, window, 2, 4, "web-hpa")).map((d) => d.toJS());
    const commands = docs
      .filter((d) => d.kind === "CronJob")
      .map((j) => j.spec.jobTemplate.spec.template.spec.containers[0].command.join(" "));
    expect(commands).toEqual([
      'kubectl patch hpa web-hpa -n shop --type=merge -p {"spec":{"minReplicas":2}}',
      'kubectl patch hpa web-hpa -n shop --type=merge -p {"spec":{"minReplicas":4}}',
    ]);
  });

  it("holds the peak replicas with KEDA's cron trigger outside the window", () => {
    const so = parse(kedaScaledObject(w, window, 2, 6, 10, 70));
    expect(so.spec).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
      minReplicaCount: 2,
      maxReplicaCount: 10,
      triggers: [
        {
          type: "cron",
          metadata: { timezone: "Etc/UTC", start: "0 6 * * *", end: "0 22 * * *", desiredReplicas: "6" },
        },
        { type: "cpu", metricType: "Utilization", metadata: { value: "70" } },
      ],
    });
  });

  it("lowers a node group's min size with the EKS CLI", () => {
    expect(nodegroupMinSizeCommand("prod", "general", 2)).toBe(
      "aws eks update-nodegroup-config --cluster-name prod --nodegroup-name general --scaling-config minSize=2",
    );
  });
});
