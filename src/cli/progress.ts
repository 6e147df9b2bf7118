/**
 * Progress of long work (Kubernetes resource kinds, pages and objects; Cost Explorer queries, paid
 * requests and pages; Prometheus namespace-days, queries and bytes; the models): bars on a
 * terminal (cli-progress, with an ETA where the total is known), and in the CronJob a JSON `progress` line
 * per task at most every 10 seconds and one when it ends. While bars are drawn, log lines are
 * printed above them, never through them.
 */
import type { Progress } from "../core/context.js";
import type { Logger } from "../core/logger.js";

const EVERY_MS = 10_000;

const mib = (bytes: number | undefined) =>
  bytes === undefined ? "" : ` ${(bytes / 1_048_576).toFixed(1)} MiB`;

/** After the count: what the task counts besides (queries, requests, pages, objects, bytes) so far. */
const counted = (counters: Record<string, number> | undefined) =>
  `${["queries", "requests", "pages", "objects"]
    .filter((name) => counters?.[name] !== undefined)
    .map((name) => `, ${counters![name]} ${name}`)
    .join("")}${mib(counters?.bytes)}`;

/** What a task's count is of, from its name's first word. */
const UNITS: Record<string, string> = {
  prometheus: "namespace-days",
  kubernetes: "kinds",
  "cost-explorer": "queries",
};

/** JSON lines for machines: a line per task every 10 s, and its last count when it ends. */
export function lineProgress(logger: () => Logger, now: () => number = () => performance.now()): Progress {
  const tasks = new Map<
    string,
    { at: number; done: number; total?: number; counters?: Record<string, number> }
  >();
  const line = (task: string) => {
    const t = tasks.get(task);
    if (t) logger().info("progress", { task, done: t.done, total: t.total, ...t.counters });
  };
  return {
    update(task, done, total, counters) {
      const last = tasks.get(task);
      const at = last?.at ?? now();
      tasks.set(task, {
        at,
        done,
        ...(total === undefined ? {} : { total }),
        ...(counters ? { counters } : {}),
      });
      if (!last || now() - at >= EVERY_MS) {
        line(task);
        tasks.get(task)!.at = now();
      }
    },
    end(task) {
      line(task);
      tasks.delete(task);
    },
  };
}

export interface TerminalProgress extends Progress {
  /** Writes a log line above the bars (or straight to stderr when none is drawn). */
  log(line: string): void;
  stop(): void;
}

/** Bars on stderr, for people. cli-progress is loaded on the first update. */
export async function terminalProgress(): Promise<TerminalProgress> {
  const { MultiBar, Presets } = await import("cli-progress");
  let multi: InstanceType<typeof MultiBar> | undefined;
  const bars = new Map<string, ReturnType<InstanceType<typeof MultiBar>["create"]>>();
  const board = () => {
    multi ??= new MultiBar(
      {
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: false,
        format: (_options, params, payload: { task: string; unit: string; extra: string }) => {
          const known = params.total > 0;
          const bar = known
            ? `${Presets.shades_classic.barCompleteChar.repeat(Math.round((params.progress || 0) * 30)).padEnd(30, Presets.shades_classic.barIncompleteChar)} `
            : "";
          const eta = known && params.eta > 0 && Number.isFinite(params.eta) ? ` ETA ${params.eta}s` : "";
          return `${payload.task.padEnd(22)} ${bar}${params.value}${known ? `/${params.total}` : ""} ${payload.unit}${payload.extra}${eta}`;
        },
      },
      Presets.shades_classic,
    );
    return multi;
  };
  return {
    update(task, done, total, counters) {
      let bar = bars.get(task);
      const payload = {
        task,
        unit: UNITS[task.split(" ")[0]!] ?? "",
        extra: counted(counters),
      };
      if (!bar) {
        bar = board().create(total ?? 0, done, payload);
        bars.set(task, bar);
      }
      if (total !== undefined) bar.setTotal(total);
      bar.update(done, payload);
    },
    end(task) {
      bars.get(task)?.stop();
    },
    log(line) {
      if (multi) multi.log(`${line}\n`);
      else process.stderr.write(`${line}\n`);
    },
    stop() {
      multi?.stop();
      multi = undefined;
      bars.clear();
    },
  };
}
