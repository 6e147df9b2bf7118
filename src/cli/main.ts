/**
 * The `capacity` command line. Commands parse their arguments, load the configuration and call
 * one service; every error ends in the one handler at the bottom, which maps it to a message and
 * an exit code (0 ok, 1 fatal, 2 usage or config, 3 finished with sources missing, 130/143
 * stopped by SIGINT/SIGTERM).
 *
 * The services, the store and what they bring (DuckDB, vega, the AWS and Kubernetes clients) are
 * imported inside the command that needs them: `--help` and `--version` load none of them.
 */
import { Command, CommanderError } from "commander";
import {
  CapacityError,
  EXIT,
  type ExitCode,
  errorMessage,
  Interrupted,
  type StopSignal,
} from "../core/errors.js";
import { createLogger, type Logger } from "../core/logger.js";
import { TOOL_VERSION } from "../services/version.js";
import { configCommand } from "./commands/config.js";
import { pipelineCommands } from "./commands/pipeline.js";
import { readCommands } from "./commands/read.js";
import { registerForecast } from "./forecast.js";

export function buildProgram(
  setExit: (code: ExitCode) => void,
  signal: AbortSignal = new AbortController().signal,
): Command {
  const program = new Command("capacity")
    .description("Where EKS compute money goes, and how much capacity a coming peak needs.")
    .version(TOOL_VERSION)
    .showHelpAfterError()
    .exitOverride()
    .addHelpText(
      "after",
      `
Examples:
  capacity demo                                   # the whole pipeline on the embedded demo cluster
  capacity run --context prod --prometheus.url http://localhost:9090 --out report/
  capacity get rightsizing -n payments            # one table on stdout (table, wide, json, yaml, csv, markdown)
  capacity report -o json | jq .summary
  capacity config show                            # every setting and where it came from

Exit codes: 0 ok, 1 fatal, 2 bad usage or config, 3 sources missing (the report says which),
130/143 stopped by SIGINT/SIGTERM (the run in progress rolled back).`,
    );

  program.commandsGroup("Build a run:");
  pipelineCommands(program, setExit, signal);
  program.commandsGroup("Read a run:");
  readCommands(program, signal);
  program.commandsGroup("Configure:");
  configCommand(program);
  program.commandsGroup("Plan for a peak:");
  registerForecast(program, signal);

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
