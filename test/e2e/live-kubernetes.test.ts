/**
 * `capacity run` and `collect --record` against live clusters: one served by the fake API
 * server, one that cannot be reached. The reachable one is analysed; the run ends with exit 3
 * and the report says what was missing.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectPath } from "../../src/core/paths.js";
import { demoClusterData, type FakeApiServer, startFakeApiServer } from "../fixtures/fake-apiserver.js";
import { cliAsync } from "./cli.js";

let server: FakeApiServer;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startFakeApiServer(demoClusterData(projectPath("data", "demo")), {
    forbidden: ["persistentvolumes"],
  });
  dir = mkdtempSync(join(tmpdir(), "capacity-live-"));
  const unreachable = server.url.replace(/:\d+$/, ":1");
  writeFileSync(
    join(dir, "kubeconfig"),
    server.kubeconfig([{ name: "shop-ctx" }, { name: "gone-ctx", server: unreachable }]),
  );
  writeFileSync(
    join(dir, "capacity.yaml"),
    [
      "clusters:",
      "  - name: demo-shop",
      "    context: shop-ctx",
      "    region: us-east-1",
      "  - name: gone",
      "    context: gone-ctx",
      "    region: us-east-1",
      "kubernetes:",
      "  pageSize: 100",
      "  retries: 1",
      "",
    ].join("\n"),
  );
  env = { KUBECONFIG: join(dir, "kubeconfig"), AWS_EC2_METADATA_DISABLED: "true" };
});
afterAll(async () => server?.close());

describe("live Kubernetes collection", () => {
  it("analyses the reachable cluster, reports the unreachable one as missing, and exits 3", async () => {
    const r = await cliAsync(["run", "--out", join(dir, "out"), "--database", join(dir, "c.duckdb")], {
      cwd: dir,
      env,
    });
    expect(r.code, r.stderr).toBe(3);
    const json = JSON.parse(readFileSync(join(dir, "out", "recommendations.json"), "utf8"));
    const byKey = new Map(
      json.sources.map((s: { cluster: string; source: string }) => [`${s.cluster}/${s.source}`, s]),
    );
    expect(byKey.get("demo-shop/kubernetes")).toMatchObject({
      status: "partial",
      error: expect.stringContaining("persistentvolumes"),
    });
    expect(byKey.get("gone/kubernetes")).toMatchObject({
      status: "missing",
      error: expect.stringContaining("cannot reach the API server"),
    });
    expect(byKey.get("demo-shop/prometheus")).toMatchObject({
      status: "missing",
      error: expect.stringContaining("no prometheus.url configured"),
    });
    // No AWS credentials here: the bill is missing and prices come from the dated snapshot, said so.
    expect(byKey.get("demo-shop/cost-explorer")).toMatchObject({
      status: "missing",
      error: expect.stringContaining("no AWS credentials"),
    });
    expect(byKey.get("demo-shop/pricing")).toMatchObject({
      status: "partial",
      error: expect.stringContaining("priced from the dated snapshot instead"),
    });
    // Without usage history every running pod is charged its requests from its creation on.
    expect(json.summary.monthlyCostUsd).toBeGreaterThan(1000);
    const md = readFileSync(join(dir, "out", "report.md"), "utf8");
    expect(md).toContain("| gone | kubernetes | missing | live | 0 |");
    expect(md).toContain("Without usage history, pods are charged their requests.");
    const podRequests = server.requests.filter((q) => q.path === "/api/v1/pods");
    expect(podRequests.every((q) => q.limit === "100")).toBe(true);
  });

  it("records what it fetched, and replays it offline to the same inventory", async () => {
    const bundle = join(dir, "bundle");
    const recorded = await cliAsync(["collect", "--record", bundle, "--database", join(dir, "r.duckdb")], {
      cwd: dir,
      env,
    });
    expect(recorded.code, recorded.stderr).toBe(3);
    expect(existsSync(join(bundle, "bundle.json"))).toBe(true);
    expect(existsSync(join(bundle, "kubernetes", "demo-shop", "pods.json"))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(bundle, "bundle.json"), "utf8"));
    expect(manifest.clusters).toEqual([
      { name: "demo-shop", region: "us-east-1" },
      { name: "gone", region: "us-east-1" },
    ]);
    writeFileSync(join(dir, "offline.yaml"), "clusters:\n  - name: demo-shop\n    region: us-east-1\n");
    const replay = await cliAsync(
      [
        "run",
        "--config",
        join(dir, "offline.yaml"),
        "--from",
        bundle,
        "--out",
        join(dir, "replay"),
        "--database",
        join(dir, "p.duckdb"),
      ],
      { cwd: dir },
    );
    expect(replay.code, replay.stderr).toBe(3); // usage and the bill were not recorded: missing
    const live = JSON.parse(readFileSync(join(dir, "out", "recommendations.json"), "utf8"));
    const offline = JSON.parse(readFileSync(join(dir, "replay", "recommendations.json"), "utf8"));
    const shop = (j: { costAllocation: Array<{ cluster: string }> }) =>
      j.costAllocation.filter((r) => r.cluster === "demo-shop");
    expect(shop(offline).length).toBe(shop(live).length);
  });
});
