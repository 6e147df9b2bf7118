/**
 * `capacity --help`, every command's help and `--version` start fast because they load nothing
 * heavy: DuckDB, vega, the AWS SDK, the Kubernetes client and the services are imported only by
 * the command that needs them. Pinned by what the process loads, not by a time.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./cli.js";

const HEAVY = [
  "/node_modules/@duckdb/",
  "/node_modules/vega/",
  "/node_modules/vega-lite/",
  "/node_modules/@aws-sdk/",
  "/node_modules/@kubernetes/client-node/",
  "/src/store/",
  "/src/services/analyze.ts",
  "/src/services/collect.ts",
  "/src/services/report.ts",
];

/** Runs the CLI and returns the URL of every module it resolved. */
function loaded(args: string[], cwd?: string): { code: number; modules: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "capacity-modules-"));
  const log = join(dir, "modules.txt");
  const r = cli(args, {
    cwd: cwd ?? dir,
    env: { LOADED_MODULES_LOG: log },
    imports: [import.meta.resolve("./module-log.mjs")],
    tsx: true,
  });
  return { code: r.code, modules: readFileSync(log, "utf8").split("\n").filter(Boolean) };
}

const heavyIn = (modules: string[]) => modules.filter((m) => HEAVY.some((h) => m.includes(h)));

describe("fast start", () => {
  it("loads no database, chart, AWS or Kubernetes module for --help and --version", () => {
    for (const args of [
      ["--help"],
      ["--version"],
      ["run", "--help"],
      ["report", "--help"],
      ["demo", "--help"],
    ]) {
      const { code, modules } = loaded(args);
      expect(code, args.join(" ")).toBe(0);
      // The log works: it saw the CLI itself.
      expect(modules.some((m) => m.endsWith("/src/cli/main.ts"))).toBe(true);
      expect(heavyIn(modules), args.join(" ")).toEqual([]);
    }
  });

  it("loads DuckDB once a command needs the store", () => {
    // `analyze` on an empty directory opens the database, finds no run and exits 2.
    const { code, modules } = loaded(["analyze", "--database", "c.duckdb"]);
    expect(code).toBe(2);
    expect(modules.some((m) => m.includes("/node_modules/@duckdb/node-api/"))).toBe(true);
    expect(modules.some((m) => m.endsWith("/src/services/analyze.ts"))).toBe(true);
  });
});
