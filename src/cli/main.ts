/**
 * The `capacity` command line. Commands parse their arguments, load the configuration and call
 * one service; every error ends in the one handler at the bottom, which maps it to a message and
 * an exit code (0 ok, 1 fatal, 2 usage or config, 3 finished with sources missing, 130/143
 * stopped by SIGINT/SIGTERM).
 *
 * The services, the store and what they bring (DuckDB, vega, the AWS and Kubernetes clients) are
 * imported inside the command that needs them: `--help` and `--version` load none of them.
 */
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command, CommanderError, Option } from "commander";
import { configFlags, flagValue } from "../config/flags.js";
import { loadConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { type Context, newRunId } from "../core/context.js";
import {
  CapacityError,
  EXIT,
  type ExitCode,
  errorMessage,
  Interrupted,
  type StopSignal,
  UsageError,
} from "../core/errors.js";
import { createLogger, type Logger } from "../core/logger.js";
import { projectPath } from "../core/paths.js";
import { REPORT_FORMATS, type ReportFormat } from "../services/report-formats.js";
import { TOOL_VERSION } from "../services/version.js";
import type { Store } from "../store/store.js";
import { registerForecast } from "./forecast.js";

type Opts = Record<string, unknown>;
const FLAGS = configFlags();

function withConfigFlags(command: Command): Command {
  command.option("-c, --config <file>", "YAML config file (default: capacity.yaml when present)");
  for (const spec of FLAGS) {
    // A boolean flag alone means true; `--prometheus.incremental false` turns a file's true off.
    const option = new Option(
      spec.kind === "boolean" ? `${spec.flag} [value]` : `${spec.flag} <value>`,
      spec.description,
    );
    if (spec.choices) option.choices(spec.choices as string[]);
    command.addOption(option);
  }
  return command;
}

function overridesFrom(opts: Opts): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of FLAGS) {
    const key = spec.flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (opts[key] !== undefined) out[spec.path] = flagValue(spec, opts[key] as string | boolean);
  }
  if (typeof opts.out === "string") out.outputDir = opts.out;
  return out;
}

/** What loadConfig says an override came from when it was not typed as its own flag. */
const OVERRIDE_FLAGS = { outputDir: "--out" };

function configFrom(opts: Opts, base?: Record<string, unknown>): Config {
  return loadConfig({
    file: opts.config as string | undefined,
    overrides: overridesFrom(opts),
    overrideFlags: OVERRIDE_FLAGS,
    ...(base ? { base } : {}),
  });
}

/** The clock is built here, once: services ask `ctx.clock()` for the current time, never the system. */
function makeContext(config: Config, command: string, signal: AbortSignal): Context {
  const format = config.log.format === "auto" ? undefined : config.log.format;
  const clock = (): Date => new Date();
  const logger = createLogger({ level: config.log.level, now: clock, ...(format ? { format } : {}) }).child({
    command,
  });
  return { config, logger, clock, runId: newRunId(clock()), signal };
}

/** `append`: the command adds a run, so the file is read whole first (a damaged file is refused, not appended to). */
async function withStore<T>(
  ctx: Context,
  fn: (store: Store) => Promise<T>,
  options: { append?: boolean } = {},
): Promise<T> {
  const [{ Store }, { withHistory }] = await Promise.all([
    import("../store/store.js"),
    import("../services/delivery/index.js"),
  ]);
  // With `history.s3`, the file is pulled first and, after a command that adds a run, pushed back.
  return withHistory(ctx, options.append === true, async () => {
    const store = await Store.open(resolve(ctx.config.database), ctx.logger, {
      signal: ctx.signal,
      verify: options.append === true,
      memoryLimit: ctx.config.databaseMemoryLimit,
      threads: ctx.config.databaseThreads,
    });
    try {
      return await fn(store);
    } finally {
      store.close();
    }
  });
}

function parseFormats(text: string): ReportFormat[] {
  const formats = text
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  const bad = formats.filter((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (bad.length > 0)
    throw new UsageError(
      `unknown report format ${bad.join(", ")}`,
      `choose from ${REPORT_FORMATS.join(", ")}`,
    );
  return formats as ReportFormat[];
}

/** Exit code of a finished collection: 3 when a source was missing or partial (1 with --strict). */
function collectionExit(ctx: Context, status: "ok" | "partial"): ExitCode {
  if (status === "ok") return EXIT.ok;
  ctx.logger.warn("finished with sources missing or partial: the report says which");
  return ctx.config.strict ? EXIT.fatal : EXIT.partial;
}

export function buildProgram(
  setExit: (code: ExitCode) => void,
  signal: AbortSignal = new AbortController().signal,
): Command {
  const program = new Command("capacity")
    .description("Where EKS compute money goes, and how much capacity a coming peak needs.")
    .version(TOOL_VERSION)
    .showHelpAfterError()
    .exitOverride();

  withConfigFlags(
    program
      .command("demo")
      .description("the whole pipeline on the embedded demo cluster (data/demo), no network")
      .option("-o, --out <dir>", "output directory", "out"),
  ).action(async (opts: Opts) => {
    const out = String(opts.out);
    // The demo's pods carry a `team` label: roll costs up by it, as a reviewer would.
    const config = configFrom(opts, {
      database: join(out, "capacity.duckdb"),
      outputDir: out,
      allocation: { labelKeys: ["team"] },
    });
    const ctx = makeContext(config, "demo", signal);
    rmSync(resolve(config.database), { force: true });
    rmSync(`${resolve(config.database)}.wal`, { force: true });
    const started = performance.now();
    const [{ collect }, { analyze }, { report }] = await Promise.all([
      import("../services/collect.js"),
      import("../services/analyze.js"),
      import("../services/report.js"),
    ]);
    await withStore(ctx, async (store) => {
      const result = await collect(ctx, store, { from: projectPath("data", "demo"), command: "demo" });
      const run = await analyze(ctx, store, result.runId);
      const { files, model } = await report(ctx, store, run, config.outputDir);
      ctx.logger.info("demo finished", {
        seconds: Math.round((performance.now() - started) / 100) / 10,
        monthlyCostUsd: Math.round(model.totals.monthlyCostUsd),
        files: [...files, config.database].join(","),
      });
      setExit(collectionExit(ctx, result.status));
    });
  });

  withConfigFlags(
    program
      .command("collect")
      .description("pull every configured source into the DuckDB file as one run")
      .option("--record <dir>", "also write what was fetched as a bundle, to analyse offline with --from")
      .option("--from <dir>", "replay a recorded bundle instead of reaching live sources"),
  ).action(async (opts: Opts) => {
    const ctx = makeContext(configFrom(opts), "collect", signal);
    const { collect } = await import("../services/collect.js");
    await withStore(
      ctx,
      async (store) => {
        const result = await collect(ctx, store, {
          from: opts.from as string | undefined,
          record: opts.record as string | undefined,
          command: "collect",
        });
        setExit(collectionExit(ctx, result.status));
      },
      { append: true },
    );
  });

  withConfigFlags(
    program
      .command("analyze")
      .description("run the SQL models and data tests for the latest run")
      .option("--run <id>", "a run other than the latest"),
  ).action(async (opts: Opts) => {
    const ctx = makeContext(configFrom(opts), "analyze", signal);
    const { analyze } = await import("../services/analyze.js");
    await withStore(ctx, (store) => analyze(ctx, store, opts.run as string | undefined));
  });

  withConfigFlags(
    program
      .command("report")
      .description("render the latest analyzed run")
      .option("--format <list>", `comma-separated: ${REPORT_FORMATS.join(",")}`, REPORT_FORMATS.join(","))
      .option("-o, --out <dir>", "output directory (default: outputDir from the config)")
      .option("--run <id>", "a run other than the latest")
      .option(
        "--from-parquet <dir|s3://bucket/prefix>",
        "the organisation roll-up of every cluster's latest run in a `capacity export --parquet` folder",
      ),
  ).action(async (opts: Opts) => {
    const formats = parseFormats(String(opts.format));
    const ctx = makeContext(configFrom(opts), "report", signal);
    if (typeof opts.fromParquet === "string") {
      const { rollupReport } = await import("../services/rollup.js");
      await rollupReport(ctx, opts.fromParquet, ctx.config.outputDir);
      return;
    }
    const [{ findAnalyzedRun }, { report }, { deliver }] = await Promise.all([
      import("../services/runs.js"),
      import("../services/report.js"),
      import("../services/delivery/index.js"),
    ]);
    const { run, output } = await withStore(ctx, async (store) => {
      const run = await findAnalyzedRun(store, opts.run as string | undefined);
      return { run, output: await report(ctx, store, run, ctx.config.outputDir, formats) };
    });
    await deliver(ctx, run, ctx.config.outputDir, output);
  });

  withConfigFlags(
    program
      .command("export")
      .description(
        "each run's raw tables and marts as Parquet, partitioned by cluster and day (docs/export.md)",
      )
      .requiredOption("--parquet <dir|s3://bucket/prefix>", "where the Parquet files go")
      .option("--run <id>", "only this run (default: every run the database keeps)"),
  ).action(async (opts: Opts) => {
    const ctx = makeContext(configFrom(opts), "export", signal);
    const { exportParquet } = await import("../services/export.js");
    await withStore(ctx, async (store) => {
      const result = await exportParquet(ctx, store, String(opts.parquet), {
        run: opts.run as string | undefined,
      });
      ctx.logger.info("export finished", {
        runs: result.runs.length,
        tables: result.tables.length,
        files: result.files,
        target: result.target,
      });
    });
  });

  withConfigFlags(
    program
      .command("run")
      .description("collect + analyze + report: what the CronJob calls")
      .option("--from <dir>", "replay a recorded bundle instead of reaching live sources")
      .option("-o, --out <dir>", "output directory (default: outputDir from the config)"),
  ).action(async (opts: Opts) => {
    const ctx = makeContext(configFrom(opts), "run", signal);
    const [{ collect }, { analyze }, { report }, { deliver }] = await Promise.all([
      import("../services/collect.js"),
      import("../services/analyze.js"),
      import("../services/report.js"),
      import("../services/delivery/index.js"),
    ]);
    const done = await withStore(
      ctx,
      async (store) => {
        const result = await collect(ctx, store, { from: opts.from as string | undefined, command: "run" });
        const run = await analyze(ctx, store, result.runId);
        const output = await report(ctx, store, run, ctx.config.outputDir);
        return { run, output, status: result.status };
      },
      { append: true },
    );
    // After the history is closed (and pushed): a failed delivery never costs the run.
    await deliver(ctx, done.run, ctx.config.outputDir, done.output);
    setExit(collectionExit(ctx, done.status));
  });

  registerForecast(program, { withConfigFlags, configFrom, makeContext, withStore, signal, setExit });

  return program;
}

/** `--log.level debug` (or CAPACITY_LOG__LEVEL=debug): read here too, as the config may be what failed. */
function debugRequested(argv: readonly string[]): boolean {
  const at = argv.indexOf("--log.level");
  return (
    (at >= 0 && argv[at + 1] === "debug") ||
    argv.includes("--log.level=debug") ||
    process.env.CAPACITY_LOG__LEVEL === "debug"
  );
}

/**
 * Node's warnings (the AWS SDK's multi-line NodeVersionSupportWarning among them) and libraries'
 * console.warn go through the logger: one JSON line each, not free text between the JSON lines.
 * Returns what puts things back as they were.
 */
export function routeWarnings(logger: Logger): () => void {
  const listeners = process.listeners("warning");
  const consoleWarn = console.warn;
  process.removeAllListeners("warning");
  const onWarning = (warning: Error): void => {
    const [first, ...rest] = warning.message.trim().split("\n");
    logger.warn(
      `${warning.name}: ${first}`,
      rest.length ? { detail: rest.join(" ").replace(/\s+/g, " ").trim() } : {},
    );
  };
  process.on("warning", onWarning);
  console.warn = (...args: unknown[]) =>
    logger.warn(
      args
        .map(String)
        .join(" ")
        .replace(/\s*\n\s*/g, " "),
    );
  return () => {
    process.off("warning", onWarning);
    for (const listener of listeners) process.on("warning", listener);
    console.warn = consoleWarn;
  };
}

/**
 * What a SIGINT or SIGTERM does: the first aborts `stop` (the run rolls back at its next await),
 * a second exits at once with the signal's code.
 */
export function signalHandler(
  stop: AbortController,
  logger: Logger,
  exit: (code: number) => void = (c) => process.exit(c),
): (signal: StopSignal) => void {
  return (signal) => {
    const reason = new Interrupted(signal);
    if (stop.signal.aborted) {
      logger.error(`${signal} again: exiting now`);
      exit(reason.exitCode);
      return;
    }
    logger.warn(`${signal}: stopping, the run in progress will be rolled back`, {
      fix: `send ${signal} again to exit at once`,
    });
    stop.abort(reason);
  };
}

/**
 * The one top-level handler. SIGINT and SIGTERM abort `ctx.signal`: the work in flight stops at
 * its next await, the run's transaction rolls back, and the exit code says which signal it was
 * (130, 143). A second signal exits at once: nothing of an uncommitted run is in the file then
 * either, as when the process is killed.
 */
export async function main(argv: string[], logger: Logger = createLogger()): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const stop = new AbortController();
  const onSignal = signalHandler(stop, logger);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const restoreWarnings = routeWarnings(logger);
  const program = buildProgram((c) => {
    code = c;
  }, stop.signal);
  try {
    await program.parseAsync(argv, { from: "user" });
    if (!stop.signal.aborted) return code;
    const reason = stop.signal.reason as Interrupted;
    logger.warn(`${reason.signal} came after the command had finished: nothing was rolled back`);
    return reason.exitCode;
  } catch (error) {
    if (stop.signal.aborted) {
      const reason = stop.signal.reason as Interrupted;
      // Whatever the abort surfaced as (the reason itself, or a source or model error around it).
      if (error !== reason) logger.debug("stopped at", { error: errorMessage(error) });
      logger.error(`${reason.message}: the run in progress was rolled back, earlier runs are as they were`);
      return reason.exitCode;
    }
    if (error instanceof CommanderError) {
      // --help and --version end here too, with code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CapacityError) {
      logger.error(error.message, { kind: error.name, ...(error.hint ? { fix: error.hint } : {}) });
      return error.exitCode;
    }
    // A stack trace helps a developer, not a user: only with --log.level debug.
    logger.error(`unexpected error: ${errorMessage(error)}`, {
      ...(debugRequested(argv) && error instanceof Error ? { stack: error.stack } : {}),
      fix: "run again with --log.level debug for the stack trace, and report it",
    });
    return EXIT.fatal;
  } finally {
    restoreWarnings();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
