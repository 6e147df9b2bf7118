import { describe, expect, it } from "vitest";
import {
  disruptionsAllowed,
  followDemand,
  type Hpa,
  hpaStep,
  replicasFor,
} from "../../../src/forecast/hpa.js";

const hpa: Hpa = {
  name: "web",
  minReplicas: 2,
  maxReplicas: 10,
  resource: "cpu",
  targetUtilizationPercent: 70,
};

describe("the HPA's replica formula", () => {
  it("keeps the replicas when the ratio is within the 10 % tolerance", () => {
    // 4 pods × 500m = 2000m requested; 1.5 cores used = 75 %; 75 / 70 = 1.071
    expect(hpaStep(hpa, 4, 1.5, 0.5)).toMatchObject({
      replicas: 4,
      utilizationPercent: 75,
      withinTolerance: true,
    });
  });

  it("scales up to ceil(ratio × current) outside the tolerance", () => {
    // 2.0 cores over 2000m = 100 %; 100 / 70 × 4 = 5.71 → 6
    const s = hpaStep(hpa, 4, 2, 0.5);
    expect(s).toMatchObject({ replicas: 6, unclamped: 6, utilizationPercent: 100, withinTolerance: false });
    expect(s.ratio).toBeCloseTo(100 / 70, 12);
  });

  it("scales down the same way", () => {
    // 0.9 cores over 2000m = 45 %; 45 / 70 × 4 = 2.57 → 3
    expect(hpaStep(hpa, 4, 0.9, 0.5).replicas).toBe(3);
  });

  it("truncates utilisation to a whole percent, as the controller does", () => {
    // 1.539 cores over 2000m = 76.95 % → 76; 76 / 70 = 1.0857: within tolerance
    expect(hpaStep(hpa, 4, 1.539, 0.5)).toMatchObject({
      utilizationPercent: 76,
      withinTolerance: true,
      replicas: 4,
    });
  });

  it("clamps to maxReplicas and says what it wanted", () => {
    // 4 cores over 2000m = 200 %; 200 / 70 × 4 = 11.43 → 12, max 10
    expect(hpaStep(hpa, 4, 4, 0.5)).toMatchObject({ replicas: 10, unclamped: 12 });
  });

  it("clamps to minReplicas", () => {
    // 0.1 core over 2000m = 5 %; 5 / 70 × 4 = 0.29 → 1, min 2
    expect(hpaStep(hpa, 4, 0.1, 0.5)).toMatchObject({ replicas: 2, unclamped: 1 });
  });

  it("works on memory in bytes", () => {
    const mem: Hpa = { ...hpa, resource: "memory", targetUtilizationPercent: 80 };
    // 3 pods × 1 GiB; 3.6 GiB used = 120 %; 120 / 80 × 3 = 4.5 → 5
    expect(hpaStep(mem, 3, 3.6 * 2 ** 30, 2 ** 30).replicas).toBe(5);
  });

  it("follows the demand hour by hour from the current replicas", () => {
    // request 0.5, target 70 %: 1.5 → within tolerance of 4 pods; 3 → 3000/2000 = 150 % → ceil(8.57) = 9;
    // 3 over 9 pods: 3000/4500 = 66 % → within tolerance; NaN keeps 9; 0.5 over 9: 11 % → ceil(1.41) = 2
    const steps = followDemand(hpa, 4, [1.5, 3, 3, Number.NaN, 0.5], 0.5);
    expect(steps.map((s) => s.replicas)).toEqual([4, 9, 9, 9, 2]);
  });

  it("sizes the replicas that hold a demand at the target", () => {
    // 3.5 cores ÷ (0.5 × 70 %) = 10 exactly; 3.51 → 11
    expect(replicasFor(3.5, 0.5, 70)).toBe(10);
    expect(replicasFor(3.51, 0.5, 70)).toBe(11);
  });
});

describe("PodDisruptionBudgets after the event", () => {
  it("counts the evictions allowed, percentages rounded up", () => {
    expect(disruptionsAllowed({ name: "p", minAvailable: 5 }, 6)).toBe(1);
    expect(disruptionsAllowed({ name: "p", minAvailable: "100%" }, 6)).toBe(0);
    expect(disruptionsAllowed({ name: "p", minAvailable: "50%" }, 5)).toBe(2);
    expect(disruptionsAllowed({ name: "p", maxUnavailable: 0 }, 6)).toBe(0);
    expect(disruptionsAllowed({ name: "p", maxUnavailable: "10%" }, 12)).toBe(2);
  });

  it("refuses a value that is neither an integer nor a percentage, naming the PDB and the field", () => {
    expect(() => disruptionsAllowed({ name: "web", minAvailable: "half" }, 4)).toThrow(
      'PodDisruptionBudget web: minAvailable: "half" is neither an integer nor a percentage',
    );
  });
});
