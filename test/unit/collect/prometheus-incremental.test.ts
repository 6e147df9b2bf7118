import { describe, expect, it } from "vitest";
import { planUsage } from "../../../src/collect/prometheus/incremental.js";

const d = (iso: string) => new Date(iso);
const window = { start: d("2026-11-09T06:00:00Z"), end: d("2026-11-23T06:00:00Z") };

describe("planUsage", () => {
  it("fetches the whole window when no earlier run stored usage", () => {
    expect(planUsage(window, undefined)).toEqual({ fetch: window, reusedDays: 0, fetchedDays: 14 });
  });

  it("re-reads the earlier run's last day and fetches the days after it; reuses the rest", () => {
    const plan = planUsage(window, {
      runId: "r1",
      window: { start: d("2026-11-08T06:00:00Z"), end: d("2026-11-22T06:00:00Z") },
    });
    expect(plan).toEqual({
      fetch: { start: d("2026-11-21T06:00:00Z"), end: window.end },
      reuse: { fromRun: "r1", start: window.start, end: d("2026-11-21T06:00:00Z") },
      reusedDays: 12,
      fetchedDays: 2,
    });
  });

  it("counts partial days when the runs are not a whole number of days apart", () => {
    const plan = planUsage(window, {
      runId: "r1",
      window: { start: d("2026-11-09T00:00:00Z"), end: d("2026-11-23T00:00:00Z") },
    });
    expect(plan.fetch.start).toEqual(d("2026-11-22T00:00:00Z"));
    expect(plan).toMatchObject({ reusedDays: 12.75, fetchedDays: 1.25 });
  });

  it("refreshes fully when the earlier run starts after this window (a longer history asked for)", () => {
    const plan = planUsage(window, {
      runId: "r1",
      window: { start: d("2026-11-12T06:00:00Z"), end: d("2026-11-22T06:00:00Z") },
    });
    expect(plan.reuse).toBeUndefined();
    expect(plan.fetch).toEqual(window);
  });

  it("refreshes fully when the earlier run ends after this window or too early to leave a day to reuse", () => {
    for (const end of ["2026-11-24T06:00:00Z", "2026-11-10T06:00:00Z", "2026-11-09T12:00:00Z"]) {
      const plan = planUsage(window, {
        runId: "r1",
        window: { start: d("2026-11-01T00:00:00Z"), end: d(end) },
      });
      expect(plan.reuse, end).toBeUndefined();
    }
  });
});
