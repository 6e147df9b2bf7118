/**
 * A recorded bundle of a large synthetic cluster (synthetic-cluster.ts: N nodes of 10 pods, two
 * containers each), written as `collect --record` writes one: the Kubernetes Lists item by
 * item, and the usage CSV by the store's own export (queries/store/export_prom_usage.sql) from
 * hourly rows generated in SQL. For the scale benchmark and the round-trip tests.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUNDLE_FORMAT } from "../src/collect/bundle.js";
import { memoryLogger } from "../src/core/logger.js";
import { exportUsage } from "../src/store/queries.js";
import { writeRun } from "../src/store/runs.js";
import { Store } from "../src/store/store.js";
import { syntheticCluster } from "./synthetic-cluster.js";

type Item = Record<string, unknown>;

export interface SyntheticBundle {
  dir: string;
  cluster: string;
  pods: number;
  containers: number;
  usageRows: number;
  window: { start: Date; end: Date };
}

/** Writes each resource as a List document, one item at a time (no List is one string). */
export function writeLists(dir: string, cluster: string, lists: Record<string, Item[]>): void {
  const folder = join(dir, "kubernetes", cluster);
  mkdirSync(folder, { recursive: true });
  for (const [resource, items] of Object.entries(lists)) {
    const fd = openSync(join(folder, `${resource}.json`), "w");
    writeSync(fd, '{"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":""},"items":[');
    items.forEach((item, i) => {
      writeSync(fd, `${i === 0 ? "\n" : ",\n"}${JSON.stringify(item)}`);
    });
    writeSync(fd, "\n]}\n");
    closeSync(fd);
  }
}

/**
 * Hourly usage of every container of `pods` over the window, written to the bundle by the
 * export `--record` uses. Usage is below the requests most hours, above them some.
 */
export async function writeUsage(
  dir: string,
  cluster: string,
  pods: Item[],
  window: { start: Date; end: Date },
): Promise<number> {
  const scratch = mkdtempSync(join(tmpdir(), "capacity-synthetic-"));
  const podsFile = join(scratch, "pods.csv");
  const fd = openSync(podsFile, "w");
  writeSync(fd, "i,namespace,pod,node,workload_name\n");
  pods.forEach((p, i) => {
    const m = p.metadata as { name: string; namespace: string; labels: Record<string, string> };
    const node = (p.spec as { nodeName: string }).nodeName;
    writeSync(fd, `${i},${m.namespace},${m.name},${node},${m.labels["app.kubernetes.io/name"]}\n`);
  });
  closeSync(fd);
  const store = await Store.open(join(scratch, "s.duckdb"), memoryLogger(), { memoryLimit: "1.5GB" });
  try {
    await writeRun(
      store,
      {
        runId: "synthetic",
        command: "bench",
        startedAt: window.end,
        windowStart: window.start,
        windowEnd: window.end,
        clusters: [{ name: cluster, region: "us-east-1" }],
        toolVersion: "bench",
      },
      async () => {},
      () => window.end,
    );
    const hours = Math.round((window.end.getTime() - window.start.getTime()) / 3_600_000);
    await store.run(
      `INSERT INTO prom_usage_hourly
       SELECT 'synthetic', $1, $2::TIMESTAMP + to_hours(h), p.namespace, p.pod, c.container, p.node, 'Deployment',
         p.workload_name, u * c.cpu, u * c.cpu * 1.4, u * c.cpu * 2, m * c.memory, (m * c.memory * 1.1)::BIGINT,
         c.cpu, c.memory::BIGINT, CASE WHEN p.i % 50 = 0 THEN 0.3 ELSE 0.01 END,
         CASE WHEN p.i % 97 = 0 AND h = 20 THEN 1 ELSE 0 END, 0, 12
       FROM read_csv($3, header = true, columns = {'i': 'BIGINT', 'namespace': 'VARCHAR', 'pod': 'VARCHAR',
         'node': 'VARCHAR', 'workload_name': 'VARCHAR'}) AS p,
         (VALUES ('app', 0.25, 536870912), ('envoy', 0.05, 67108864)) AS c(container, cpu, memory),
         range($4) AS t(h),
         LATERAL (SELECT 0.2 + 1.0 * ((p.i * 7 + h * 13) % 17) / 17.0 AS u, 0.3 + 0.15 * ((p.i + h) % 5) AS m)`,
      [cluster, window.start.toISOString(), podsFile, hours],
    );
    const file = join(dir, "prometheus", cluster, "usage_hourly.csv.gz");
    mkdirSync(join(dir, "prometheus", cluster), { recursive: true });
    await exportUsage(store, "synthetic", cluster, file);
    const n = await store.one<{ n: bigint }>("SELECT count(*) AS n FROM prom_usage_hourly");
    return Number(n?.n ?? 0);
  } finally {
    store.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function writeManifest(
  dir: string,
  clusters: Array<{ name: string; region: string }>,
  window: { start: Date; end: Date },
): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "bundle.json"),
    `${JSON.stringify(
      {
        format: BUNDLE_FORMAT,
        createdAt: window.end.toISOString(),
        window: { start: window.start.toISOString(), end: window.end.toISOString() },
        clusters,
      },
      null,
      2,
    )}\n`,
  );
}

/** A whole bundle: `pods` pods on pods ÷ 10 nodes, `days` days of hourly usage ending at `end`. */
export async function writeSyntheticBundle(
  dir: string,
  options: { pods: number; days: number; end?: Date; cluster?: string },
): Promise<SyntheticBundle> {
  const cluster = options.cluster ?? "synthetic";
  const end = options.end ?? new Date("2026-11-16T00:00:00Z");
  const window = { start: new Date(end.getTime() - options.days * 86_400_000), end };
  const lists = syntheticCluster(Math.ceil(options.pods / 10), 10);
  writeLists(dir, cluster, lists);
  const usageRows = await writeUsage(dir, cluster, lists.pods!, window);
  writeManifest(dir, [{ name: cluster, region: "us-east-1" }], window);
  return { dir, cluster, pods: lists.pods!.length, containers: lists.pods!.length * 2, usageRows, window };
}

// As a script: tsx bench/synthetic-bundle.ts DIR PODS DAYS
if (process.argv[1]?.endsWith("synthetic-bundle.ts")) {
  const [dir, pods, days] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  const b = await writeSyntheticBundle(dir!, { pods: Number(pods), days: Number(days) });
  process.stdout.write(
    `${JSON.stringify({ ...b, seconds: Number(process.hrtime.bigint() - started) / 1e9, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}
