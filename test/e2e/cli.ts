import { spawnSync } from "node:child_process";
import { projectPath } from "../../src/core/paths.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  lines: Array<Record<string, unknown>>;
}

/** Runs the real CLI in a child process (through tsx), with JSON logs, in `cwd`. */
export function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const child = spawnSync(
    process.execPath,
    ["--import", import.meta.resolve("tsx"), projectPath("src", "cli", "bin.ts"), ...args],
    {
      cwd: options.cwd ?? projectPath(),
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env },
      timeout: 120_000,
    },
  );
  const lines = child.stderr
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: child.status ?? -1, stdout: child.stdout, stderr: child.stderr, lines };
}
