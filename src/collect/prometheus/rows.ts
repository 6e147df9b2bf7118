/**
 * The facts of each span (the pod's node, requests, restarts, OOM kills, throttling) from what
 * Prometheus answered, as the rows the store joins to the hourly usage. Pure functions.
 */
import { checkCpuCores, checkMemoryBytes, LimitError } from "../../core/limits.js";
import type { RowProblem } from "../source.js";
import type { Series } from "./client.js";
import { type Owners, resolveOwner } from "./map.js";
import type { Fact } from "./queries.js";

/** One container's facts over a span; duplicate series (two scrape jobs) give their highest. */
export interface ContainerFacts {
  /** Every request value seen in the span, per resource: more than one means it changed. */
  cpuRequests: Set<number>;
  memoryRequests: Set<number>;
  restarts?: number;
  oom: boolean;
  throttledPeriods?: number;
  periods?: number;
}

/** What one span (a day, or an hour) says of each pod and container. */
export interface SpanFacts {
  /** The nodes each pod was seen on. */
  nodes: Map<string, Set<string>>;
  /** Per `pod \0 container`. */
  containers: Map<string, ContainerFacts>;
  /** Request values no container can have (negative, not finite, beyond core/limits): left out, listed. */
  rejected: RowProblem[];
}

const key = (pod: string, container: string) => `${pod}\u0000${container}`;
const higher = (a: number | undefined, b: number) => (a === undefined || b > a ? b : a);

/** Reads the answer of a facts query into the facts of each span, keyed by the span's end (unix seconds). */
export function readFacts(series: readonly Series[]): Map<number, SpanFacts> {
  const spans = new Map<number, SpanFacts>();
  const span = (t: number) => {
    let s = spans.get(t);
    if (!s) {
      s = { nodes: new Map(), containers: new Map(), rejected: [] };
      spans.set(t, s);
    }
    return s;
  };
  for (const s of series) {
    const fact = s.labels.capacity_fact as Fact | undefined;
    const pod = s.labels.pod;
    if (!fact || !pod) continue;
    for (const [t, value] of s.values) {
      const facts = span(t);
      if (fact === "node") {
        const node = s.labels.node;
        if (!node) continue;
        const nodes = facts.nodes.get(pod) ?? new Set<string>();
        facts.nodes.set(pod, nodes.add(node));
        continue;
      }
      const container = s.labels.container;
      if (!container) continue;
      const k = key(pod, container);
      let c = facts.containers.get(k);
      if (!c) {
        c = { cpuRequests: new Set(), memoryRequests: new Set(), oom: false };
        facts.containers.set(k, c);
      }
      switch (fact) {
        case "cpu_request_max":
        case "cpu_request_min":
        case "memory_request_max":
        case "memory_request_min": {
          const where = { object: `container ${s.labels.namespace ?? "?"}/${pod}/${container}`, field: fact };
          try {
            if (fact.startsWith("cpu")) c.cpuRequests.add(checkCpuCores(value, where));
            else c.memoryRequests.add(checkMemoryBytes(value, where));
          } catch (error) {
            if (!(error instanceof LimitError)) throw error;
            facts.rejected.push({
              object: where.object,
              field: fact,
              value: String(value),
              rule: error.rule,
              message: error.message,
            });
          }
          break;
        }
        case "restarts":
          c.restarts = higher(c.restarts, value);
          break;
        case "oom":
          c.oom ||= value > 0;
          break;
        case "throttled_periods":
          c.throttledPeriods = higher(c.throttledPeriods, value);
          break;
        case "periods":
          c.periods = higher(c.periods, value);
          break;
      }
    }
  }
  return spans;
}

/**
 * The pods whose day the daily facts cannot stand for hour by hour: seen on two nodes (a
 * StatefulSet pod recreated elsewhere), a request that changed (in-place resize, or a recreated
 * pod of the same name), a restart, or throttled periods. Their hours get the hourly facts.
 */
export function podsNeedingHours(day: SpanFacts | undefined): Set<string> {
  const pods = new Set<string>();
  if (!day) return pods;
  for (const [pod, nodes] of day.nodes) if (nodes.size > 1) pods.add(pod);
  for (const [k, c] of day.containers) {
    if (
      c.cpuRequests.size > 1 ||
      c.memoryRequests.size > 1 ||
      (c.restarts ?? 0) > 0 ||
      (c.throttledPeriods ?? 0) > 0
    ) {
      pods.add(k.slice(0, k.indexOf("\u0000")));
    }
  }
  return pods;
}

const highest = (values: Set<number>) => (values.size ? Math.max(...values) : undefined);

/**
 * What the store joins to each hour of usage (queries/store/load_prom_usage.sql): a pod's node, or
 * (with `container`) a container's facts; for a whole day (`hour_end` null), or for one hour.
 */
export interface FactRow {
  namespace: string;
  pod: string;
  container: string | null;
  day_end: number;
  hour_end: number | null;
  node?: string;
  cpu_request_cores?: number | null;
  memory_request_bytes?: number | null;
  cpu_throttled_ratio?: number | null;
  restarts?: number;
  oom_kills?: number;
}

/** Each pod's workload, from kube-state-metrics' owners, else from its name. */
export function podRows(
  namespace: string,
  pods: Iterable<string>,
  owners: Owners,
): Array<{ namespace: string; pod: string; workload_kind: string; workload_name: string }> {
  return [...pods].map((pod) => {
    const w = resolveOwner(namespace, pod, owners);
    return { namespace, pod, workload_kind: w.kind, workload_name: w.name };
  });
}

/**
 * The facts of one scope and day: the day's, except for the pods whose day changed, which get
 * each hour's (the hourly facts were asked for those pods only).
 */
export function factRows(
  namespace: string,
  facts: { day: SpanFacts | undefined; hours: Map<number, SpanFacts> | undefined; hourly: Set<string> },
  dayEnd: number,
): FactRow[] {
  const rows: FactRow[] = [];
  const add = (span: SpanFacts, hourEnd: number | null, keep: (pod: string) => boolean) => {
    for (const [pod, nodes] of span.nodes) {
      // Two nodes within one span cannot be told apart here; the last by name is kept.
      if (keep(pod))
        rows.push({
          namespace,
          pod,
          container: null,
          day_end: dayEnd,
          hour_end: hourEnd,
          node: [...nodes].sort().at(-1)!,
        });
    }
    for (const [k, c] of span.containers) {
      const cut = k.indexOf("\u0000");
      const pod = k.slice(0, cut);
      if (!keep(pod)) continue;
      const restarts = Math.round(c.restarts ?? 0);
      rows.push({
        namespace,
        pod,
        container: k.slice(cut + 1),
        day_end: dayEnd,
        hour_end: hourEnd,
        cpu_request_cores: highest(c.cpuRequests) ?? null,
        memory_request_bytes: highest(c.memoryRequests) ?? null,
        cpu_throttled_ratio:
          c.periods !== undefined && c.periods > 0 && c.throttledPeriods !== undefined
            ? c.throttledPeriods / c.periods
            : null,
        restarts,
        // Restarts in the span of a container whose last termination was an OOM kill.
        oom_kills: c.oom && restarts > 0 ? restarts : 0,
      });
    }
  };
  if (facts.day) add(facts.day, null, (pod) => !facts.hourly.has(pod));
  for (const [hourEnd, span] of facts.hours ?? []) add(span, hourEnd, (pod) => facts.hourly.has(pod));
  return rows;
}
