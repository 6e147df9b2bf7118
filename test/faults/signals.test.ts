/**
 * A run stopped by SIGTERM (a CronJob past its deadline) or SIGINT (Ctrl-C) while it collects:
 * the CLI exits 143 or 130, the database holds exactly what the earlier run left (no row of the
 * stopped run in any table, the marts as they were), and no temporary or spool file is left.
 * The run is held mid-collection by a Prometheus that stalls its range queries, so the signal
 * always lands while the run's transaction is open, whatever the machine's speed.
 */
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../src/core/logger.js";
import { projectPath } from "../../src/core/paths.js";
import { Store } from "../../src/store/store.js";
import { cliAsync, startCli } from "../e2e/cli.js";
import { demoClusterData, type FakeApiServer, startFakeApiServer } from "../fixtures/fake-apiserver.js";
import { type StalledPrometheus, startStalledPrometheus } from "../fixtures/stalled-prometheus.js";

let k8s: FakeApiServer;
let prometheus: StalledPrometheus | undefined;
/** A database holding one finished, analyzed run of the demo bundle. */
let earlier: string;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Every table of the file: its row count and a hash of its rows. */
async function contents(path: string): Promise<Record<string, { n: bigint; h: string | null }>> {
  const store = await Store.open(path, memoryLogger());
  try {
    const tables = await store.all<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1",
    );
    const out: Record<string, { n: bigint; h: string | null }> = {};
    for (const { name } of tables) {
      // Table names come from the file's own catalog, quoted as identifiers.
      out[name] = (await store.one<{ n: bigint; h: string | null }>(
        `SELECT count(*) AS n, sum(hash(t))::VARCHAR AS h FROM ${quote(name)} AS t`,
      ))!;
    }
    return out;
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  k8s = await startFakeApiServer(demoClusterData(projectPath("data", "demo")));
  const dir = mkdtempSync(join(tmpdir(), "capacity-signals-"));
  earlier = join(dir, "earlier.duckdb");
  const bundle = join(dir, "bundle");
  cpSync(projectPath("data", "demo"), bundle, { recursive: true });
  const r = await cliAsync(["run", "--from", bundle, "--database", earlier, "--out", join(dir, "out")], {
    cwd: dir,
  });
  expect(r.code, r.stderr).toBe(0);
}, 600_000);
afterAll(async () => k8s?.close());
afterEach(async () => {
  await prometheus?.close();
  prometheus = undefined;
});

/** A live `capacity run` on a copy of the earlier database, held at Prometheus' first range query. */
async function heldRun() {
  prometheus = await startStalledPrometheus(["shop"]);
  const dir = mkdtempSync(join(tmpdir(), "capacity-signals-"));
  const database = join(dir, "capacity.duckdb");
  copyFileSync(earlier, database);
  const temp = join(dir, "tmp");
  mkdirSync(temp);
  writeFileSync(join(dir, "kubeconfig"), k8s.kubeconfig([{ name: "shop" }]));
  writeFileSync(
    join(dir, "capacity.yaml"),
    [
      "clusters:",
      "  - name: demo-shop",
      "    context: shop",
      "    region: us-east-1",
      "historyDays: 1",
      "prometheus:",
      `  url: ${prometheus.url}`,
      "  retries: 0",
      "  recordingRules: off",
      "",
    ].join("\n"),
  );
  const before = await contents(database);
  const run = startCli(["run", "--database", database, "--out", join(dir, "out")], {
    cwd: dir,
    env: { KUBECONFIG: join(dir, "kubeconfig"), AWS_EC2_METADATA_DISABLED: "true", TMPDIR: temp },
  });
  await Promise.race([
    prometheus.stalled,
    run.result.then((r) => {
      throw new Error(`the run ended before Prometheus was asked for usage:\n${r.stderr}`);
    }),
  ]);
  // Held mid-collection: the usage spool is open in the run's temporary directory.
  expect(readdirSync(temp).some((f) => f.startsWith("capacity-spool-"))).toBe(true);
  return { run, dir, database, temp, before };
}

describe("stopped by a signal", () => {
  it.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)(
    "%s while collecting exits %i, rolls the run back and leaves no temporary file",
    async (signal, code) => {
      const { run, dir, database, temp, before } = await heldRun();
      run.child.kill(signal);
      await run.line((l) => String(l.msg).startsWith(`${signal}: stopping`));
      // The answer the run was waiting for arrives after the signal: the run must not commit with it.
      prometheus!.release();
      const r = await run.result;
      expect(r.code, r.stderr).toBe(code);
      expect(r.lines.map((l) => l.msg)).toContain(
        `stopped by ${signal}: the run in progress was rolled back, earlier runs are as they were`,
      );
      expect(await contents(database)).toEqual(before);
      // tsx, which runs the sources in tests, keeps its compile cache there: anything else is ours.
      expect(readdirSync(temp).filter((f) => !f.startsWith("tsx-"))).toEqual([]);
      expect(existsSync(`${database}.tmp`)).toBe(false);
      expect(existsSync(join(dir, "out"))).toBe(false);
    },
  );
});
