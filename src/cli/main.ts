/**
 * The `capacity` command line. Commands parse their arguments, load the configuration and call
 * one service; every error ends in the one handler at the bottom, which maps it to a message and
 * an exit code (0 ok, 1 fatal, 2 usage or config, 3 finished with sources missing).
 */
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command, CommanderError, Option } from "commander";
import { configFlags, flagValue } from "../config/flags.js";
import { loadConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { type Context, newRunId } from "../core/context.js";
import { CapacityError, EXIT, type ExitCode, UsageError } from "../core/errors.js";
import { createLogger, type Logger } from "../core/logger.js";
import { projectPath } from "../core/paths.js";
import { analyze } from "../services/analyze.js";
import { collect } from "../services/collect.js";
import { REPORT_FORMATS, type ReportFormat, report } from "../services/report.js";
import { findAnalyzedRun } from "../services/runs.js";
import { TOOL_VERSION } from "../services/version.js";
import { Store } from "../store/store.js";

type Opts = Record<string, unknown>;
const FLAGS = configFlags();

function withConfigFlags(command: Command): Command {
  command.option("-c, --config <file>", "YAML config file (default: capacity.yaml when present)");
  for (const spec of FLAGS) {
    const option = new Option(spec.kind === "boolean" ? spec.flag : `${spec.flag} <value>`, spec.description);
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

function makeContext(config: Config, command: string): Context {
  const format = config.log.format === "auto" ? undefined : config.log.format;
  const logger = createLogger({ level: config.log.level, ...(format ? { format } : {}) }).child({ command });
  const now = new Date();
  return {
    config,
    logger,
    clock: () => new Date(),
    runId: newRunId(now),
    signal: new AbortController().signal,
  };
}

async function withStore<T>(ctx: Context, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(resolve(ctx.config.database), ctx.logger);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
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

export function buildProgram(setExit: (code: ExitCode) => void): Command {
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
    const config = loadConfig({
      file: opts.config as string | undefined,
      // The demo's pods carry a `team` label: roll costs up by it, as a reviewer would.
      base: { database: join(out, "capacity.duckdb"), outputDir: out, allocation: { labelKeys: ["team"] } },
      overrides: overridesFrom(opts),
    });
    const ctx = makeContext(config, "demo");
    rmSync(resolve(config.database), { force: true });
    rmSync(`${resolve(config.database)}.wal`, { force: true });
    const started = Date.now();
    await withStore(ctx, async (store) => {
      const result = await collect(ctx, store, { from: projectPath("data", "demo"), command: "demo" });
      const run = await analyze(ctx, store, result.runId);
      const { files, model } = await report(ctx, store, run, config.outputDir);
      ctx.logger.info("demo finished", {
        seconds: Math.round((Date.now() - started) / 100) / 10,
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
    const ctx = makeContext(
      loadConfig({ file: opts.config as string | undefined, overrides: overridesFrom(opts) }),
      "collect",
    );
    await withStore(ctx, async (store) => {
      const result = await collect(ctx, store, {
        from: opts.from as string | undefined,
        record: opts.record as string | undefined,
        command: "collect",
      });
      setExit(collectionExit(ctx, result.status));
    });
  });

  withConfigFlags(
    program
      .command("analyze")
      .description("run the SQL models and data tests for the latest run")
      .option("--run <id>", "a run other than the latest"),
  ).action(async (opts: Opts) => {
    const ctx = makeContext(
      loadConfig({ file: opts.config as string | undefined, overrides: overridesFrom(opts) }),
      "analyze",
    );
    await withStore(ctx, (store) => analyze(ctx, store, opts.run as string | undefined));
  });

  withConfigFlags(
    program
      .command("report")
      .description("render the latest analyzed run")
      .option("--format <list>", `comma-separated: ${REPORT_FORMATS.join(",")}`, REPORT_FORMATS.join(","))
      .option("-o, --out <dir>", "output directory (default: outputDir from the config)")
      .option("--run <id>", "a run other than the latest"),
  ).action(async (opts: Opts) => {
    const formats = parseFormats(String(opts.format));
    const ctx = makeContext(
      loadConfig({ file: opts.config as string | undefined, overrides: overridesFrom(opts) }),
      "report",
    );
    await withStore(ctx, async (store) => {
      const run = await findAnalyzedRun(store, opts.run as string | undefined);
      await report(ctx, store, run, ctx.config.outputDir, formats);
    });
  });

  withConfigFlags(
    program
      .command("run")
      .description("collect + analyze + report: what the CronJob calls")
      .option("--from <dir>", "replay a recorded bundle instead of reaching live sources")
      .option("-o, --out <dir>", "output directory (default: outputDir from the config)"),
  ).action(async (opts: Opts) => {
    const ctx = makeContext(
      loadConfig({ file: opts.config as string | undefined, overrides: overridesFrom(opts) }),
      "run",
    );
    await withStore(ctx, async (store) => {
      const result = await collect(ctx, store, { from: opts.from as string | undefined, command: "run" });
      const run = await analyze(ctx, store, result.runId);
      await report(ctx, store, run, ctx.config.outputDir);
      setExit(collectionExit(ctx, result.status));
    });
  });

  withConfigFlags(
    program
      .command("forecast")
      .description("capacity and cost for a named event from the config")
      .requiredOption("--event <name>", "an event named under `events:` in the config")
      .option("-o, --out <dir>", "output directory"),
  ).action(async (opts: Opts) => {
    const config = loadConfig({ file: opts.config as string | undefined, overrides: overridesFrom(opts) });
    const event = String(opts.event);
    if (!Object.hasOwn(config.events, event)) {
      const known = Object.keys(config.events);
      throw new UsageError(
        `no event named ${event} in the configuration`,
        known.length
          ? `known events: ${known.join(", ")}`
          : "define it under `events:` (see capacity.example.yaml)",
      );
    }
    throw new UsageError(
      "`capacity forecast` is not implemented yet",
      "it arrives with the forecasting issue; `capacity run` works today",
    );
  });

  return program;
}

/** The one top-level handler. */
export async function main(argv: string[], logger: Logger = createLogger()): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CapacityError) {
      logger.error(error.message, { kind: error.name, ...(error.hint ? { fix: error.hint } : {}) });
      return error.exitCode;
    }
    logger.error(
      `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return EXIT.fatal;
  }
}
