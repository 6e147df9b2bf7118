/**
 * `capacity forecast --event NAME [--uplift X] [--start T] [--end T] [--run ID] [--cluster NAME] [-o DIR]`:
 * the capacity and cost a named event needs, and the plan to pre-scale for it. Parses its
 * arguments, loads the config and calls the forecast service; main.ts registers it in one line.
 */
import type { Command } from "commander";
import { resolveEvent } from "../forecast/event.js";
import { configFrom, makeContext, type Opts, outOption, withConfigFlags, withStore } from "./options.js";

const text = (v: unknown) => (typeof v === "string" ? v : undefined);

export function registerForecast(program: Command, signal: AbortSignal): void {
  withConfigFlags(
    program
      .command("forecast")
      .description("capacity, cost and a pre-scale plan for a named event from the config")
      .requiredOption("--event <name>", "an event named under `events:` in the config")
      .option(
        "--uplift <factor>",
        "expected demand ÷ normal demand, instead of the config's or a measured one",
      )
      .option("--start <time>", "the window's start: UTC (2026-11-27T06:00Z) or with its zone (+01:00)")
      .option("--end <time>", "the window's end")
      .option("--run <id>", "forecast from a run other than the latest")
      .option("--cluster <name>", "the cluster, when the run holds several")
      .addOption(
        outOption("folder forecast.json, its report and the plan's YAML go to (default: outputDir)"),
      ),
  ).action(async (opts: Opts) => {
    const ctx = await makeContext(await configFrom(opts), "forecast", signal);
    const flags = { uplift: text(opts.uplift), start: text(opts.start), end: text(opts.end) };
    // An unknown event or a bad time is refused before the database is opened.
    resolveEvent(ctx.config.events, String(opts.event), flags);
    const { forecast } = await import("../services/forecast.js");
    await withStore(ctx, async (store) => {
      const out = await forecast(
        ctx,
        store,
        {
          event: String(opts.event),
          ...flags,
          runId: text(opts.run),
          cluster: text(opts.cluster),
        },
        ctx.config.outputDir,
      );
      process.stdout.write(`${out.summary.join("\n")}\n`);
    });
  });
}
