/**
 * The real @kubernetes/client-node talking HTTP to a local fake API server (through a
 * kubeconfig pointing at 127.0.0.1): paging, an expired continue token, a forbidden resource,
 * throttling, and the same rows as replaying the same objects from a bundle.
 */
import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openBundle } from "../../src/collect/bundle.js";
import { KubernetesClient, loadKubeConfig } from "../../src/collect/kubernetes/client.js";
import { collectKubernetesFromBundle, collectKubernetesLive } from "../../src/collect/kubernetes/index.js";
import { RESOURCE_SPECS } from "../../src/collect/kubernetes/resources.js";
import type { Progress } from "../../src/core/context.js";
import { SourceError } from "../../src/core/errors.js";
import { memoryLogger } from "../../src/core/logger.js";
import { projectPath } from "../../src/core/paths.js";
import {
  demoClusterData,
  type FakeApiServer,
  type Faults,
  startFakeApiServer,
} from "../fixtures/fake-apiserver.js";

const servers: FakeApiServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function serve(faults: Faults = {}) {
  const server = await startFakeApiServer(demoClusterData(projectPath("data", "demo")), faults);
  servers.push(server);
  return server;
}

function client(
  server: FakeApiServer,
  options: { pageSize?: number; token?: string; retries?: number } = {},
) {
  const kc = loadKubeConfig({
    kubeconfigYaml: server.kubeconfig([{ name: "fake", ...(options.token ? { token: options.token } : {}) }]),
  });
  return new KubernetesClient(kc, "demo-shop", memoryLogger(), {
    pageSize: options.pageSize ?? 500,
    retries: options.retries ?? 3,
    minRetryDelayMs: 5,
    maxRetryDelayMs: 20,
  });
}

const demoNodes = () => demoClusterData(projectPath("data", "demo")).nodes!.length;

const sortRows = (typed: readonly object[]) =>
  [...(typed as Array<Record<string, unknown>>)].sort((a, b) =>
    `${a.namespace}/${a.name}/${a.pod}/${a.container}`.localeCompare(
      `${b.namespace}/${b.name}/${b.pod}/${b.container}`,
    ),
  );

describe("Kubernetes collector against a fake API server", () => {
  it("pages every list with limit and continue, and maps the same rows as the bundle", async () => {
    const server = await serve();
    const live = await collectKubernetesLive(client(server, { pageSize: 50 }), memoryLogger());
    const replay = collectKubernetesFromBundle(openBundle(projectPath("data", "demo")), "demo-shop");

    const podRequests = server.requests.filter((r) => r.path === "/api/v1/pods");
    expect(podRequests.length).toBe(Math.ceil(replay.tables.k8s_pods.length / 50));
    expect(podRequests.every((r) => r.limit === "50")).toBe(true);
    expect(podRequests[0]!.continue).toBeNull();
    expect(podRequests.slice(1).every((r) => r.continue !== null)).toBe(true);

    expect(live.problems).toEqual([]);
    expect(live.missing).toEqual([]);
    for (const table of [
      "k8s_nodes",
      "k8s_pods",
      "k8s_containers",
      "k8s_workloads",
      "k8s_pvcs",
      "k8s_namespaces",
    ] as const) {
      expect(sortRows(live.tables[table]), table).toEqual(sortRows(replay.tables[table]));
    }
    expect(live.tables.k8s_karpenter).toEqual([
      expect.objectContaining({
        kind: "NodePool",
        name: "spot-general",
        weight: 10,
        limits: { cpu: "200", memory: "800Gi" },
      }),
    ]);
    expect(live.stats.pages).toBeGreaterThan(20);
  });

  it("reports progress after every page: resource kinds listed of all of them, with pages and objects growing to the collection's counts", async () => {
    const server = await serve({ forbidden: ["poddisruptionbudgets"] });
    const seen: Array<{ task: string; done: number; total?: number; pages?: number; objects?: number }> = [];
    const ended: string[] = [];
    const progress: Progress = {
      update: (task, done, total, counters) => seen.push({ task, done, total, ...counters }),
      end: (task) => ended.push(`${task} after ${seen.length} updates`),
    };
    const live = await collectKubernetesLive(client(server, { pageSize: 50 }), memoryLogger(), { progress });

    const kinds = RESOURCE_SPECS.length;
    expect(new Set(seen.map((u) => `${u.task} of ${u.total}`))).toEqual(
      new Set([`kubernetes demo-shop of ${kinds}`]),
    );
    expect(ended).toEqual([`kubernetes demo-shop after ${seen.length} updates`]);
    // Every kind counts once it is done, the forbidden one included: 1, 2, … up to all of them.
    const done = seen.map((u) => u.done);
    expect(done.every((d, i) => i === 0 || d >= done[i - 1]!)).toBe(true);
    expect([...new Set(done)].filter((d) => d > 0)).toEqual(Array.from({ length: kinds }, (_, i) => i + 1));
    expect(seen.at(-1)).toEqual({
      task: "kubernetes demo-shop",
      done: kinds,
      total: kinds,
      pages: live.stats.pages,
      objects: live.stats.objects,
    });
    const objects = seen.map((u) => u.objects!);
    expect(objects.every((n, i) => i === 0 || n >= objects[i - 1]!)).toBe(true);
    // Pods, the last kind, are listed 50 a page: an update per page, its objects growing by the page.
    const podKind = RESOURCE_SPECS.findIndex((s) => s.resource === "pods");
    const duringPods = seen.filter((u) => u.done === podKind); // the kind before's last update, then each page
    const pods = demoClusterData(projectPath("data", "demo")).pods!.length;
    const podPages = Math.ceil(pods / 50);
    expect(podPages).toBeGreaterThan(2);
    expect(duringPods.slice(1).map((u, i) => u.objects! - duringPods[i]!.objects!)).toEqual(
      Array.from({ length: podPages }, (_, i) => (i < podPages - 1 ? 50 : pods - 50 * (podPages - 1))),
    );
    expect(duringPods.slice(1).map((u, i) => u.pages! - duringPods[i]!.pages!)).toEqual(
      Array(podPages).fill(1),
    );
  });

  it("reads each autoscaling/v2 HPA's status conditions as the API serves them, a False ScalingActive with its reason", async () => {
    const server = await serve();
    const live = await collectKubernetesLive(client(server), memoryLogger());
    const served = demoClusterData(projectPath("data", "demo")).horizontalpodautoscalers!.find(
      (h) => (h.metadata as { name: string }).name === "queue-consumer",
    )!;
    const row = live.tables.k8s_workloads.find((w) => w.namespace === "batch" && w.name === "queue-consumer");
    expect(row?.hpa_conditions).toEqual(
      (served.status as { conditions: Array<Record<string, string>> }).conditions.map((c) => ({
        type: c.type,
        status: c.status,
        reason: c.reason,
        message: c.message,
        lastTransitionTime: new Date(c.lastTransitionTime!).toISOString(),
      })),
    );
    expect(row?.hpa_conditions).toContainEqual(
      expect.objectContaining({ type: "ScalingActive", status: "False", reason: "FailedGetExternalMetric" }),
    );
    expect(server.requests.some((r) => r.path === "/apis/autoscaling/v2/horizontalpodautoscalers")).toBe(
      true,
    );
  });

  it("counts the endpoints behind each Service, and finds the LoadBalancer with none", async () => {
    const server = await serve();
    const live = await collectKubernetesLive(client(server), memoryLogger());
    const lb = live.tables.k8s_services.find((s) => s.name === "legacy-storefront");
    expect(lb).toMatchObject({
      type: "LoadBalancer",
      ready_endpoints: 0,
      load_balancer: expect.stringContaining("elb.us-east-1.amazonaws.com"),
    });
    const frontend = live.tables.k8s_services.find((s) => s.name === "frontend");
    expect(frontend?.ready_endpoints).toBeGreaterThanOrEqual(4);
  });

  it("lists again from the start when a continue token has expired (410)", async () => {
    const server = await serve({ expireContinueOnce: ["pods"] });
    const live = await collectKubernetesLive(client(server, { pageSize: 100 }), memoryLogger());
    const pods = live.tables.k8s_pods;
    expect(server.requests.some((r) => r.path === "/api/v1/pods" && r.status === 410)).toBe(true);
    expect(new Set(pods.map((p) => `${p.namespace}/${p.name}`)).size).toBe(pods.length);
    expect(pods.length).toBe(demoClusterData(projectPath("data", "demo")).pods!.length);
    expect(live.stats.restarts).toBe(1);
  });

  it("reports a forbidden resource with the verb, the resource and the rule that grants it, and reads the rest", async () => {
    const server = await serve({ forbidden: ["poddisruptionbudgets"] });
    const live = await collectKubernetesLive(client(server), memoryLogger());
    expect(live.missing).toEqual([
      {
        resource: "poddisruptionbudgets",
        reason: expect.stringContaining(
          'forbidden to list poddisruptionbudgets.policy (cluster scope); fix: grant the ClusterRole bound to capacity\'s identity the rule {apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: ["list"]}',
        ),
      },
    ]);
    expect(live.tables.k8s_pods.length).toBeGreaterThan(200);
    expect(live.tables.k8s_workloads.every((w) => w.pdb_name === null)).toBe(true);
  });

  it("retries a throttled list after the Retry-After it was given, and a server error with backoff", async () => {
    const server = await serve({ throttleOnce: { nodes: 1 }, failOnce: ["deployments"] });
    const live = await collectKubernetesLive(client(server), memoryLogger());
    const nodes = server.requests.filter((r) => r.path === "/api/v1/nodes");
    expect(nodes.map((r) => r.status)).toEqual([429, 200]);
    expect(nodes[1]!.at - nodes[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(
      server.requests.filter((r) => r.path === "/apis/apps/v1/deployments").map((r) => r.status),
    ).toEqual([500, 200]);
    expect(live.tables.k8s_nodes.length).toBe(demoNodes());
    expect(live.stats.retries).toBe(2);
  });

  it("skips custom resources that are not installed (Argo Rollouts) without calling it a problem", async () => {
    const server = await serve();
    const live = await collectKubernetesLive(client(server), memoryLogger());
    expect(server.requests.find((r) => r.path === "/apis/argoproj.io/v1alpha1/rollouts")?.status).toBe(404);
    expect(live.missing).toEqual([]);
  });

  it("says the credentials were rejected (401) and how to refresh them", async () => {
    const server = await serve();
    const error = await collectKubernetesLive(client(server, { token: "expired" }), memoryLogger()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).message).toContain("neither nodes nor pods could be listed");
    expect((error as SourceError).hint).toContain("rejected the credentials (401)");
    expect((error as SourceError).hint).toContain("aws eks update-kubeconfig");
  });

  it("fails the cluster, not the run, when the API server cannot be reached", async () => {
    const server = await serve();
    const closedPort = server.url.replace(/:\d+$/, ":1");
    const kc = loadKubeConfig({ kubeconfigYaml: server.kubeconfig([{ name: "gone", server: closedPort }]) });
    const gone = new KubernetesClient(kc, "gone", memoryLogger(), {
      retries: 1,
      minRetryDelayMs: 5,
      maxRetryDelayMs: 10,
    });
    const error = await collectKubernetesLive(gone, memoryLogger()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).message).toMatch(
      /gone: cannot reach the API server https:\/\/127\.0\.0\.1:1/,
    );
  });

  it("records every list as a List document that replays to the same rows", async () => {
    const server = await serve();
    const dir = mkdtempSync(join(tmpdir(), "capacity-record-"));
    const live = await collectKubernetesLive(client(server), memoryLogger(), { recordDir: dir });
    const { writeFileSync } = await import("node:fs");
    writeFileSync(
      join(dir, "bundle.json"),
      JSON.stringify({
        format: "capacity-bundle/1",
        createdAt: "2026-11-16T00:00:00Z",
        window: { start: "2026-11-02T00:00:00Z", end: "2026-11-16T00:00:00Z" },
        clusters: [{ name: "demo-shop", region: "us-east-1" }],
      }),
    );
    const replay = collectKubernetesFromBundle(openBundle(dir), "demo-shop");
    for (const table of Object.keys(live.tables) as Array<keyof typeof live.tables>) {
      expect(sortRows(replay.tables[table]), table).toEqual(sortRows(live.tables[table]));
    }
  });

  it("authenticates through an exec plugin, as EKS kubeconfigs do with aws eks get-token", async () => {
    const server = await serve();
    const plugin = join(import.meta.dirname, "../fixtures/exec-credential.mjs");
    const yaml = server
      .kubeconfig([{ name: "eks" }])
      .replace(
        /user:\n {4}token: .*\n/,
        `user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: ${process.execPath}\n      args: ["${plugin}"]\n      env:\n        - name: FAKE_TOKEN\n          value: ${server.token}\n      interactiveMode: Never\n`,
      );
    const kc = loadKubeConfig({ kubeconfigYaml: yaml });
    const live = await collectKubernetesLive(
      new KubernetesClient(kc, "demo-shop", memoryLogger()),
      memoryLogger(),
    );
    expect(live.tables.k8s_nodes.length).toBe(demoNodes());
    expect(server.requests.every((r) => r.status !== 401)).toBe(true);
  });

  it("selects a context by name and says which contexts exist when it is not there", async () => {
    const server = await serve();
    const yaml = server.kubeconfig([
      { name: "arn:aws:eks:us-east-1:123456789012:cluster/prod" },
      { name: "staging" },
    ]);
    expect(loadKubeConfig({ kubeconfigYaml: yaml, context: "staging" }).getCurrentContext()).toBe("staging");
    expect(() => loadKubeConfig({ kubeconfigYaml: yaml, context: "dev" })).toThrow(
      "the kubeconfig has no context named dev",
    );
  });

  it("cancels a list in flight when the run's signal aborts", async () => {
    let closed = 0;
    let received = 0;
    const hanging = createServer((_req, res) => {
      received++;
      res.on("close", () => closed++);
    });
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    const port = (hanging.address() as AddressInfo).port;
    try {
      const kc = loadKubeConfig({
        kubeconfigYaml: `apiVersion: v1\nkind: Config\nclusters:\n- name: h\n  cluster:\n    server: http://127.0.0.1:${port}\n    insecure-skip-tls-verify: true\ncontexts:\n- name: h\n  context:\n    cluster: h\n    user: u\ncurrent-context: h\nusers:\n- name: u\n  user:\n    token: t\n`,
      });
      const controller = new AbortController();
      const listing = collectKubernetesLive(
        new KubernetesClient(kc, "h", memoryLogger(), {
          retries: 3,
          minRetryDelayMs: 5,
          signal: controller.signal,
        }),
        memoryLogger(),
      );
      while (received === 0) await new Promise((r) => setTimeout(r, 10));
      controller.abort(new Error("SIGTERM"));
      await expect(listing).rejects.toBeInstanceOf(Error);
      await new Promise((r) => setTimeout(r, 50));
      expect(received).toBe(1);
      expect(closed).toBe(1);
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });
});
