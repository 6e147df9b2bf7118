/**
 * One injected logger (STYLE.md 15): JSON lines on stderr when stderr is not a terminal (the
 * CronJob), readable lines on a terminal. Fields are data about the run, never secrets: callers
 * pass counts, names and durations, not configuration values or environment variables. As a
 * second line of defence the logger itself redacts: credentials inside URLs (`https://***@…`)
 * in the message and every field, and the value of any field whose name says it is a secret.
 * On a terminal, control characters from the cluster are shown escaped, and a line break starts
 * an indented continuation, so no value can forge a line of its own.
 */
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

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  level?: Level;
  /** "json" for machines, "pretty" for people; default: json unless the stream is a TTY. */
  format?: "json" | "pretty";
  write?: (line: string) => void;
  now?: () => Date;
}

export function createLogger(options: LoggerOptions = {}, bound: Fields = {}): Logger {
  const level = options.level ?? "info";
  const format = options.format ?? (process.stderr.isTTY ? "pretty" : "json");
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());

  const emit = (lvl: Level, raw: string, fields: Fields = {}): void => {
    if (ORDER[lvl] < ORDER[level]) return;
    const message = redactUrlCredentials(raw);
    const all = redactFields({ ...bound, ...fields });
    if (format === "json") {
      write(JSON.stringify({ time: now().toISOString(), level: lvl, msg: message, ...all }));
      return;
    }
    const extras = Object.entries(all)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${terminal(String(v))}`)
      .join(" ");
    const tag = lvl === "info" ? "" : `${lvl.toUpperCase()} `;
    write(`${tag}${terminal(message)}${extras ? `  ${extras}` : ""}`);
  };

  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
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
