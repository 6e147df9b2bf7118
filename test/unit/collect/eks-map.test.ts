/** The EKS API's answers into rows: the defaults EKS implies, and the objects left out with the rule they broke. */
import { describe, expect, it } from "vitest";
import { mapCluster, mapFargateProfiles, mapNodegroups } from "../../../src/collect/eks/map.js";
import type { RowProblem } from "../../../src/collect/source.js";

describe("EKS answers into rows", () => {
  it("takes a cluster without an upgrade policy as EXTENDED (what EKS applies to clusters created before it), and reads Auto Mode", () => {
    const problems: RowProblem[] = [];
    const row = mapCluster(
      {
        name: "prod",
        version: "1.29",
        status: "ACTIVE",
        computeConfig: { enabled: true },
        createdAt: "2024-01-02T03:04:05Z",
      },
      "prod",
      problems,
    );
    expect(problems).toEqual([]);
    expect(row).toMatchObject({
      support_type: "EXTENDED",
      auto_mode_enabled: true,
      created_at: "2024-01-02T03:04:05.000Z",
      platform_version: null,
      tags: {},
    });
  });

  it("reads the Provisioned Control Plane tier, and none when EKS leaves it out", () => {
    const base = { name: "prod", version: "1.33", status: "ACTIVE", createdAt: "2026-01-02T03:04:05Z" };
    expect(mapCluster({ ...base, controlPlaneScalingConfig: { tier: "tier-xl" } }, "prod", [])).toMatchObject(
      {
        control_plane_tier: "tier-xl",
      },
    );
    expect(mapCluster(base, "prod", [])).toMatchObject({ control_plane_tier: null });
  });

  it("defaults a node group's capacity type to ON_DEMAND and its types to none (a launch template sets them)", () => {
    const [row] = mapNodegroups(
      [{ nodegroupName: "lt", scalingConfig: { minSize: 0, maxSize: 2, desiredSize: 0 } }],
      "c",
      [],
    );
    expect(row).toMatchObject({
      capacity_type: "ON_DEMAND",
      instance_types: [],
      min_size: 0,
      max_size: 2,
      taints: [],
    });
  });

  it("leaves out a node group with a missing size, a desired size outside min..max, or an unknown taint effect, naming the rule", () => {
    const problems: RowProblem[] = [];
    const rows = mapNodegroups(
      [
        { nodegroupName: "a", scalingConfig: { minSize: 1, maxSize: 3 } },
        { nodegroupName: "b", scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 4 } },
        {
          nodegroupName: "c",
          scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 },
          taints: [{ key: "k", effect: "NoSchedule" }],
        },
        { nodegroupName: "ok", scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 } },
      ],
      "c",
      problems,
    );
    expect(rows.map((r) => r.nodegroup)).toEqual(["ok"]);
    expect(problems.map((p) => [p.object, p.field, p.rule])).toEqual([
      ["eks nodegroup a", "scalingConfig.desiredSize", "non-negative-integer"],
      ["eks nodegroup b", "scalingConfig", "min ≤ desired ≤ max"],
      ["eks nodegroup c", "taints", "one-of"],
    ]);
  });

  it("leaves out a Fargate profile without a name or with a time that is not one", () => {
    const problems: RowProblem[] = [];
    const rows = mapFargateProfiles(
      [{ selectors: [] }, { fargateProfileName: "p", createdAt: "soon" }],
      "c",
      problems,
    );
    expect(rows).toEqual([]);
    expect(problems.map((p) => p.rule)).toEqual(["required", "time"]);
  });
});
