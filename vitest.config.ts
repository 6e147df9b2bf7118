import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["./test/global-setup.ts"],
    // Generous: two test files run at once on a 2-core machine, each with DuckDB's threads and CLI
    // children of its own, and a shared machine can be slower still.
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: "forks",
    // Vitest's default on 2 cores is one worker, and the files then run one after another; most
    // wait on child processes and I/O as much as on the CPU, so two at once finish sooner.
    maxWorkers: 2,
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
