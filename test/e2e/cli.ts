import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { projectPath } from "../../src/core/paths.js";
import { TEST_DIST } from "../global-setup.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  lines: Array<Record<string, unknown>>;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** More modules for node to load first (`--import`), after tsx. */
  imports?: string[];
  /** Run src/cli/bin.ts through tsx instead of the compiled CLI. */
  tsx?: boolean;
}

/**
 * The CLI as test/global-setup.ts compiled it, or (`tsx: true`) the TypeScript sources through tsx,
 * for a test that looks at which source modules a command loads.
 */
const nodeArgs = (args: string[], options: CliOptions) => [
  ...(options.tsx ? ["--import", import.meta.resolve("tsx")] : []),
  ...(options.imports ?? []).flatMap((m) => ["--import", m]),
  options.tsx ? projectPath("src", "cli", "bin.ts") : projectPath(TEST_DIST, "cli", "bin.js"),
  ...args,
];

/** Runs the real CLI in a child process (through tsx), with JSON logs, in `cwd`. */
export function cli(args: string[], options: CliOptions = {}): CliResult {
  const child = spawnSync(process.execPath, nodeArgs(args, options), {
    cwd: options.cwd ?? projectPath(),
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env },
    // Generous: a shared, loaded machine can take minutes over a run that takes seconds when idle.
    timeout: 300_000,
  });
  if (child.error) child.stderr += `\n[test] the CLI did not finish: ${child.error.message}\n`;
  const lines = child.stderr
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: child.status ?? -1, stdout: child.stdout, stderr: child.stderr, lines };
}

export interface RunningCli {
  child: ChildProcess;
  /** Resolves when the process has ended. */
  result: Promise<CliResult>;
  /** Resolves with the first JSON log line the predicate accepts (rejects if the process ends first). */
  line(predicate: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

/** Starts the real CLI in a child process without waiting for it: tests can signal it. */
export function startCli(args: string[], options: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, nodeArgs(args, options), {
    cwd: options.cwd ?? projectPath(),
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env },
  });
  let stdout = "";
  let stderr = "";
  const lines: Array<Record<string, unknown>> = [];
  const waiting = new Set<() => void>();
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    const before = stderr.lastIndexOf("\n") + 1;
    stderr += d.toString();
    const complete = stderr.slice(before, stderr.lastIndexOf("\n") + 1);
    for (const l of complete.split("\n")) if (l.startsWith("{")) lines.push(JSON.parse(l));
    for (const wake of waiting) wake();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      for (const wake of waiting) wake();
      resolve({ code: code ?? -1, stdout, stderr, lines });
    });
  });
  const line = (predicate: (line: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = lines.find(predicate);
        if (found) resolve(found);
        else if (child.exitCode !== null || child.signalCode !== null)
          reject(new Error(`the CLI ended without that line:\n${stderr}`));
        else return;
        waiting.delete(check);
      };
      waiting.add(check);
      check();
    });
  return { child, result, line };
}

/** The same, without blocking this process (for servers the test itself runs). */
export function cliAsync(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).result;
}
