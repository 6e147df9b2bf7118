/**
 * One injected logger (STYLE.md 15), built on pino: JSON lines on stderr when stderr is not a
 * terminal (the CronJob), readable lines on a terminal (warnings and errors coloured unless
 * NO_COLOR is set). Fields are data about the run, never secrets: callers pass counts, names and
 * durations, not configuration values or environment variables. As a second line of defence the
 * logger itself redacts: credentials inside URLs (`https://***@…`) in the message and every
 * field, and the value of any field whose name says it is a secret. On a terminal, control
 * characters from the cluster are shown escaped, and a line break starts an indented
 * continuation, so no value can forge a line of its own.
 */
import { pino } from "pino";
import { escapeControls, redactUrlCredentials } from "./text.js";

export type Level = "debug" | "info" | "warn" | "error";
export type Fields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
  child(fields: Fields): Logger;
}

export interface LoggerOptions {
  level?: Level;
  /** "json" for machines, "pretty" for people; default: json unless the stream is a TTY. */
  format?: "json" | "pretty";
  /** Where each line goes (without its line break); default: stderr. */
  write?: (line: string) => void;
  now?: () => Date;
  /** Colour a pretty line's level; default: when writing to a terminal and NO_COLOR is unset. */
  color?: boolean;
}

export function createLogger(options: LoggerOptions = {}, bound: Fields = {}): Logger {
  const format = options.format ?? (process.stderr.isTTY ? "pretty" : "json");
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const color =
    options.color ?? (options.write === undefined && process.stderr.isTTY === true && !process.env.NO_COLOR);
  const sink = format === "json" ? write : (line: string) => write(prettyLine(line, color));
  const root = pino(
    {
      level: options.level ?? "info",
      base: null,
      messageKey: "msg",
      timestamp: () => `,"time":"${now().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    // pino hands each record to `write` as one JSON line, synchronously.
    { write: (line: string) => sink(line.endsWith("\n") ? line.slice(0, -1) : line) },
  );
  return wrap(Object.keys(bound).length ? root.child(redactFields(bound)) : root);
}

function wrap(p: pino.Logger): Logger {
  const emit =
    (level: Level) =>
    (message: string, fields: Fields = {}): void => {
      if (p.isLevelEnabled(level)) p[level](redactFields(fields), redactUrlCredentials(message));
    };
  return {
    debug: emit("debug"),
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
    child: (fields) => wrap(p.child(redactFields(fields))),
  };
}

/** Field names whose values are never logged. */
const SECRET_FIELD = /pass(word)?|secret|token|authorization|credential|api[-_]?key|cookie/i;

function redactFields(fields: Fields): Fields {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [
      k,
      SECRET_FIELD.test(k) && v !== undefined && v !== null
        ? "[redacted]"
        : typeof v === "string"
          ? redactUrlCredentials(v)
          : v,
    ]),
  );
}

const COLOURS: Record<string, string> = { warn: "\u001b[33m", error: "\u001b[31m", debug: "\u001b[2m" };

/** A JSON line as a person reads it: `WARN message  key=value …` (info has no tag). */
function prettyLine(json: string, color: boolean): string {
  const { time: _time, level, msg, ...fields } = JSON.parse(json) as Record<string, unknown>;
  const extras = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${terminal(String(v))}`)
    .join(" ");
  const name = String(level);
  const tag = name === "info" ? "" : `${name.toUpperCase()} `;
  const shown = color && COLOURS[name] ? `${COLOURS[name]}${tag}\u001b[0m` : tag;
  return `${shown}${terminal(String(msg ?? ""))}${extras ? `  ${extras}` : ""}`;
}

/** One terminal line: controls escaped, each line break followed by an indent (a continuation, never a new line). */
const terminal = (text: string): string =>
  text
    .split("\n")
    .map((line) => escapeControls(line))
    .join("\n    ");

/** A logger that keeps its lines, for tests. */
export function memoryLogger(): Logger & { lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    format: "json",
    level: "debug",
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return Object.assign(logger, { lines });
}
