import { spawn, spawnSync } from "node:child_process";
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

/** The same, without blocking this process (for servers the test itself runs). */
export function cliAsync(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", import.meta.resolve("tsx"), projectPath("src", "cli", "bin.ts"), ...args],
      {
        cwd: options.cwd ?? projectPath(),
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const lines = stderr
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code: code ?? -1, stdout, stderr, lines });
    });
  });
}
