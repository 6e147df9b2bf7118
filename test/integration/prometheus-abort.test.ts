/**
 * An abort (SIGTERM, SIGINT) cancels the requests in flight: a collection waiting on a Prometheus
 * that does not answer ends as soon as the run's signal aborts, the server sees the request
 * closed, and the run is rolled back (nothing of it is stored).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../src/core/logger.js";
import { collect } from "../../src/services/collect.js";
import { Store } from "../../src/store/store.js";
import { testContext } from "../fixtures/scenario.js";

let server: Server;
let url: string;
let dir: string;
const hanging: IncomingMessage[] = [];
const closed: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    res.setHeader("content-type", "application/json");
    if (path.endsWith("/status/buildinfo"))
      return res.end(JSON.stringify({ status: "success", data: { version: "2.53.0" } }));
    // Every other request hangs until the client gives up on it.
    hanging.push(req);
    res.on("close", () => closed.push(path));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), "capacity-abort-"));
  writeFileSync(
    join(dir, "kubeconfig"),
    "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n",
  );
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("aborting a collection", () => {
  it("cancels the Prometheus request in flight and rolls the run back", async () => {
    const controller = new AbortController();
    const ctx = {
      ...testContext({
        clusters: [{ name: "test", region: "us-east-1", context: "absent" }],
        prometheus: { url, clusterLabel: "cluster", timeoutSeconds: 600, retries: 3 },
      }),
      signal: controller.signal,
    };
    const store = await Store.open(join(dir, "c.duckdb"), memoryLogger());
    const kubeconfig = process.env.KUBECONFIG;
    process.env.KUBECONFIG = join(dir, "kubeconfig");
    try {
      const running = collect(ctx, store, { command: "collect" });
      while (hanging.length === 0) await new Promise((r) => setTimeout(r, 20));
      const started = performance.now();
      controller.abort(new Error("SIGTERM"));
      await expect(running).rejects.toThrow("SIGTERM");
      expect(performance.now() - started).toBeLessThan(2000);
      await new Promise((r) => setTimeout(r, 50));
      expect(closed.length).toBe(hanging.length);
      expect(await store.all("select * from runs")).toEqual([]);
      expect(await store.all("select * from run_sources")).toEqual([]);
    } finally {
      process.env.KUBECONFIG = kubeconfig;
      store.close();
    }
  });
});
