import { describe, expect, it } from "vitest";
import type { Series } from "../../../src/collect/prometheus/client.js";
import { factRows, podRows, podsNeedingHours, readFacts } from "../../../src/collect/prometheus/rows.js";

const DAY_END = Date.parse("2026-11-11T00:00:00Z") / 1000;
const H1 = DAY_END - 23 * 3600; // the end of the day's first hour
const H2 = H1 + 3600;

const fact = (
  capacity_fact: string,
  labels: Record<string, string>,
  values: Array<[number, number]>,
): Series => ({
  labels: { capacity_fact, namespace: "shop", ...labels },
  values,
});
describe("the facts of a day", () => {
  it("leaves out a request no container can have (negative, NaN, beyond the limits) and lists it; the request is unknown, not 0", () => {
    const day = readFacts([
      fact("cpu_request_max", { pod: "web-1", container: "app" }, [[DAY_END, -1]]),
      fact("memory_request_max", { pod: "web-1", container: "app" }, [[DAY_END, Number.NaN]]),
      fact("cpu_request_max", { pod: "web-2", container: "app" }, [[DAY_END, 5000]]),
      fact("cpu_request_max", { pod: "web-3", container: "app" }, [[DAY_END, 0.25]]),
    ]).get(DAY_END)!;
    expect(day.rejected.map((r) => [r.object, r.field, r.value, r.rule])).toEqual([
      ["container shop/web-1/app", "cpu_request_max", "-1", "non-negative"],
      ["container shop/web-1/app", "memory_request_max", "NaN", "finite"],
      ["container shop/web-2/app", "cpu_request_max", "5000", "at most 1,024 cores per container"],
    ]);
    const rows = factRows("shop", { day, hours: undefined, hourly: new Set() }, DAY_END);
    expect(rows.map((r) => [r.pod, r.cpu_request_cores, r.memory_request_bytes])).toEqual([
      ["web-1", null, null],
      ["web-2", null, null],
      ["web-3", 0.25, null],
    ]);
  });

  it("leaves a pod whose day changed nothing to the day's facts", () => {
    const day = readFacts([
      fact("node", { pod: "web-1", node: "ip-1", uid: "u1" }, [[DAY_END, 1]]),
      fact("cpu_request_max", { pod: "web-1", container: "app" }, [[DAY_END, 0.5]]),
      fact("cpu_request_min", { pod: "web-1", container: "app" }, [[DAY_END, 0.5]]),
      fact("restarts", { pod: "web-1", container: "app" }, [[DAY_END, 0]]),
      fact("throttled_periods", { pod: "web-1", container: "app" }, [[DAY_END, 0]]),
      fact("periods", { pod: "web-1", container: "app" }, [[DAY_END, 8640]]),
    ]).get(DAY_END);
    expect(podsNeedingHours(day)).toEqual(new Set());
  });

  it("sends to hourly facts a pod seen on two nodes, resized, restarted or throttled", () => {
    const day = readFacts([
      fact("node", { pod: "db-0", node: "ip-1", uid: "a" }, [[DAY_END, 1]]),
      fact("node", { pod: "db-0", node: "ip-2", uid: "b" }, [[DAY_END, 1]]),
      fact("memory_request_max", { pod: "resized", container: "app" }, [[DAY_END, 2048]]),
      fact("memory_request_min", { pod: "resized", container: "app" }, [[DAY_END, 1024]]),
      fact("restarts", { pod: "crashed", container: "app" }, [[DAY_END, 1.02]]),
      fact("throttled_periods", { pod: "throttled", container: "app" }, [[DAY_END, 40]]),
      fact("periods", { pod: "throttled", container: "app" }, [[DAY_END, 8640]]),
    ]).get(DAY_END);
    expect(podsNeedingHours(day)).toEqual(new Set(["db-0", "resized", "crashed", "throttled"]));
  });
});

describe("the facts the store joins to each hour", () => {
  it("gives the day's facts to a pod whose day changed nothing, each hour's to one that changed", () => {
    const day = readFacts([
      fact("node", { pod: "db-0", node: "ip-1" }, [[DAY_END, 1]]),
      fact("node", { pod: "db-0", node: "ip-2" }, [[DAY_END, 1]]),
      fact("node", { pod: "web-1", node: "ip-3" }, [[DAY_END, 1]]),
      fact("periods", { pod: "web-1", container: "app" }, [[DAY_END, 8640]]),
      fact("throttled_periods", { pod: "web-1", container: "app" }, [[DAY_END, 0]]),
      fact("cpu_request_max", { pod: "web-1", container: "app" }, [[DAY_END, 0.5]]),
    ]).get(DAY_END);
    const hours = readFacts([
      fact("node", { pod: "db-0", node: "ip-1" }, [[H1, 1]]),
      fact("node", { pod: "db-0", node: "ip-2" }, [[H2, 1]]),
      fact("memory_request_max", { pod: "db-0", container: "app" }, [
        [H1, 1024],
        [H2, 2048],
      ]),
      fact("restarts", { pod: "db-0", container: "app" }, [[H2, 1.04]]),
      fact("oom", { pod: "db-0", container: "app" }, [[H2, 1]]),
    ]);
    const rows = factRows("shop", { day, hours, hourly: podsNeedingHours(day) }, DAY_END);
    const of = (pod: string, container: string | null) =>
      rows
        .filter((r) => r.pod === pod && r.container === container)
        .map(({ namespace, pod, container, day_end, ...r }) => r);
    // Limits set and never throttled that day: 0 for every hour of it.
    expect(of("web-1", null)).toEqual([{ hour_end: null, node: "ip-3" }]);
    expect(of("web-1", "app")).toEqual([
      {
        hour_end: null,
        cpu_request_cores: 0.5,
        memory_request_bytes: null,
        cpu_throttled_ratio: 0,
        restarts: 0,
        oom_kills: 0,
      },
    ]);
    // Two nodes that day: no day row, a row per hour instead.
    expect(of("db-0", null)).toEqual([
      { hour_end: H1, node: "ip-1" },
      { hour_end: H2, node: "ip-2" },
    ]);
    expect(
      of("db-0", "app").map((r) => [r.hour_end, r.memory_request_bytes, r.restarts, r.oom_kills]),
    ).toEqual([
      [H1, 1024, 0, 0],
      [H2, 2048, 1, 1],
    ]);
    expect(rows.every((r) => r.namespace === "shop" && r.day_end === DAY_END)).toBe(true);
  });

  it("names each pod's workload from its owners, else from its name", () => {
    const owners = {
      pods: new Map([["shop/db-0", { kind: "StatefulSet", name: "db" }]]),
      replicaSets: new Map(),
      jobs: new Map(),
    };
    expect(podRows("shop", ["db-0", "web-7d9f8c6b5d-abcde"], owners)).toEqual([
      { namespace: "shop", pod: "db-0", workload_kind: "StatefulSet", workload_name: "db" },
      { namespace: "shop", pod: "web-7d9f8c6b5d-abcde", workload_kind: "Deployment", workload_name: "web" },
    ]);
  });
});
