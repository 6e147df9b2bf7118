import { describe, expect, it } from "vitest";
import {
  type DailyValue,
  dailyTable,
  poolSummaries,
  stackedDailyChart,
  summarizeDaily,
  topSeries,
} from "../../src/report/daily.js";

const v = (date: string, series: string, usd: number, cluster = "c1"): DailyValue => ({
  cluster,
  date,
  series,
  usd,
});

const values = [
  v("2026-11-02", "shop", 10),
  v("2026-11-02", "data", 4),
  v("2026-11-02", "tools", 1),
  v("2026-11-02", "ci", 2),
  v("2026-11-03", "shop", 12),
  v("2026-11-03", "data", 5),
  v("2026-11-03", "ci", 0.5),
];

describe("daily figures", () => {
  it("names the largest series over the window and sums the rest as other", () => {
    expect(topSeries(values, 2)).toEqual(["shop", "data", "other"]);
    expect(topSeries(values, 4)).toEqual(["shop", "data", "ci", "tools"]);
  });

  it("keeps every dollar in a row per day: named columns plus other add up to the day's total", () => {
    const table = dailyTable(values, 2);
    expect(table.series).toEqual(["shop", "data", "other"]);
    expect(table.rows).toEqual([
      { cluster: "c1", date: "2026-11-02", usd: [10, 4, 3], totalUsd: 17 },
      { cluster: "c1", date: "2026-11-03", usd: [12, 5, 0.5], totalUsd: 17.5 },
    ]);
  });

  it("summarises each column and the total by its mean, lowest and highest day", () => {
    const summary = summarizeDaily(dailyTable(values, 2));
    expect(summary.map((s) => s.series)).toEqual(["shop", "data", "other", "total"]);
    expect(summary[2]).toEqual({
      series: "other",
      meanUsd: 1.75,
      lowDate: "2026-11-03",
      lowUsd: 0.5,
      highDate: "2026-11-02",
      highUsd: 3,
    });
    expect(summary[3]!.highDate).toBe("2026-11-03");
  });

  it("stacks the chart on a dollar axis from zero, one facet row per cluster when there are several", () => {
    const one = stackedDailyChart(values, { n: 2, title: "USD per day", legend: "namespace" }) as {
      encoding: { y: { scale: { zero: boolean } } };
      data: { values: DailyValue[] };
    };
    expect(one.encoding.y.scale.zero).toBe(true);
    expect(new Set(one.data.values.map((d) => d.series))).toEqual(new Set(["shop", "data", "other"]));
    const two = stackedDailyChart([...values, v("2026-11-02", "shop", 3, "c2")], {
      n: 2,
      title: "t",
      legend: "l",
    }) as { facet?: unknown };
    expect(two.facet).toEqual({ row: { field: "cluster", type: "nominal", title: null } });
    expect(stackedDailyChart([], { n: 2, title: "t", legend: "l" })).toBeNull();
  });

  it("averages each pool's cores over its days and finds the busiest day by use", () => {
    const day = (date: string, used: number | null) => ({
      cluster: "c1",
      capacityPool: "general",
      date,
      cpuAllocatableCores: 16,
      cpuRequestedCores: 10,
      cpuUsedCores: used,
    });
    expect(poolSummaries([day("2026-11-02", 2), day("2026-11-03", 6), day("2026-11-04", null)])).toEqual([
      {
        cluster: "c1",
        capacityPool: "general",
        days: 3,
        cpuAllocatableCores: 16,
        cpuRequestedCores: 10,
        cpuUsedCores: 4,
        peakDate: "2026-11-03",
        peakUsedCores: 6,
      },
    ]);
  });
});
