/**
 * The options commands share, and turning them into one Config. Config keys stay settable as
 * flags (derived from the schema, STYLE.md 3) but are hidden from each command's help and listed
 * by `capacity config --help`; a command's help shows what it is for, grouped: scope, output,
 * sources. One name per option: `--out DIR` for files, `-o/--output FORMAT` for stdout.
 */
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { configFlags, type FlagSpec, flagValue } from "../config/flags.js";
import { type ExplainedConfig, explainConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { type Context, newRunId } from "../core/context.js";
import { EXIT, type ExitCode, UsageError } from "../core/errors.js";
import { createLogger } from "../core/logger.js";
import { REPORT_FORMATS, type ReportFormat } from "../services/report-formats.js";
import type { ContextsFlag } from "../store/runs.js";
import type { Store } from "../store/store.js";
import { OUTPUT_FORMATS } from "./render.js";

export type Opts = Record<string, unknown>;

/** Config keys with a flag of their own elsewhere: `outputDir` is `--out`. */
const OWN_FLAG: Record<string, string> = { outputDir: "--out" };

export const CONFIG_FLAGS: readonly FlagSpec[] = configFlags().filter((f) => !(f.path in OWN_FLAG));

export const GROUP = {
  scope: "Scope (what to collect and show):",
  output: "Output:",
  sources: "Sources:",
  run: "Run:",
} as const;

const repeatable = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean),
];

/** Config keys a command's help shows (the rest: `capacity config --help`). */
const SHOWN: Record<string, string> = { database: "Run:", "log.level": "Run:", strict: "Run:" };

/** `-c/--config` and every config key as a hidden flag (listed by `capacity config --help`). */
export function withConfigFlags(command: Command): Command {
  command.addOption(
    new Option("-c, --config <file>", "YAML config file (default: capacity.yaml when present)").helpGroup(
      GROUP.run,
    ),
  );
  for (const spec of CONFIG_FLAGS) {
    const option = configOption(spec);
    command.addOption(spec.path in SHOWN ? option.helpGroup(SHOWN[spec.path]!) : option.hideHelp());
  }
  command.addHelpText(
    "after",
    "\nEvery config key is a flag too (--history-days 30) and a CAPACITY_* variable: see `capacity config --help`.",
  );
  return command;
}

export function configOption(spec: FlagSpec): Option {
  // A boolean flag alone means true; `--prometheus.incremental false` turns a file's true off.
  const option = new Option(
    spec.kind === "boolean" ? `${spec.flag} [value]` : `${spec.flag} <value>`,
    spec.description,
  );
  if (spec.choices) option.choices(spec.choices as string[]);
  return option;
}

/** `-n`, `-l`, `--cluster`: what is reported (and, for a live collection, which namespaces' usage is read). */
export function withScope(command: Command, options: { selector?: boolean } = {}): Command {
  const add = (flags: string, text: string, parse?: typeof repeatable) => {
    const option = new Option(flags, text).helpGroup(GROUP.scope);
    command.addOption(parse ? option.argParser(parse) : option);
  };
  add("-n, --namespace <name>", "only this namespace (repeat, or a,b)", repeatable);
  if (options.selector !== false)
    add("-l, --selector <labels>", "only workloads whose labels match, as kubectl: app=web,tier!=cache");
  add(
    "--cluster <name>",
    "only this cluster of the config or a shared database (repeat, or a,b)",
    repeatable,
  );
  return command;
}

/** Where a live collection reads from: kube contexts, kubeconfig, AWS profile and region. */
export function withSources(command: Command): Command {
  const add = (flags: string, text: string, parse?: typeof repeatable) => {
    const option = new Option(flags, text).helpGroup(GROUP.sources);
    command.addOption(parse ? option.argParser(parse) : option);
  };
  add(
    "--context <name>",
    "kube context to collect (repeat for several clusters); default: the current one",
    repeatable,
  );
  add("--all-contexts", "every context of the kubeconfig, each a cluster");
  add("--kubeconfig <file>", "kubeconfig to read; default: KUBECONFIG, then ~/.kube/config");
  add("--profile <name>", "AWS profile for the SDK's credential chain; default: AWS_PROFILE");
  add("--region <code>", "AWS region of the cluster(s) when the context's name does not tell it");
  return command;
}

export function outputOption(description: string, formats: readonly string[] = OUTPUT_FORMATS): Option {
  return new Option("-o, --output <format>", description)
    .choices(formats as string[])
    .helpGroup(GROUP.output);
}

/** `--format`: which report files to write (a run in a CronJob that only ships JSON skips the HTML). */
export function formatOption(): Option {
  return new Option("--format <list>", `files to write, comma-separated: ${REPORT_FORMATS.join(",")}`)
    .default(REPORT_FORMATS.join(","))
    .helpGroup(GROUP.output);
}

export function outOption(
  description = "folder the report files are written to (default: outputDir, out)",
): Option {
  return new Option("--out <dir>", description).helpGroup(GROUP.output);
}

function overridesFrom(opts: Opts): { overrides: Record<string, unknown>; flags: Record<string, string> } {
  const overrides: Record<string, unknown> = {};
  const flags: Record<string, string> = {};
  const set = (path: string, value: unknown, flag: string) => {
    overrides[path] = value;
    flags[path] = flag;
  };
  for (const spec of CONFIG_FLAGS) {
    const key = spec.flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (opts[key] !== undefined) overrides[spec.path] = flagValue(spec, opts[key] as string | boolean);
  }
  if (typeof opts.out === "string") set("outputDir", opts.out, "--out");
  if (Array.isArray(opts.namespace)) set("scope.namespaces", opts.namespace, "-n/--namespace");
  if (typeof opts.selector === "string") set("scope.selector", opts.selector, "-l/--selector");
  if (Array.isArray(opts.cluster)) set("scope.clusters", opts.cluster, "--cluster");
  if (typeof opts.kubeconfig === "string")
    set("kubernetes.kubeconfig", resolve(opts.kubeconfig), "--kubeconfig");
  if (typeof opts.profile === "string") set("aws.profile", opts.profile, "--profile");
  return { overrides, flags };
}

/**
 * The effective configuration: defaults < file < CAPACITY_* < flags. `--context` (and `--region`)
 * become `clusters`: a context the config already lists keeps its entry; another is named after
 * the context (an EKS ARN tells name and region), else `--region` must say the region.
 */
export async function explainFrom(opts: Opts, base?: Record<string, unknown>): Promise<ExplainedConfig> {
  const { overrides, flags } = overridesFrom(opts);
  const load = () =>
    explainConfig({
      file: opts.config as string | undefined,
      overrides,
      overrideFlags: flags,
      ...(base ? { base } : {}),
    });
  let contexts = Array.isArray(opts.context) ? (opts.context as string[]) : [];
  const region = typeof opts.region === "string" ? opts.region : undefined;
  if (contexts.length === 0 && region === undefined && opts.allContexts !== true) return load();
  const first = load();
  if (opts.allContexts === true) {
    if (contexts.length) throw new UsageError("--all-contexts and --context do not go together");
    const { loadKubeConfig } = await import("../collect/kubernetes/client.js");
    contexts = loadKubeConfig({ kubeconfigFile: first.config.kubernetes.kubeconfig })
      .getContexts()
      .map((c) => c.name);
  }
  overrides.clusters = await clustersFor(first.config, contexts, region);
  flags.clusters = contextsFlag(opts) ?? "--region";
  return load();
}

/** The flag that chose the clusters by kube context (`--all-contexts`, `--context`), if one did. */
export function contextsFlag(opts: Opts): ContextsFlag | undefined {
  if (opts.allContexts === true) return "--all-contexts";
  return Array.isArray(opts.context) && opts.context.length ? "--context" : undefined;
}

/** The same without `--context`/`--region` (which may read the kubeconfig): file, variables and flags. */
export function configFromFlags(opts: Opts): Config {
  const { overrides, flags } = overridesFrom(opts);
  return explainConfig({ file: opts.config as string | undefined, overrides, overrideFlags: flags }).config;
}

export async function configFrom(opts: Opts, base?: Record<string, unknown>): Promise<Config> {
  return (await explainFrom(opts, base)).config;
}

async function clustersFor(
  config: Config,
  contexts: readonly string[],
  region: string | undefined,
): Promise<Array<{ name: string; context?: string; region: string }>> {
  if (contexts.length === 0) {
    // --region alone: the configured clusters in that region, else the current context's.
    if (config.clusters.length) return config.clusters.map((c) => ({ ...c, region: region! }));
    const { loadKubeConfig } = await import("../collect/kubernetes/client.js");
    const kc = loadKubeConfig({ kubeconfigFile: config.kubernetes.kubeconfig });
    return clustersFor(config, [kc.getCurrentContext()], region);
  }
  const { describeContext } = await import("../collect/kubernetes/client.js");
  return contexts.map((context) => {
    const known = config.clusters.find((c) => c.context === context);
    if (known) return { ...known, ...(region ? { region } : {}) };
    const described = describeContext(context);
    const where = region ?? described.region;
    if (where === undefined)
      throw new UsageError(
        `--context ${context}: its name does not tell the cluster's AWS region`,
        "pass --region (e.g. --region us-east-1), or list the cluster under clusters: in capacity.yaml",
      );
    return { name: described.name, context, region: where };
  });
}

/**
 * The clock is built here, once: services ask `ctx.clock()` for the current time, never the
 * system. On a terminal, progress bars, with log lines printed above them; else JSON progress lines.
 */
export async function makeContext(config: Config, command: string, signal: AbortSignal): Promise<Context> {
  const clock = (): Date => new Date();
  const options = { level: config.log.level, now: clock };
  if (forPeople(config)) {
    const { terminalProgress } = await import("./progress.js");
    const progress = await terminalProgress();
    const logger = createLogger({
      ...options,
      format: "pretty",
      color: !process.env.NO_COLOR,
      write: (line) => progress.log(line),
    }).child({ command });
    return { config, logger, clock, runId: newRunId(clock()), signal, progress };
  }
  const logger = createLogger({ ...options, format: "json" }).child({ command });
  const { lineProgress } = await import("./progress.js");
  return { config, logger, clock, runId: newRunId(clock()), signal, progress: lineProgress(() => logger) };
}

/** Whether people read stderr (pretty logs): the summary is a table then, a JSON line otherwise. */
export const forPeople = (config: Config): boolean =>
  config.log.format === "pretty" || (config.log.format === "auto" && process.stderr.isTTY === true);

/** Ends the terminal's bars (before a summary is printed, and when the command ends). */
export function stopProgress(ctx: Context): void {
  (ctx.progress as { stop?: () => void } | undefined)?.stop?.();
}

/** `append`: the command adds a run, so the file is read whole first (a damaged file is refused, not appended to). */
export async function withStore<T>(
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
      stopProgress(ctx);
    }
  });
}

/** Exit code of a finished collection: 3 when a source was missing or partial (1 with --strict). */
export function collectionExit(ctx: Context, status: "ok" | "partial"): ExitCode {
  if (status === "ok") return EXIT.ok;
  ctx.logger.warn("finished with sources missing or partial: the report says which");
  return ctx.config.strict ? EXIT.fatal : EXIT.partial;
}

/** `--out -` and `--out /dev/stdout` mean stdout, never a folder of that name. */
export const isStdout = (dir: string | undefined): boolean => dir === "-" || dir === "/dev/stdout";

export function parseFormats(text: string): ReportFormat[] {
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
