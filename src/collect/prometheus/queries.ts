/**
 * PromQL, the one templated text (STYLE.md 8): every metric the collector asks for is defined
 * here, and every label value reaches a query through `matcher()` and its one escaping helper,
 * `quote()` (values matched with `=~` are regex-escaped by `anyOf()` first).
 *
 * What Prometheus spends its time on decides the shape (measured on Prometheus 2.42, see the
 * README): a range query costs per series and per step, and an aggregation (`max by`), a
 * `label_replace` or an `or` in it costs more than the functions around it, at every step. So
 * the hourly usage is six plain range functions, each its own query, one series per container
 * and scrape job; the collector collapses duplicate scrape jobs itself (the maximum, as
 * `max by (namespace, pod, container)` would). What changes rarely (the pod's node, requests,
 * restarts, throttling) is read per day, 14 steps for the whole window, and per hour only for
 * the pods whose day says it changed.
 */
import { SourceError } from "../../core/errors.js";

/**
 * A PromQL string literal for a label value, the one escaping helper: backslashes, quotes and
 * control characters (a raw line break ends a PromQL string) escaped as Go escapes them.
 */
function quote(value: string): string {
  let out = "";
  for (const c of value) {
    const code = c.charCodeAt(0);
    if (c === "\\" || c === '"') out += `\\${c}`;
    else if (c === "\n") out += "\\n";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += c;
  }
  return `"${out}"`;
}

/** A regular expression matching exactly these values (RE2 metacharacters escaped), for `=~`. */
function anyOf(values: readonly string[]): string {
  return values.map((v) => v.replace(/[\\.^$|?*+()[\]{}]/g, "\\$&")).join("|");
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** One matcher: a label name (checked, names cannot be quoted) and its value through `quote`. */
function matcher(name: string, op: "=" | "!=" | "=~", value: string): string {
  if (!LABEL_NAME.test(name))
    throw new SourceError("prometheus", `${JSON.stringify(name)} is not a label name`);
  return `${name}${op}${quote(value)}`;
}

export interface Scope {
  /** Label that tells clusters apart on a shared Prometheus, and this cluster's value. */
  clusterLabel?: { name: string; value: string } | undefined;
  /** One namespace; absent: every namespace (`namespace!=""`). */
  namespace?: string | undefined;
  /** Only these pods (a batch inside a large namespace). */
  pods?: readonly string[] | undefined;
}

/** A label selector body for the scope, plus extra matchers (built with `matcher`). */
export function selector(scope: Scope, extra: string[] = []): string {
  const matchers: string[] = [];
  if (scope.clusterLabel) matchers.push(matcher(scope.clusterLabel.name, "=", scope.clusterLabel.value));
  matchers.push(matcher("namespace", scope.namespace === undefined ? "!=" : "=", scope.namespace ?? ""));
  if (scope.pods && scope.pods.length > 0) matchers.push(matcher("pod", "=~", anyOf(scope.pods)));
  return `{${[...matchers, ...extra].join(",")}}`;
}

/** The series whose names the startup check looks for, on this cluster. */
export const requiredMetricsSelector = (clusterLabel: Scope["clusterLabel"]) =>
  `{${[
    matcher("__name__", "=~", anyOf(REQUIRED_METRICS.map((m) => m.metric))),
    ...(clusterLabel ? [matcher(clusterLabel.name, "=", clusterLabel.value)] : []),
  ].join(",")}}`;

/** The series whose `namespace` values are the namespaces to read. */
export const namespacesSelector = (clusterLabel: Scope["clusterLabel"]) =>
  `container_memory_working_set_bytes${selector({ clusterLabel })}`;

/** The series whose `pod` values are the pods of a namespace that used memory or CPU. */
export const podSelectors = (scope: Scope) => ({
  memory: `container_memory_working_set_bytes${selector(scope)}`,
  cpu: `container_cpu_usage_seconds_total${selector(scope)}`,
});

const CONTAINERS = [matcher("container", "!=", ""), matcher("container", "!=", "POD")];

/**
 * A span (T-span, T]. Prometheus 2.x includes both ends of a range or subquery (so `[1h:5m]`
 * would hold 13 points and `[1h]` the sample at T-1h that belongs to the hour before); 3.x
 * excludes the start. One second less holds the same points on both: for an hour, 12 five-minute
 * steps and every raw sample after T-1h.
 */
const spanRange = (seconds: number) => {
  const s = seconds - 1;
  const [h, m, r] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${r ? `${r}s` : ""}` || "0s";
};
const HOUR_RANGE = spanRange(3600);

/** `60` → `1m`, `40` → `40s`, `7200` → `2h`: a PromQL duration of whole seconds. */
export function duration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/**
 * The CPU rate window for a scrape interval: 4 intervals (1m at 15 s, 2m at 30 s), the fewest
 * that keep a rate when a scrape is missed, and no more, so that the hourly peak and p95 are
 * taken at the data's own resolution: a 5-minute rate smooths away bursts shorter than five
 * minutes, and a request sized from smoothed usage throttles the bursts it hid.
 */
export function rateWindowFor(scrapeIntervalSeconds: number): string {
  return duration(4 * Math.max(1, Math.round(scrapeIntervalSeconds)));
}

/**
 * Samples per hour of the containers' CPU counters, their median across containers, over the
 * hour before the instant it is evaluated at: 3600 ÷ it is the scrape interval.
 */
export const samplesPerHourQuery = (clusterLabel: Scope["clusterLabel"]) =>
  `quantile(0.5, count_over_time(${cpu({ clusterLabel })}[${HOUR_RANGE}]))`;

interface UsageQuery {
  /** The prom_usage_hourly column the answer fills. */
  column: string;
  promql: (scope: Scope, rateWindow: string) => string;
  /** The same from the recording rule's series (of that rate window), where it has been recording. */
  recorded?: (scope: Scope, rateWindow: string) => string;
}

/**
 * The series our recording rule (deploy/prometheus/capacity-rules.yaml) keeps: each container's
 * CPU rate over the window, evaluated by Prometheus every window as samples arrive (`rate1m`
 * every minute, for 15 s scrapes). With it the hourly peak and p95 are plain range functions over
 * stored samples instead of subqueries that recompute the rate at every step for every container.
 * The window is in the name, so a rule of another window is never read for this one.
 */
export const recordedCpuRate = (rateWindow: string) =>
  `capacity:container_cpu_usage_seconds:rate${rateWindow}`;
/** The rule the repository ships: 1-minute rates, for 15-second scrapes. */
export const RECORDED_CPU_RATE = recordedCpuRate("1m");
const recordedRate = (s: Scope, w: string) => `${recordedCpuRate(w)}${selector(s, CONTAINERS)}`;
function cpu(s: Scope) {
  return `container_cpu_usage_seconds_total${selector(s, CONTAINERS)}`;
}
const memory = (s: Scope) => `container_memory_working_set_bytes${selector(s, CONTAINERS)}`;

/**
 * The hourly usage, one query each, evaluated as range queries with a 1h step: the point at T
 * summarises (T-1h, T], stored as the hour starting at T-1h. No aggregation: an answer holds one
 * series per container and scrape job (24 points a day), and duplicates are collapsed here.
 */
export const USAGE_QUERIES: readonly UsageQuery[] = [
  // The hour's average rate is exactly the counter's rate over the hour: no subquery needed.
  { column: "cpu_avg_cores", promql: (s) => `rate(${cpu(s)}[${HOUR_RANGE}])` },
  // Peak and p95 of the rate over the window, sampled every window (the windows tile the hour):
  // the subqueries, the expensive part.
  {
    column: "cpu_max_cores",
    promql: (s, w) => `max_over_time(rate(${cpu(s)}[${w}])[${HOUR_RANGE}:${w}])`,
    recorded: (s, w) => `max_over_time(${recordedRate(s, w)}[${HOUR_RANGE}])`,
  },
  {
    column: "cpu_p95_cores",
    promql: (s, w) => `quantile_over_time(0.95, rate(${cpu(s)}[${w}])[${HOUR_RANGE}:${w}])`,
    recorded: (s, w) => `quantile_over_time(0.95, ${recordedRate(s, w)}[${HOUR_RANGE}])`,
  },
  // Every raw sample of the hour, so that a short peak is not missed between steps.
  { column: "memory_avg_bytes", promql: (s) => `avg_over_time(${memory(s)}[${HOUR_RANGE}])` },
  { column: "memory_max_bytes", promql: (s) => `max_over_time(${memory(s)}[${HOUR_RANGE}])` },
  { column: "samples", promql: (s) => `count_over_time(${memory(s)}[${HOUR_RANGE}])` },
];

/** What a fact query's series is, in its `capacity_fact` label. */
export type Fact =
  | "node"
  | "cpu_request_max"
  | "cpu_request_min"
  | "memory_request_max"
  | "memory_request_min"
  | "restarts"
  | "oom"
  | "throttled_periods"
  | "periods";

/**
 * What changes rarely, over spans of `seconds` (a day for the whole window, 14 steps; an hour for
 * the pods whose day changed): the pod's node, each container's requests (lowest and highest, to
 * see a change), restarts, whether the last termination was an OOM kill, CFS periods and
 * throttled periods. One query: each part tagged with what it is and joined with `or`, which is
 * cheap over a few steps and costly over many (so the hourly usage is not asked this way).
 */
export function factsQuery(scope: Scope, seconds: number): string {
  const r = spanRange(seconds);
  const requests = (resource: string) =>
    `kube_pod_container_resource_requests${selector(scope, [matcher("resource", "=", resource)])}[${r}]`;
  const parts: Array<[Fact, string]> = [
    ["node", `max_over_time(kube_pod_info${selector(scope, [matcher("node", "!=", "")])}[${r}])`],
    ["cpu_request_max", `max_over_time(${requests("cpu")})`],
    ["cpu_request_min", `min_over_time(${requests("cpu")})`],
    ["memory_request_max", `max_over_time(${requests("memory")})`],
    ["memory_request_min", `min_over_time(${requests("memory")})`],
    ["restarts", `increase(kube_pod_container_status_restarts_total${selector(scope)}[${r}])`],
    [
      "oom",
      `max_over_time(kube_pod_container_status_last_terminated_reason${selector(scope, [matcher("reason", "=", "OOMKilled")])}[${r}])`,
    ],
    [
      "throttled_periods",
      `increase(container_cpu_cfs_throttled_periods_total${selector(scope, CONTAINERS)}[${r}])`,
    ],
    ["periods", `increase(container_cpu_cfs_periods_total${selector(scope, CONTAINERS)}[${r}])`],
  ];
  return parts
    .map(([fact, q]) => `label_replace(${q}, "capacity_fact", ${quote(fact)}, "", "")`)
    .join(" or ");
}

/**
 * Owners over a span of `seconds` ending at the instant the query is evaluated at (the whole
 * window), so pods that no longer exist still find their workload.
 */
export const podOwnerQuery = (s: Scope, seconds: number) =>
  `max by (namespace, pod, owner_kind, owner_name) (max_over_time(kube_pod_owner${selector({ ...s, pods: undefined }, [matcher("owner_is_controller", "=", "true")])}[${seconds}s]))`;
export const replicaSetOwnerQuery = (s: Scope, seconds: number) =>
  `max by (namespace, replicaset, owner_kind, owner_name) (max_over_time(kube_replicaset_owner${selector({ ...s, pods: undefined })}[${seconds}s]))`;
export const jobOwnerQuery = (s: Scope, seconds: number) =>
  `max by (namespace, job_name, owner_kind, owner_name) (max_over_time(kube_job_owner${selector({ ...s, pods: undefined })}[${seconds}s]))`;

/**
 * The pods Pending in each hour, evaluated as a range query with a 1h step as the usage is: the
 * point at T is the share of (T-1h, T]'s samples of kube-state-metrics' phase series that said
 * Pending. `> 0` keeps only the pods that were Pending at some scrape, so the answer holds the few
 * pods that waited, not every pod of the namespace.
 */
export const pendingPodsQuery = (s: Scope) =>
  `avg_over_time(kube_pod_status_phase${selector({ ...s, pods: undefined }, [matcher("phase", "=", "Pending")])}[${HOUR_RANGE}]) > 0`;

/** What the startup check looks for, and what to install when it is missing. */
export const REQUIRED_METRICS: ReadonlyArray<{ metric: string; from: string }> = [
  {
    metric: "container_cpu_usage_seconds_total",
    from: "cAdvisor metrics from the kubelet (/metrics/cadvisor scrape job)",
  },
  {
    metric: "container_memory_working_set_bytes",
    from: "cAdvisor metrics from the kubelet (/metrics/cadvisor scrape job)",
  },
  { metric: "kube_pod_info", from: "kube-state-metrics" },
  { metric: "kube_pod_owner", from: "kube-state-metrics" },
  { metric: "kube_pod_container_resource_requests", from: "kube-state-metrics" },
  { metric: "kube_pod_container_status_restarts_total", from: "kube-state-metrics" },
  { metric: "kube_pod_status_phase", from: "kube-state-metrics" },
  { metric: "container_cpu_cfs_periods_total", from: "cAdvisor metrics from the kubelet (CPU limits set)" },
];

/**
 * How many containers the recording rule recorded in each hour, per namespace: evaluated hourly,
 * so a point at T says the rule ran during (T-1h, T], whatever its evaluation interval.
 */
export const recordedCoverageQuery = (clusterLabel: Scope["clusterLabel"], rateWindow: string) =>
  `count by (namespace) (present_over_time(${recordedCpuRate(rateWindow)}${selector({ clusterLabel })}[${HOUR_RANGE}]))`;
