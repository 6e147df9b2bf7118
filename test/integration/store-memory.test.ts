/**
 * DuckDB's memory is a setting: the store opens DuckDB with the configured memory_limit and
 * threads and spills under TMPDIR, and the CronJob's memory limit leaves Node room beside it.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validate } from "../../src/config/load.js";
import { memoryLogger } from "../../src/core/logger.js";
import { projectPath } from "../../src/core/paths.js";
import { Store } from "../../src/store/store.js";

const BYTES: Record<string, number> = { KB: 1e3, MB: 1e6, GB: 1e9, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30 };
const bytes = (size: string) => {
  const [, n, unit] = /^([\d.]+)\s*([KMG]i?B)$/.exec(size)!;
  return Number(n) * BYTES[unit!]!;
};

describe("DuckDB's memory as a setting", () => {
  it("opens DuckDB with the configured memory limit and threads, spilling under the temp directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "capacity-memory-"));
    const store = await Store.open(join(dir, "m.duckdb"), memoryLogger(), {
      memoryLimit: "300MB",
      threads: 1,
      tempDirectory: join(dir, "spill"),
    });
    try {
      const s = await store.one<{ memory: string; threads: bigint; temp: string }>(
        "SELECT current_setting('memory_limit') AS memory, current_setting('threads') AS threads, current_setting('temp_directory') AS temp",
      );
      expect(s).toEqual({ memory: "286.1 MiB", threads: 1n, temp: join(dir, "spill") });
      // A sort five times larger than the limit finishes by spilling, instead of failing.
      const sorted = await store.one<{ n: bigint }>(
        "SELECT count(*) AS n FROM (SELECT range AS i, md5(range::VARCHAR) AS h FROM range(6000000) ORDER BY h)",
      );
      expect(sorted?.n).toBe(6_000_000n);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);

  it("defaults to 1.5GB, sized for a pod with a 2 GiB limit", () => {
    const config = validate({}, "test");
    expect(config.databaseMemoryLimit).toBe("1.5GB");
    expect(config.databaseThreads).toBeUndefined();
    expect(() => validate({ databaseMemoryLimit: "lots" }, "test")).toThrow(/databaseMemoryLimit/);
  });

  it("leaves Node at least a quarter of the CronJob's memory limit beside DuckDB's", () => {
    const cronjob = parse(readFileSync(projectPath("deploy", "base", "cronjob.yaml"), "utf8"));
    const limit = cronjob.spec.jobTemplate.spec.template.spec.containers[0].resources.limits.memory as string;
    const config = validate(
      parse(readFileSync(projectPath("deploy", "base", "capacity.yaml"), "utf8")),
      "deploy",
    );
    expect(bytes(config.databaseMemoryLimit)).toBeLessThanOrEqual(0.75 * bytes(`${limit}B`));
  });
});
