import { describe, expect, it } from "vitest";
import { archSelector } from "../../../src/collect/kubernetes/pods.js";

const affinity = (...terms: Array<Array<{ key: string; operator: string; values?: string[] }>>) => ({
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: terms.map((matchExpressions) => ({ matchExpressions })),
    },
  },
});

describe("archSelector", () => {
  it("is null for a pod that does not constrain the architecture", () => {
    expect(archSelector({})).toBeNull();
    expect(archSelector({ nodeSelector: { "karpenter.sh/capacity-type": "spot" } })).toBeNull();
  });

  it("reads kubernetes.io/arch from the nodeSelector", () => {
    expect(archSelector({ nodeSelector: { "kubernetes.io/arch": "amd64" } })).toEqual(["amd64"]);
  });

  it("reads the required node affinity's In values, the union over its terms", () => {
    const a = affinity(
      [{ key: "kubernetes.io/arch", operator: "In", values: ["arm64"] }],
      [{ key: "kubernetes.io/arch", operator: "In", values: ["amd64"] }],
    );
    expect(archSelector({ affinity: a })).toEqual(["amd64", "arm64"]);
  });

  it("is null when one affinity term leaves the architecture free (terms are ORed)", () => {
    const a = affinity(
      [{ key: "kubernetes.io/arch", operator: "In", values: ["amd64"] }],
      [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["us-east-1a"] }],
    );
    expect(archSelector({ affinity: a })).toBeNull();
  });

  it("allows nothing when the nodeSelector and the affinity disagree", () => {
    const a = affinity([{ key: "kubernetes.io/arch", operator: "In", values: ["arm64"] }]);
    expect(archSelector({ nodeSelector: { "kubernetes.io/arch": "amd64" }, affinity: a })).toEqual([]);
  });

  it("reads nothing from malformed affinity: values not a list, terms not a list", () => {
    const a = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: "kubernetes.io/arch", operator: "In", values: "amd64" }] },
          ],
        },
      },
    };
    expect(archSelector({ affinity: a as never })).toEqual([]);
    const b = {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: "x" } },
    };
    expect(archSelector({ affinity: b as never })).toBeNull();
  });
});
