/**
 * `capacity config`: every config key as a flag, grouped by section (`capacity config --help`);
 * `config show` prints the effective configuration with where each value came from (the file, a
 * CAPACITY_* variable, a flag, or the default) and secrets redacted; `config validate` checks the
 * file, the variables and the flags without touching anything else.
 */
import { type Command, Option } from "commander";
import {
  CONFIG_FLAGS,
  configOption,
  explainFrom,
  GROUP,
  type Opts,
  withConfigFlags,
  withScope,
  withSources,
} from "../options.js";

/** Keys whose values are never printed: header values (an Authorization header) and anything named like a secret. */
const SECRET_KEY = /pass(word)?$|secret|token$|authorization|credential|api[-_]?key|cookie/i;

function redact(value: unknown, path: string[] = []): unknown {
  if (Array.isArray(value)) return value.map((v) => redact(v, path));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        const inHeaders = path.at(-1) === "headers";
        return [k, inHeaders || SECRET_KEY.test(k) ? "[redacted]" : redact(v, [...path, k])];
      }),
    );
  return value;
}

function leaves(value: unknown, path: string[] = []): string[][] {
  if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length)
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return path.length ? [path] : [];
}

/** Where a key's value came from: the nearest key set by hand (a file sets `clusters` whole), else the default. */
function originOf(path: string[], origins: ReadonlyMap<string, string>): string {
  for (let n = path.length; n > 0; n--) {
    const found = origins.get(path.slice(0, n).join("."));
    if (found !== undefined) return found;
  }
  return "default";
}

const write = (text: string) => new Promise<void>((done) => process.stdout.write(text, () => done()));

export function configCommand(program: Command): void {
  const config = program
    .command("config")
    .description("show or check the effective configuration; every key below is also a flag of every command")
    .addHelpText(
      "after",
      "\nEvery key is also a CAPACITY_* variable (CAPACITY_HISTORY_DAYS=30; a double underscore separates levels:\nCAPACITY_PROMETHEUS__URL). Flags win over variables, which win over the file. capacity.example.yaml documents each.\n\nExamples:\n  capacity config show\n  capacity config show -o json --history-days 30\n  capacity config validate -c capacity.yaml",
    );
  for (const spec of CONFIG_FLAGS) {
    const top = spec.path.includes(".") ? spec.path.split(".")[0]! : "general";
    config.addOption(configOption(spec).helpGroup(`Config keys: ${top}`));
  }

  withConfigFlags(withSources(withScope(config.command("show"))))
    .description(
      "print the effective configuration, each value with its origin (file, variable, flag, default)",
    )
    .addOption(
      new Option("-o, --output <format>", "yaml (with origins as comments) or json")
        .choices(["yaml", "json"])
        .default("yaml")
        .helpGroup(GROUP.output),
    )
    .action(async (_: Opts, command: Command) => {
      // Config keys typed after `show` are the parent's options (listed by `capacity config --help`).
      const opts = command.optsWithGlobals<Opts>();
      const explained = await explainFrom(opts);
      const shown = redact(explained.config) as Record<string, unknown>;
      const origins = Object.fromEntries(
        leaves(shown).map((path) => [path.join("."), originOf(path, explained.origins)]),
      );
      if (opts.output === "json") {
        await write(`${JSON.stringify({ file: explained.file ?? null, config: shown, origins }, null, 2)}\n`);
        return;
      }
      const { Document, isNode } = await import("yaml");
      const doc = new Document(shown);
      for (const path of leaves(shown)) {
        const node = doc.getIn(path, true);
        if (isNode(node)) node.comment = ` ${origins[path.join(".")]}`;
      }
      doc.commentBefore = ` effective configuration (file: ${explained.file ?? "none"}); secrets shown as [redacted]`;
      await write(doc.toString());
    });

  withConfigFlags(withSources(withScope(config.command("validate"))))
    .description(
      "check the config file, CAPACITY_* variables and flags; exit 0 when valid, 2 listing every problem",
    )
    .action(async (_: Opts, command: Command) => {
      // Config keys typed after `show` are the parent's options (listed by `capacity config --help`).
      const opts = command.optsWithGlobals<Opts>();
      const explained = await explainFrom(opts);
      const set = [...explained.origins.keys()].length;
      process.stderr.write(
        `valid: ${explained.file ?? "no config file"}; ${set} key${set === 1 ? "" : "s"} set by file, variables or flags, the rest default\n`,
      );
    });
}
