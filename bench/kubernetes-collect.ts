/**
 * Child process of the Kubernetes benchmark: collects from the API server in KUBECONFIG and
 * loads the rows into a fresh DuckDB file, then prints its own figures as one JSON line.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubernetesClient, loadKubeConfig } from "../src/collect/kubernetes/client.js";
import { collectKubernetesLive } from "../src/collect/kubernetes/index.js";
import { memoryLogger } from "../src/core/logger.js";
import { writeRun } from "../src/store/runs.js";
import { Store } from "../src/store/store.js";

const started = process.hrtime.bigint();
const logger = memoryLogger();
const client = new KubernetesClient(loadKubeConfig({}), "bench", logger);
const collected = await collectKubernetesLive(client, logger);
const listed = process.hrtime.bigint();
const store = await Store.open(join(mkdtempSync(join(tmpdir(), "capacity-bench-")), "c.duckdb"), logger);
let rows = 0;
await writeRun(
  store,
  {
    runId: "bench",
    command: "bench",
    startedAt: new Date(),
    windowStart: new Date(),
    windowEnd: new Date(),
    clusters: [],
    toolVersion: "bench",
  },
  async (w) => {
    for (const [table, batch] of Object.entries(collected.tables)) rows += await w.append(table, batch);
  },
  () => new Date(),
);
store.close();
const done = process.hrtime.bigint();
process.stdout.write(
  `${JSON.stringify({
    seconds: Number(done - started) / 1e9,
    listSeconds: Number(listed - started) / 1e9,
    loadSeconds: Number(done - listed) / 1e9,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    rows,
    requests: collected.stats.requests,
    pods: collected.tables.k8s_pods.length,
    nodes: collected.tables.k8s_nodes.length,
  })}\n`,
);
