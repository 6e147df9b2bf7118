/**
 * Failures said as what they are, classified by status, type or SDK error name (never by the
 * message): a Prometheus answer that is not JSON is not a network error; persistent 429/5xx keep
 * the server's own words and give a hint; Cost Explorer's DataUnavailableException is data not
 * yet available, not a refusal.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as k8s from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { awsFailure } from "../../../src/collect/aws.js";
import { KubernetesClient, RESOURCE_SPECS } from "../../../src/collect/kubernetes/client.js";
import { PrometheusApi } from "../../../src/collect/prometheus/client.js";
import { memoryLogger } from "../../../src/core/logger.js";

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** A Prometheus stand-in that answers every request with this status, type and body. */
async function prometheus(status: number, type: string, body: string): Promise<PrometheusApi> {
  server = createServer((_, res) => {
    res.writeHead(status, { "content-type": type });
    res.end(body);
  }).listen(0, "127.0.0.1");
  await new Promise((resolve) => server!.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return new PrometheusApi(
    { url: `http://127.0.0.1:${port}`, timeoutSeconds: 5, retries: 1, minRetryDelayMs: 5 },
    memoryLogger(),
  );
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => expect.unreachable(),
    (e: unknown) => e as Error & { kind: string; hint?: string },
  );

describe("a Prometheus answer", () => {
  it("that is a web page with status 200 is said to be not JSON, with its first bytes, not a network error", async () => {
    const api = await prometheus(200, "text/html", "<html><body>Sign in\r\nto continue</body></html>");
    for (const call of [
      () => api.range("up", new Date(0), new Date(3_600_000), 60),
      () => api.rangeText("up", new Date(0), new Date(3_600_000), 60),
      () => api.instant("up", new Date(0)),
    ]) {
      const error = await failure(call());
      expect(error.kind).toBe("failed");
      expect(error.message).toContain(
        'the server answered with something that is not JSON (HTTP 200, text/html; first bytes: "<html><body>Sign in\\\\r\\\\nto continue',
      );
      expect(error.message).not.toMatch(/network/);
      expect(error.hint).toContain("check prometheus.url");
    }
  });

  it("that is cut off is said to be cut off, with a hint about answer sizes", async () => {
    const api = await prometheus(
      200,
      "application/json",
      '{"status":"success","data":{"resultType":"matrix","result":[{"me',
    );
    const error = await failure(api.range("up", new Date(0), new Date(3_600_000), 60));
    expect(error.message).toContain("not JSON (JSON cut off after");
    expect(error.hint).toContain("prometheus.podBatchSize");
  });

  it("that keeps failing with 500 keeps the server's message and gives a hint", async () => {
    const api = await prometheus(
      500,
      "application/json",
      '{"status":"error","errorType":"internal","error":"query processing would load too many samples into memory"}',
    );
    const error = await failure(api.range("up", new Date(0), new Date(3_600_000), 60));
    expect(error.message).toBe(
      "prometheus: a range query failed (HTTP 500, after 1 retries): query processing would load too many samples into memory",
    );
    expect(error.hint).toContain("prometheus.concurrency");
  });
});

describe("a Kubernetes API server that keeps refusing", () => {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "c", server: "https://127.0.0.1:1" }],
    users: [{ name: "u", token: "t" }],
    contexts: [{ name: "x", cluster: "c", user: "u" }],
    currentContext: "x",
  });
  const client = new KubernetesClient(kc, "demo-shop", memoryLogger(), { retries: 5, pageSize: 500 });
  const pods = RESOURCE_SPECS.find((s) => s.resource === "pods")!;
  const status = (code: number, message: string) =>
    new k8s.ApiException(
      code,
      "failed",
      JSON.stringify({ kind: "Status", status: "Failure", message, code }),
      {},
    );

  it("with 429 is throttled, keeps the server's message and says what to lower", () => {
    const error = client.explain(pods, status(429, "Too many requests, please try again later."));
    expect(error.kind).toBe("throttled");
    expect(error.message).toBe(
      "kubernetes: demo-shop: list pods (cluster scope) failed with HTTP 429 after 5 retries: Too many requests, please try again later.",
    );
    expect(error.hint).toContain("kubernetes.pageSize (now 500)");
  });

  it("with 500 keeps the server's message and gives a hint", () => {
    const error = client.explain(pods, status(500, "Internal error occurred: etcdserver: request timed out"));
    expect(error.kind).toBe("failed");
    expect(error.message).toContain(
      "failed with HTTP 500 after 5 retries: Internal error occurred: etcdserver: request timed out",
    );
    expect(error.hint).toContain("lower kubernetes.pageSize");
  });
});

describe("Cost Explorer's DataUnavailableException", () => {
  it("is data not yet available for the window, not a refusal or a disabled service", () => {
    const sdkError = Object.assign(new Error("Data is not available for the requested time period"), {
      name: "DataUnavailableException",
      $metadata: { httpStatusCode: 400 },
    });
    const error = awsFailure("cost-explorer", "ce:GetCostAndUsage", sdkError);
    expect(error.kind).toBe("no-data");
    expect(error.message).toContain("has no data yet for the window");
    expect(error.hint).toContain("data not yet available");
    expect(`${error.message} ${error.hint}`).not.toMatch(/not enabled|Launch Cost Explorer|grant/);
  });
});
