/**
 * Loads the configuration once: built-in defaults < YAML file < CAPACITY_* environment < flags.
 * The result is validated by the zod schema and deeply frozen; every error is listed as
 * `dot.path: message` with exit code 2.
 */
import { existsSync, readFileSync } from "node:fs";
import { parse as parseYaml, YAMLParseError } from "yaml";
import type { z } from "zod";
import { ConfigError } from "../core/errors.js";
import { type Config, configSchema } from "./schema.js";

export type Overrides = Record<string, unknown>;

export interface LoadOptions {
  /** `--config F`; when absent, `capacity.yaml` is used if it exists. */
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Dotted paths to values, from flags (`{"prometheus.url": "http://…"}`). */
  overrides?: Overrides;
  /** Values a command supplies under everything else (the demo's cluster and paths). */
  base?: Record<string, unknown>;
  /** How a user typed an override, when not as its flag (`{ outputDir: "--out" }`). */
  overrideFlags?: Record<string, string>;
}

/** Where each key's value came from (`--prometheus.url`, `CAPACITY_HISTORY_DAYS`, a file): errors name it. */
type Origins = Map<string, string>;

export const DEFAULT_CONFIG_FILE = "capacity.yaml";
const ENV_PREFIX = "CAPACITY_";

export function loadConfig(options: LoadOptions = {}): Config {
  return explainConfig(options).config;
}

/** The configuration and where each key set by hand came from (file, variable or flag): `capacity config show`. */
export interface ExplainedConfig {
  config: Config;
  /** The config file read, if any. */
  file: string | undefined;
  /** Dotted key → where its value came from; keys absent here are defaults (or the command's own). */
  origins: ReadonlyMap<string, string>;
}

export function explainConfig(options: LoadOptions = {}): ExplainedConfig {
  const env = options.env ?? process.env;
  const file =
    options.file ??
    env.CAPACITY_CONFIG ??
    (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  const fromFile =
    file === undefined
      ? {}
      : readConfigFile(file, options.file !== undefined || env.CAPACITY_CONFIG !== undefined);
  const merged = structuredClone(options.base ?? {});
  const origins: Origins = new Map();
  deepMerge(merged, fromFile);
  if (file !== undefined) for (const path of leafPaths(fromFile)) origins.set(path, file);
  for (const [path, value, variable] of envOverrides(env)) {
    setPath(merged, path, value);
    origins.set(path.join("."), variable);
  }
  for (const [path, value] of Object.entries(options.overrides ?? {})) {
    if (value === undefined) continue;
    setPath(merged, path.split("."), value);
    origins.set(path, options.overrideFlags?.[path] ?? flagOf(path));
  }
  return { config: validate(merged, file ?? "built-in defaults", origins), file, origins };
}

const flagOf = (path: string): string =>
  `--${path
    .split(".")
    .map((p) => p.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))
    .join(".")}`;

/**
 * Validates the merged configuration. Each issue is `dot.path: message`, followed by the flag or
 * variable that set the key when it was not the file: a wrong value is fixed where it was typed.
 */
export function validate(raw: unknown, origin: string, origins: Origins = new Map()): Config {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const from = result.error.issues.map((issue) => originOf(issue, origins));
    const where = [...new Set(from.map((o) => o ?? origin))];
    throw new ConfigError(
      `invalid configuration (${where.join(", ")}):`,
      formatIssues(result.error.issues).map((text, i) =>
        from[i] === undefined || from[i] === origin ? text : `${text} (set by ${from[i]})`,
      ),
      "fix the keys listed; capacity.example.yaml documents every key",
    );
  }
  return deepFreeze(result.data);
}

/** The origin of the key an issue is about: the key itself, else the nearest enclosing key that was set. */
function originOf(issue: z.core.$ZodIssue, origins: Origins): string | undefined {
  const path = issue.path.map(String);
  const keys = issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...path, k]) : [path];
  for (const key of keys) {
    for (let n = key.length; n > 0; n--) {
      const found = origins.get(key.slice(0, n).join("."));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function leafPaths(value: unknown, prefix: string[] = []): string[] {
  if (!isPlainObject(value)) return prefix.length ? [prefix.join(".")] : [];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join(".") || "(root)";
    const keys = issue.code === "unrecognized_keys" ? `: ${issue.keys.join(", ")}` : "";
    return `${path}: ${issue.message}${keys}`;
  });
}

function readConfigFile(file: string, explicit: boolean): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (!explicit) return {};
    throw new ConfigError(
      `cannot read the config file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  try {
    const parsed: unknown = parseYaml(text);
    if (parsed === null || parsed === undefined) return {};
    if (typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new ConfigError(`${file}: the top level must be a mapping of keys`);
    }
    return parsed as Record<string, unknown>;
  } catch (error) {
    if (error instanceof YAMLParseError) {
      // The parser's message starts with a sentence and ends with a snippet; line and column lead.
      const where = error.linePos?.[0];
      const sentence = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
      throw new ConfigError(
        `${file}${where ? `:${where.line}:${where.col}` : ""}: not valid YAML: ${sentence} (${error.code})`,
      );
    }
    throw error;
  }
}

/**
 * `CAPACITY_HISTORY_DAYS=30` → historyDays; `CAPACITY_PROMETHEUS__URL` → prometheus.url
 * (a double underscore separates levels). Values are read as YAML scalars, so numbers and
 * booleans keep their type. Unknown names are reported by the schema like any other key.
 */
export function envOverrides(env: NodeJS.ProcessEnv): Array<[string[], unknown, string]> {
  const out: Array<[string[], unknown, string]> = [];
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || value === undefined || name === "CAPACITY_CONFIG") continue;
    const path = name
      .slice(ENV_PREFIX.length)
      .split("__")
      .map((part) => part.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()));
    out.push([path, parseScalar(value), name]);
  }
  return out;
}

function parseScalar(value: string): unknown {
  try {
    return parseYaml(value) ?? value;
  } catch {
    return value;
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== "object" || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const current = target[key];
    if (isPlainObject(value) && isPlainObject(current)) deepMerge(current, value);
    else target[key] = value;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
