/**
 * The read-only commands: `report` (files, or one document on stdout) and `get <table>` (a table on
 * stdout in kubectl's style). Both read an analyzed run's kept marts and never run the models.
 */
import { type Command, Option } from "commander";
import type { Context } from "../../core/context.js";
import { UsageError } from "../../core/errors.js";
import type { Results, Scope } from "../../services/view.js";
import type { Store } from "../../store/store.js";
import {
  configFrom,
  formatOption,
  GROUP,
  isStdout,
  makeContext,
  type Opts,
  outOption,
  outputOption,
  parseFormats,
  withConfigFlags,
  withScope,
  withStore,
} from "../options.js";
import { type OutputFormat, renderTable } from "../render.js";

const REPORT_OUTPUTS = ["table", "wide", "json", "yaml", "markdown"] as const;
/** Rows per table in `report -o table`; `get <table>` shows them all. */
const TOP = 10;

const runOption = () => new Option("--run <id>", "a run other than the latest analyzed").helpGroup(GROUP.run);

const scopeOf = (ctx: Context): Scope => ({
  namespaces: ctx.config.scope.namespaces,
  clusters: ctx.config.scope.clusters,
  selector: ctx.config.scope.selector,
});

async function results(ctx: Context, store: Store, runId: string | undefined): Promise<Results> {
  const [{ findAnalyzedRun }, { loadResults }] = await Promise.all([
    import("../../services/runs.js"),
    import("../../services/view.js"),
  ]);
  return loadResults(ctx, store, await findAnalyzedRun(store, runId));
}

/** Notes go to stderr: stdout stays the table or document, for a pipe. */
function note(lines: readonly string[]): void {
  for (const line of lines) process.stderr.write(`# ${line}\n`);
}

const write = (text: string) => new Promise<void>((done) => process.stdout.write(text, () => done()));

async function printReport(ctx: Context, r: Results, format: (typeof REPORT_OUTPUTS)[number]): Promise<void> {
  const view = await import("../../services/view.js");
  const scope = scopeOf(ctx);
  if (format === "json" || format === "yaml") {
    const document = view.scopedRecommendations(r, scope);
    if (format === "json") return write(`${JSON.stringify(document, null, 2)}\n`);
    const { stringify } = await import("yaml");
    return write(stringify(document));
  }
  if (format === "markdown") {
    if (view.isScoped(scope))
      throw new UsageError(
        "report -o markdown is the whole cluster's report: it is not filtered by -n, -l or --cluster",
        "drop the scope flags, or print one table: capacity get rightsizing -n NAMESPACE -o markdown",
      );
    return write(await view.renderDocument(r, "md"));
  }
  const scopeNote = view.scopeNote(r, scope);
  note(scopeNote.notes);
  const summary = r.tables.get("summary") ?? [];
  await write(`SUMMARY (whole cluster, run ${r.run.run_id})\n`);
  await write(
    await renderTable({ name: "summary", rows: summary }, format, { runId: r.run.run_id, scope: scopeNote }),
  );
  if (view.isScoped(scope)) {
    const inScope = (view.scopedRecommendations(r, scope).scope as { monthlyCostUsd: number }).monthlyCostUsd;
    await write(
      `\nIN SCOPE ${JSON.stringify(scope)}: ${inScope.toFixed(2)} USD per month (its cost-allocation rows)\n`,
    );
  }
  for (const [name, all] of r.tables) {
    if (name === "summary" || all.length === 0) continue;
    const rows = view.filterRows(all, scope, r.labels);
    const more = rows.length > TOP ? `… ${rows.length - TOP} more: capacity get ${name}\n` : "";
    await write(`\n${name.toUpperCase()} (${rows.length} rows)\n`);
    const shown = { name, rows: rows.slice(0, TOP) };
    await write(`${await renderTable(shown, format, { runId: r.run.run_id, scope: scopeNote })}${more}`);
  }
}

export function readCommands(program: Command, signal: AbortSignal): void {
  withConfigFlags(
    withScope(
      program
        .command("report")
        .description("render the latest analyzed run: files under --out, or one document on stdout with -o")
        .addOption(formatOption())
        .addOption(outOption("folder to write to; - or /dev/stdout prints the one --format given"))
        .addOption(outputOption("print to stdout instead of writing files", REPORT_OUTPUTS))
        .addOption(runOption())
        .addOption(
          new Option(
            "--from-parquet <dir|s3://bucket/prefix>",
            "the organisation roll-up of every cluster's latest run in a `capacity export --parquet` folder",
          ).helpGroup(GROUP.output),
        ),
    ),
  )
    .addHelpText(
      "after",
      "\nExamples:\n  capacity report --out out/\n  capacity report -o json | jq '.summary'\n  capacity report -o table -n payments\n  capacity report --format md --out - > report.md",
    )
    .action(async (opts: Opts) => {
      const formats = parseFormats(String(opts.format));
      const ctx = await makeContext(await configFrom(opts), "report", signal);
      if (typeof opts.fromParquet === "string") {
        const { rollupReport } = await import("../../services/rollup.js");
        await rollupReport(ctx, opts.fromParquet, ctx.config.outputDir);
        return;
      }
      const toStdout = isStdout(opts.out as string | undefined);
      if (toStdout && (formats.length !== 1 || formats[0] === "csv"))
        throw new UsageError(
          `--out ${String(opts.out)} prints one document: give one of --format md, html or json`,
          "a CSV per table: capacity get <table> -o csv",
        );
      const written = await withStore(ctx, async (store) => {
        if (opts.output !== undefined || toStdout) {
          const r = await results(ctx, store, opts.run as string | undefined);
          if (opts.output !== undefined)
            await printReport(ctx, r, opts.output as (typeof REPORT_OUTPUTS)[number]);
          else {
            const { renderDocument } = await import("../../services/view.js");
            await write(await renderDocument(r, formats[0] as "md" | "html" | "json"));
          }
          return undefined;
        }
        const [{ findAnalyzedRun }, { report }] = await Promise.all([
          import("../../services/runs.js"),
          import("../../services/report.js"),
        ]);
        const run = await findAnalyzedRun(store, opts.run as string | undefined);
        return { run, output: await report(ctx, store, run, ctx.config.outputDir, formats) };
      });
      // Files written: delivered as configured (S3, the chat webhook), after the store is closed.
      if (written) {
        const { deliver } = await import("../../services/delivery/index.js");
        await deliver(ctx, written.run, ctx.config.outputDir, written.output);
      }
    });

  withConfigFlags(
    program
      .command("export")
      .description(
        "every kept run's raw tables and marts as Parquet, partitioned by cluster and day (docs/export.md)",
      )
      .requiredOption("--parquet <dir|s3://bucket/prefix>", "where the Parquet files go")
      .addOption(runOption()),
  ).action(async (opts: Opts) => {
    const ctx = await makeContext(await configFrom(opts), "export", signal);
    const { exportParquet } = await import("../../services/export.js");
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
    withScope(
      program
        .command("get")
        .argument(
          "[table]",
          "cost-allocation (costs), rightsizing, spot, fargate, idle, reconciliation, sources, …",
        )
        .description("print one table of the latest analyzed run on stdout; without a name, list the tables")
        .addOption(
          outputOption("table (fits 120 columns), wide, json, yaml, csv or markdown").default("table"),
        )
        .addOption(runOption()),
    ),
  )
    .addHelpText(
      "after",
      "\nExamples:\n  capacity get\n  capacity get rightsizing -n payments\n  capacity get costs -o json | jq '.items[] | select(.monthlyCostUsd > 100)'\n  capacity get rightsizing -l team=checkout -o csv > rightsizing.csv\n  capacity get idle -o wide --cluster prod-use1",
    )
    .action(async (name: string | undefined, opts: Opts) => {
      const ctx = await makeContext(await configFrom(opts), "get", signal);
      const view = await import("../../services/view.js");
      await withStore(ctx, async (store) => {
        const r = await results(ctx, store, opts.run as string | undefined);
        const scope = scopeOf(ctx);
        if (name === undefined) {
          const rows = [...r.tables].map(([table, all]) => ({
            table,
            rows: view.filterRows(all, scope, r.labels).length,
          }));
          const format = opts.output as OutputFormat;
          await write(
            await renderTable({ name: "tables", rows }, format, {
              runId: r.run.run_id,
              scope: view.scopeNote(r, scope),
            }),
          );
          return;
        }
        const table = view.tableNamed(r, name);
        const rows = view.filterRows(table.rows, scope, r.labels);
        const scopeNote = view.scopeNote(r, scope, table.rows);
        const format = opts.output as OutputFormat;
        if (format !== "json" && format !== "yaml") note(scopeNote.notes);
        if (rows.length === 0 && format !== "json" && format !== "yaml") note([`no rows in ${table.name}`]);
        await write(
          await renderTable({ name: table.name, rows }, format, { runId: r.run.run_id, scope: scopeNote }),
        );
      });
    });
}
