/** The commands that build a run: `demo`, `collect`, `analyze`, `run`. */
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { Option } from "commander";
import type { Context } from "../../core/context.js";
import { type ExitCode, UsageError } from "../../core/errors.js";
import { projectPath } from "../../core/paths.js";
import type { ReportFormat } from "../../services/report-formats.js";
import type { ContextsFlag } from "../../store/runs.js";
import {
  collectionExit,
  configFrom,
  contextsFlag,
  formatOption,
  forPeople,
  GROUP,
  isStdout,
  makeContext,
  type Opts,
  outOption,
  parseFormats,
  withConfigFlags,
  withScope,
  withSources,
  withStore,
} from "../options.js";
import { printSummary, summarize } from "../summary.js";

type SetExit = (code: ExitCode) => void;

const fromOption = () =>
  new Option("--from <dir>", "replay a recorded bundle instead of reaching live sources").helpGroup(
    GROUP.sources,
  );

function refuseStdout(opts: Opts, command: string): void {
  if (isStdout(opts.out as string | undefined))
    throw new UsageError(
      `${command} writes several files: --out ${String(opts.out)} cannot hold them`,
      "give --out a folder, and print one part with `capacity report -o json` (or `capacity get <table> -o …`)",
    );
}

/** A scope on a command that writes report files: the files cover the whole cluster, and it is said. */
function warnScopedFiles(ctx: Context): void {
  const s = ctx.config.scope;
  if (s.namespaces.length || s.selector)
    ctx.logger.warn(
      "the report files cover the whole cluster: -n and -l filter `capacity get` and `report -o`",
      {
        namespaces: s.namespaces.join(",") || undefined,
        selector: s.selector,
      },
    );
}

async function pipeline(
  ctx: Context,
  options: {
    from: string | undefined;
    command: string;
    started: number;
    contextsFlag?: ContextsFlag | undefined;
    formats?: readonly ReportFormat[] | undefined;
  },
  setExit: SetExit,
): Promise<void> {
  const [{ collect }, { analyze }, { report }] = await Promise.all([
    import("../../services/collect.js"),
    import("../../services/analyze.js"),
    import("../../services/report.js"),
  ]);
  warnScopedFiles(ctx);
  const done = await withStore(
    ctx,
    async (store) => {
      const result = await collect(ctx, store, {
        from: options.from,
        command: options.command,
        contextsFlag: options.contextsFlag,
      });
      const run = await analyze(ctx, store, result.runId);
      const output = await report(ctx, store, run, ctx.config.outputDir, options.formats);
      const { files, model } = output;
      const code = collectionExit(ctx, result.status);
      ctx.logger.info(`${options.command} finished`, {
        seconds: Math.round((performance.now() - options.started) / 100) / 10,
      });
      await printSummary(
        ctx,
        summarize(result, model, [...files, ctx.config.database], code),
        forPeople(ctx.config),
      );
      setExit(code);
      return { run, output };
    },
    { append: options.command !== "demo" },
  );
  // After the history is closed (and pushed to S3 when kept there): a failed delivery never costs
  // the run. The demo delivers nothing (it reaches no network).
  if (options.command !== "demo") {
    const { deliver } = await import("../../services/delivery/index.js");
    await deliver(ctx, done.run, ctx.config.outputDir, done.output);
  }
}

export function pipelineCommands(program: Command, setExit: SetExit, signal: AbortSignal): void {
  // The demo replays a bundle whole and writes whole-cluster files: scope it with `capacity get -n …`.
  withConfigFlags(
    program
      .command("demo")
      .description("the whole pipeline on the embedded demo cluster (data/demo), no network")
      .addOption(outOption("output folder").default("out")),
  )
    .addHelpText(
      "after",
      "\nExamples:\n  capacity demo\n  capacity demo --out /tmp/demo && capacity get rightsizing --database /tmp/demo/capacity.duckdb",
    )
    .action(async (opts: Opts) => {
      refuseStdout(opts, "demo");
      const out = String(opts.out);
      // The demo's pods carry a `team` label: roll costs up by it, as a reviewer would.
      const config = await configFrom(opts, {
        database: join(out, "capacity.duckdb"),
        outputDir: out,
        allocation: { labelKeys: ["team"] },
      });
      const ctx = await makeContext(config, "demo", signal);
      rmSync(resolve(config.database), { force: true });
      rmSync(`${resolve(config.database)}.wal`, { force: true });
      await pipeline(
        ctx,
        { from: projectPath("data", "demo"), command: "demo", started: performance.now() },
        setExit,
      );
    });

  withConfigFlags(
    withSources(
      withScope(
        program
          .command("collect")
          .description("pull every configured source into the DuckDB file as one run")
          .addOption(fromOption())
          .addOption(
            new Option(
              "--record <dir>",
              "also write what was fetched as a bundle, to analyse offline with --from",
            ).helpGroup(GROUP.sources),
          ),
        // A selector filters what is shown: collection and the report files are by namespace only.
        { selector: false },
      ),
    ),
  )
    .addHelpText(
      "after",
      "\nExamples:\n  capacity collect --context prod-use1 --region us-east-1 --prometheus.url http://localhost:9090\n  capacity collect -n shop -n payments        # usage of two namespaces only (inventory stays whole)\n  capacity collect --record bundle/ && capacity collect --from bundle/",
    )
    .action(async (opts: Opts) => {
      const ctx = await makeContext(await configFrom(opts), "collect", signal);
      const { collect } = await import("../../services/collect.js");
      await withStore(
        ctx,
        async (store) => {
          const result = await collect(ctx, store, {
            from: opts.from as string | undefined,
            record: opts.record as string | undefined,
            command: "collect",
            contextsFlag: contextsFlag(opts),
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
      .addOption(new Option("--run <id>", "a run other than the latest").helpGroup(GROUP.run)),
  )
    .addHelpText("after", "\nExamples:\n  capacity analyze\n  capacity analyze --run 20261129T060000Z-3f9a")
    .action(async (opts: Opts) => {
      const ctx = await makeContext(await configFrom(opts), "analyze", signal);
      const { analyze } = await import("../../services/analyze.js");
      await withStore(ctx, (store) => analyze(ctx, store, opts.run as string | undefined));
    });

  withConfigFlags(
    withSources(
      withScope(
        program
          .command("run")
          .description("collect + analyze + report, then a summary: what the CronJob calls")
          .addOption(fromOption())
          .addOption(outOption())
          .addOption(formatOption()),
        { selector: false },
      ),
    ),
  )
    .addHelpText(
      "after",
      "\nExamples:\n  capacity run --context prod-use1 --prometheus.url http://localhost:9090 --out report/\n  capacity run --from bundle/ --out report/\n  capacity run -c capacity.yaml             # the CronJob",
    )
    .action(async (opts: Opts) => {
      refuseStdout(opts, "run");
      const ctx = await makeContext(await configFrom(opts), "run", signal);
      await pipeline(
        ctx,
        {
          from: opts.from as string | undefined,
          command: "run",
          started: performance.now(),
          contextsFlag: contextsFlag(opts),
          formats: parseFormats(String(opts.format)),
        },
        setExit,
      );
    });
}
