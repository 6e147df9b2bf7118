/**
 * A query that still fails after its retries marks that namespace and day as missing and the
 * collection goes on; the startup check names missing metrics and what to install. A small fake
 * of the Prometheus HTTP API stands in here, for the faults a real one does not make on demand.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PrometheusApi } from "../../src/collect/prometheus/client.js";
import { SourceError } from "../../src/core/errors.js";
import { memoryLogger } from "../../src/core/logger.js";
import { collectIntoStore } from "../fixtures/usage-store.js";

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
    const start = Number(u.searchParams.get("start"));
    const end = Number(u.searchParams.get("end"));
    const step = Number(u.searchParams.get("step"));
    const namespace = /namespace="(\w+)"/.exec(query ?? "")?.[1] ?? "";
    const facts = query?.includes("capacity_fact") ?? false;
    // In "bad", the daily facts fail over the whole window and on the 11th alone.
    if (namespace === "bad" && facts && (end > start || end === Date.parse("2026-11-12T00:00:00Z") / 1000)) {
      res.writeHead(503);
      return res.end(
        JSON.stringify({
          status: "error",
          errorType: "unavailable",
          error: "query timed out in query execution",
        }),
      );
    }
    const values: Array<[number, string]> = [];
    for (let t = start; t <= end; t += step) values.push([t, "0.5"]);
    const series = facts
      ? [{ metric: { capacity_fact: "node", namespace, pod: "p-1", node: "ip-1", uid: "u" }, values }]
      : [{ metric: { namespace, pod: "p-1", container: "c", job: "kubelet" }, values }];
    return ok({ resultType: "matrix", result: series });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => new Promise((r) => server.close(r)));

const collect = async (rows: Array<Record<string, unknown>>) => {
  const { collected, rows: loaded } = await collectIntoStore(
    new PrometheusApi({ url, timeoutSeconds: 5, retries: 2, minRetryDelayMs: 5 }, memoryLogger()),
    {
      cluster: "c",
      window: { start: new Date("2026-11-10T00:00:00Z"), end: new Date("2026-11-12T00:00:00Z") },
      concurrency: 2,
      podBatchSize: 100,
      rateWindow: "5m",
      recordingRules: "auto",
    },
  );
  rows.push(...loaded);
  return collected;
};

describe("Prometheus collector faults", () => {
  it("marks a namespace-day missing after its retries fail, and keeps collecting the rest", async () => {
    const rows: Array<Record<string, unknown>> = [];
    const result = await collect(rows);
    expect(result.gaps.map((g) => [g.namespace, g.day])).toEqual([["bad", "2026-11-11"]]);
    expect(result.gaps[0]!.error).toContain("query timed out in query execution");
    // Both days of "good" and the 10th of "bad", whose facts were asked again day by day.
    expect(rows.length).toBe(72);
    expect(
      rows.filter((r) => r.namespace === "bad").every((r) => (r.hour as Date) < new Date("2026-11-11")),
    ).toBe(true);
    expect(rows.every((r) => r.node === "ip-1" && r.cpu_avg_cores === 0.5)).toBe(true);
    // each failing query was tried three times (two retries): the window's, then the 11th's
    const badFacts = calls.filter(
      (c) => c.query?.includes('namespace="bad"') && c.query.includes("capacity_fact"),
    );
    expect(badFacts.length).toBe(3 + 1 + 3);
  });

  it("counts each namespace-day once, gaps included, up to the total that gives the progress its ETA", async () => {
    const counts: Array<[number, number]> = [];
    const { collected } = await collectIntoStore(
      new PrometheusApi({ url, timeoutSeconds: 5, retries: 2, minRetryDelayMs: 5 }, memoryLogger()),
      {
        cluster: "c",
        window: { start: new Date("2026-11-10T00:00:00Z"), end: new Date("2026-11-12T00:00:00Z") },
        concurrency: 2,
        podBatchSize: 100,
        rateWindow: "5m",
        recordingRules: "auto",
        onDay: (done, total) => counts.push([done, total]),
      },
    );
    // Two namespaces over two days, the 11th of "bad" a gap: four namespace-days, counted 1 to 4.
    expect(collected.scopes * collected.days).toBe(4);
    expect(collected.gaps).toHaveLength(1);
    expect(counts).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
  });

  it("names the missing metrics and what to install; without container metrics it cannot collect at all", async () => {
    metrics = ["container_cpu_usage_seconds_total", "container_memory_working_set_bytes"];
    const result = await collect([]);
    expect(result.missingMetrics.map((m) => m.metric)).toEqual([
      "kube_pod_info",
      "kube_pod_owner",
      "kube_pod_container_resource_requests",
      "kube_pod_container_status_restarts_total",
      "kube_pod_status_phase",
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
