/**
 * The error hierarchy. Every error the tool raises on purpose is one of these; the CLI's one
 * top-level handler maps them to a message and an exit code (DESIGN.md "Exit codes").
 */
import { redactUrlCredentials } from "./text.js";

export const EXIT = {
  ok: 0,
  fatal: 1,
  usage: 2,
  partial: 3,
  /** Stopped by SIGINT (Ctrl-C): 128 + 2, the shell's convention. The run in progress was rolled back. */
  interrupted: 130,
  /** Stopped by SIGTERM (a CronJob past its deadline, a pod deleted): 128 + 15. Rolled back too. */
  terminated: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CapacityError extends Error {
  readonly exitCode: ExitCode;
  /** What the user can do about it, printed after the message. */
  readonly hint: string | undefined;
  constructor(message: string, options: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {}) {
    // A URL's credentials never reach a message (and so neither the log nor a stored source error).
    super(redactUrlCredentials(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? EXIT.fatal;
    this.hint = options.hint;
  }
}

/** Bad configuration: the issues are listed as `dot.path: message`. Exit code 2. */
export class ConfigError extends CapacityError {
  readonly issues: readonly string[];
  constructor(message: string, issues: readonly string[] = [], hint?: string) {
    super(issues.length > 0 ? `${message}\n${issues.map((i) => `  - ${i}`).join("\n")}` : message, {
      exitCode: EXIT.usage,
      ...(hint === undefined ? {} : { hint }),
    });
    this.issues = issues;
  }
}

/** Bad command-line usage, or a command that is not implemented yet. Exit code 2. */
export class UsageError extends CapacityError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: EXIT.usage, ...(hint === undefined ? {} : { hint }) });
  }
}

/** A source (Kubernetes, Prometheus, an AWS API, a bundle) that failed. */
export class SourceError extends CapacityError {
  readonly source: string;
  constructor(source: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(`${source}: ${message}`, options);
    this.source = source;
  }
}

/** Input data that breaks the contract: names the object and the field, never a silent zero. */
export class InputError extends CapacityError {
  readonly object: string;
  readonly field: string;
  constructor(object: string, field: string, message: string) {
    super(`${object}: ${field}: ${message}`);
    this.object = object;
    this.field = field;
  }
}

/** A SQL model that failed to plan or run, with its model name and file. */
export class QueryError extends CapacityError {
  readonly model: string;
  readonly file: string;
  constructor(model: string, file: string, message: string, cause?: unknown) {
    super(`model ${model} (${file}): ${message}`, cause === undefined ? {} : { cause });
    this.model = model;
    this.file = file;
  }
}

/**
 * Writing an output (a report file) failed after the run was committed: the run is in the
 * database and `capacity report` can write the files again. Exit code 1.
 */
export class OutputError extends CapacityError {
  readonly file: string;
  constructor(runId: string, file: string, cause: unknown) {
    super(`the run is saved (run ${runId}); writing ${file} failed: ${errorMessage(cause)}`, {
      hint: `fix the output folder (space, permissions), then \`capacity report --run ${runId}\` writes the files again`,
      cause,
    });
    this.file = file;
  }
}

/** A deliberate exit with a code, e.g. 3 when some sources were missing. */
export class ExitError extends CapacityError {
  constructor(code: ExitCode, message: string) {
    super(message, { exitCode: code });
  }
}

export type StopSignal = "SIGINT" | "SIGTERM";

/**
 * The reason `ctx.signal` is aborted with when the process is asked to stop. Deliberately not a
 * CapacityError: the handlers that turn a failed source into a `missing` outcome must let it
 * through, so the run stops and its transaction rolls back instead of committing without it.
 */
export class Interrupted extends Error {
  readonly signal: StopSignal;
  readonly exitCode: ExitCode;
  constructor(signal: StopSignal) {
    super(`stopped by ${signal}`);
    this.name = "Interrupted";
    this.signal = signal;
    this.exitCode = signal === "SIGINT" ? EXIT.interrupted : EXIT.terminated;
  }
}

/** An error's message, any URL credentials in it redacted (a library's error may quote the URL it called). */
export function errorMessage(error: unknown): string {
  return redactUrlCredentials(error instanceof Error ? error.message : String(error));
}
