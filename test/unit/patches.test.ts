/** Per-workload patches: a strategic-merge patch and kubectl commands, at an escaped path. */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type PatchContainer, pathSegment, workloadPatches } from "../../src/analyze/rightsizing/patches.js";

const MIB = 1024 ** 2;
const none = { cpuRequestCores: null, cpuLimitCores: null, memoryRequestBytes: null, memoryLimitBytes: null };
const container = (over: Partial<PatchContainer>): PatchContainer => ({
  cluster: "prod",
  namespace: "shop",
  workloadKind: "Deployment",
  workloadName: "web",
  containerName: "web",
  current: none,
  recommended: {
    cpuRequestCores: 0.425,
    cpuLimitCores: null,
    memoryRequestBytes: 883 * MIB,
    memoryLimitBytes: 883 * MIB,
  },
  eksAddon: null,
  ...over,
});

describe("right-sizing patches", () => {
  it("apply every container of a workload in one strategic-merge patch, a dropped limit deleted", () => {
    const [file, ...rest] = workloadPatches([
      container({}),
      container({
        containerName: "proxy",
        current: { ...none, cpuLimitCores: 0.2 },
        recommended: {
          cpuRequestCores: 0.05,
          cpuLimitCores: null,
          memoryRequestBytes: 64 * MIB,
          memoryLimitBytes: null,
        },
      }),
      container({ workloadName: "api", recommended: null }),
      container({
        namespace: "kube-system",
        workloadKind: "DaemonSet",
        workloadName: "kube-proxy",
        eksAddon: "kube-proxy",
      }),
      container({ workloadKind: "Job", workloadName: "migrate" }),
    ]);
    expect(rest).toEqual([]); // no recommendation, an add-on, a Job: no patch
    expect(file!.path).toEqual(["patches", "prod", "shop", "web.yaml"]);
    expect(parse(file!.content)).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "shop" },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "proxy",
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: null } },
              },
              {
                name: "web",
                resources: { requests: { cpu: "425m", memory: "883Mi" }, limits: { memory: "883Mi" } },
              },
            ],
          },
        },
      },
    });
    expect(file!.content).toContain(
      "#   kubectl set resources deployment/web -n shop -c web --requests=cpu=425m,memory=883Mi --limits=memory=883Mi\n",
    );
    expect(file!.content).toContain(
      "#   kubectl set resources deployment/web -n shop -c proxy --requests=cpu=50m,memory=64Mi\n",
    );
  });

  it("put a CronJob's containers under its job template", () => {
    const [file] = workloadPatches([container({ workloadKind: "CronJob", workloadName: "report" })]);
    const doc = parse(file!.content);
    expect(doc.apiVersion).toBe("batch/v1");
    expect(doc.spec.jobTemplate.spec.template.spec.containers[0].name).toBe("web");
  });

  it("escape names for file paths: no separator, no dot-only segment", () => {
    expect(pathSegment("web-1.v2")).toBe("web-1.v2");
    expect(pathSegment("../etc")).toBe("_2e._2fetc");
    expect(pathSegment("a/b\\c")).toBe("a_2fb_5cc");
    expect(pathSegment("Prod Cluster")).toBe("_50rod_20_43luster");
    expect(pathSegment("")).toBe("_");
  });
});
