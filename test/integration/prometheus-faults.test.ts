/**
 * A query that still fails after its retries marks that namespace and day as missing and the
 * collection goes on; the startup check names missing metrics and what to install. A small fake
 * of the Prometheus HTTP API stands in here, for the faults a real one does not make on demand.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PrometheusApi } from "../../src/collect/prometheus/client.js";
import { collectUsageLive } from "../../src/collect/prometheus/index.js";
import { SourceError } from "../../src/core/errors.js";
import { memoryLogger } from "../../src/core/logger.js";

let server: Server;
let url: string;
let metrics: string[];
const calls: Array<{ path: string; query: string | null }> = [];

beforeEach(async () => {
  calls.length = 0;
  metrics = ["container_cpu_usage_seconds_total", "container_memory_working_set_bytes", "kube_pod_info"];
  server = createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://x");
    const query = u.searchParams.get("query");
    calls.push({ path: u.pathname, query });
    res.setHeader("content-type", "application/json");
    const ok = (data: unknown) => res.end(JSON.stringify({ status: "success", data }));
    if (u.pathname.endsWith("/status/buildinfo")) return ok({ version: "2.53.0" });
    if (u.pathname.endsWith("/label/__name__/values")) return ok(metrics);
    if (u.pathname.endsWith("/label/namespace/values")) return ok(["bad", "good"]);
    if (u.pathname.endsWith("/label/pod/values")) return ok(["p-1"]);
    if (u.pathname.endsWith("/query")) return ok({ resultType: "vector", result: [] });
    if (query?.includes('namespace="bad"')) {
      res.writeHead(503);
      return res.end(
        JSON.stringify({
          status: "error",
          errorType: "unavailable",
          error: "query timed out in query execution",
        }),
      );
    }
    const start = Number(u.searchParams.get("start"));
    const end = Number(u.searchParams.get("end"));
    const values: Array<[number, string]> = [];
    for (let t = start; t <= end; t += 3600) values.push([t, "0.5"]);
    const series = query?.includes("capacity_column")
      ? ["cpu_avg_cores", "memory_avg_bytes", "samples"].map((column) => ({
          metric: { capacity_column: column, namespace: "good", pod: "p-1", container: "c" },
          values,
        }))
      : [{ metric: { namespace: "good", pod: "p-1", node: "ip-1" }, values }];
    return ok({ resultType: "matrix", result: series });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => new Promise((r) => server.close(r)));

const collect = (rows: Array<Record<string, unknown>>) =>
  collectUsageLive(
    new PrometheusApi({ url, timeoutSeconds: 5, retries: 2, minRetryDelayMs: 5 }, memoryLogger()),
    {
      cluster: "c",
      window: { start: new Date("2026-11-10T00:00:00Z"), end: new Date("2026-11-12T00:00:00Z") },
      concurrency: 2,
      podBatchSize: 100,
      rateWindow: "5m",
      recordingRules: "auto",
      onRows: async (batch) => {
        rows.push(...batch);
      },
    },
    memoryLogger(),
  );

describe("Prometheus collector faults", () => {
  it("marks a namespace-day missing after its retries fail, and keeps collecting the rest", async () => {
    const rows: Array<Record<string, unknown>> = [];
    const result = await collect(rows);
    expect(result.gaps.map((g) => [g.namespace, g.day])).toEqual(
      expect.arrayContaining([
        ["bad", "2026-11-10"],
        ["bad", "2026-11-11"],
      ]),
    );
    expect(result.gaps.length).toBe(2);
    expect(result.gaps[0]!.error).toContain("query timed out in query execution");
    expect(rows.length).toBe(48);
    expect(rows.every((r) => r.namespace === "good")).toBe(true);
    // each failing query was tried three times (two retries)
    const badUsage = calls.filter(
      (c) => c.query?.includes('namespace="bad"') && c.query.includes("capacity_column"),
    );
    expect(badUsage.length).toBe(2 * 3);
  });

  it("names the missing metrics and what to install; without container metrics it cannot collect at all", async () => {
    metrics = ["container_cpu_usage_seconds_total", "container_memory_working_set_bytes"];
    const result = await collect([]);
    expect(result.missingMetrics.map((m) => m.metric)).toEqual([
      "kube_pod_info",
      "kube_pod_owner",
      "kube_pod_container_resource_requests",
      "kube_pod_container_status_restarts_total",
      "container_cpu_cfs_periods_total",
    ]);
    expect(result.missingMetrics[0]!.from).toBe("kube-state-metrics");
    metrics = ["kube_pod_info"];
    const error = await collect([]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).message).toContain("has no container usage metrics for c over the window");
    expect((error as SourceError).hint).toContain("cAdvisor metrics from the kubelet");
  });
});
