/** EKS add-ons' containers: the update-addon form at each add-on's place, never a limit it does not set. */
import { describe, expect, it } from "vitest";
import {
  addonLines,
  addonResources,
  configurationValues,
  managedAddon,
} from "../../src/analyze/rightsizing/addons.js";

const MIB = 1024 ** 2;
const row = (kind: string, workload: string, container: string, namespace = "kube-system") => ({
  namespace,
  workloadKind: kind,
  workloadName: workload,
  containerName: container,
});

describe("containers of add-ons EKS manages", () => {
  it("are found by namespace, kind, workload and container; a look-alike elsewhere is not one", () => {
    expect(managedAddon(row("DaemonSet", "kube-proxy", "kube-proxy"))?.name).toBe("kube-proxy");
    expect(managedAddon(row("DaemonSet", "aws-node", "aws-eks-nodeagent"))).toEqual({
      name: "vpc-cni",
      path: ["nodeAgent"],
    });
    expect(managedAddon(row("Deployment", "coredns", "coredns", "dns"))).toBeNull();
    expect(managedAddon(row("Deployment", "karpenter", "controller"))).toBeNull();
  });

  it("never get a memory (or CPU) limit the add-on does not set", () => {
    const recommended = {
      cpuRequestCores: 0.01,
      cpuLimitCores: null,
      memoryRequestBytes: 32 * MIB,
      memoryLimitBytes: 32 * MIB,
    };
    const none = {
      cpuRequestCores: 0.1,
      cpuLimitCores: null,
      memoryRequestBytes: null,
      memoryLimitBytes: null,
    };
    expect(addonResources(recommended, none)).toEqual({ ...recommended, memoryLimitBytes: null });
    // CoreDNS sets a 170Mi memory limit: it stays, at the recommended value.
    const coredns = {
      cpuRequestCores: 0.1,
      cpuLimitCores: null,
      memoryRequestBytes: 70 * MIB,
      memoryLimitBytes: 170 * MIB,
    };
    expect(addonResources(recommended, coredns).memoryLimitBytes).toBe(32 * MIB);
  });

  it("are recommended as aws eks update-addon --configuration-values, at the add-on's place for the container", () => {
    const r = {
      cpuRequestCores: 0.01,
      cpuLimitCores: null,
      memoryRequestBytes: 32 * MIB,
      memoryLimitBytes: null,
    };
    expect(configurationValues({ name: "kube-proxy", path: [] }, r)).toBe(
      '{"resources":{"requests":{"cpu":"10m","memory":"32Mi"}}}',
    );
    expect(configurationValues({ name: "aws-ebs-csi-driver", path: ["node"] }, r)).toBe(
      '{"node":{"resources":{"requests":{"cpu":"10m","memory":"32Mi"}}}}',
    );
    const lines = addonLines("demo-shop", { name: "kube-proxy", path: [] }, r);
    expect(lines.at(-2)).toBe("aws eks update-addon --cluster-name demo-shop --addon-name kube-proxy \\");
    expect(lines.at(-1)).toBe(
      `  --configuration-values '{"resources":{"requests":{"cpu":"10m","memory":"32Mi"}}}'`,
    );
    expect(lines.join("\n")).not.toMatch(/^resources:/m);
  });
});
