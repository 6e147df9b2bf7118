/**
 * Benchmarks, printing figures (never asserting times: machines are shared and noisy).
 *   npm run bench            all of them
 *   npm run bench -- demo    one of them (demo, kubernetes)
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectPath } from "../src/core/paths.js";
import { startFakeApiServer } from "../test/fixtures/fake-apiserver.js";
import { syntheticCluster } from "./synthetic-cluster.js";

interface Figure {
  seconds: number;
  maxRssMb: number;
}
const fmt = (f: Figure) => `${f.seconds.toFixed(2)} s, peak RSS ${f.maxRssMb.toFixed(0)} MB`;
const median = (runs: Figure[]) =>
  [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;

/** The whole pipeline on the embedded demo cluster, as `npm run demo` runs it (compiled JS). */
function demo(): void {
  const once = (): Figure => {
    const out = mkdtempSync(join(tmpdir(), "capacity-bench-"));
    const started = process.hrtime.bigint();
    const child = spawnSync(
      process.execPath,
      [
        "--import",
        projectPath("bench", "rss-at-exit.mjs"),
        projectPath("dist", "cli", "bin.js"),
        "demo",
        "--out",
        out,
        "--log.format",
        "json",
      ],
      { encoding: "utf8" },
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (child.status !== 0) throw new Error(`demo exited with ${child.status}:\n${child.stderr}`);
    const rss = /BENCH_MAX_RSS_KB=(\d+)/.exec(child.stderr);
    return { seconds, maxRssMb: rss ? Number(rss[1]) / 1024 : Number.NaN };
  };
  const runs = [once(), once(), once()];
  process.stdout.write(
    [
      "demo: the whole pipeline on the embedded demo cluster (98k usage rows; collect + analyze + report), 3 runs",
      ...runs.map((r, i) => `  run ${i + 1}: ${fmt(r)}`),
      `  median: ${fmt(median(runs))}  (target: under 15 s)`,
      "",
    ].join("\n"),
  );
}

/** 10,000 pods on 1,000 nodes from the local fake API server, collected and loaded into DuckDB. */
async function kubernetes(): Promise<void> {
  const server = await startFakeApiServer(syntheticCluster(1000, 10));
  const dir = mkdtempSync(join(tmpdir(), "capacity-bench-k8s-"));
  writeFileSync(join(dir, "kubeconfig"), server.kubeconfig());
  const once = () =>
    new Promise<Record<string, number>>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ["--import", import.meta.resolve("tsx"), projectPath("bench", "kubernetes-collect.ts")],
        {
          env: { ...process.env, KUBECONFIG: join(dir, "kubeconfig") },
        },
      );
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d;
      });
      child.stderr.on("data", (d: Buffer) => {
        err += d;
      });
      child.on("close", (code) =>
        code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!)) : reject(new Error(err)),
      );
    });
  const runs = [await once(), await once(), await once()];
  await server.close();
  const m = [...runs].sort((a, b) => a.seconds! - b.seconds!)[1]!;
  process.stdout.write(
    [
      "kubernetes: 10,000 pods on 1,000 nodes from a local API server (pages of 500), collected and loaded into DuckDB, 3 runs",
      ...runs.map(
        (r, i) =>
          `  run ${i + 1}: ${r.seconds!.toFixed(2)} s (list ${r.listSeconds!.toFixed(2)} s + load ${r.loadSeconds!.toFixed(2)} s), peak RSS ${r.maxRssMb!.toFixed(0)} MB, ${r.requests} requests, ${r.rows} rows`,
      ),
      `  median: ${m.seconds!.toFixed(2)} s, peak RSS ${m.maxRssMb!.toFixed(0)} MB  (target: under 15 s and 500 MB)`,
      "",
    ].join("\n"),
  );
}

const which = process.argv[2];
if (!which || which === "demo") demo();
if (!which || which === "kubernetes") await kubernetes();
