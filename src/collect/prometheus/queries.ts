/**
 * PromQL, the one templated text (STYLE.md 8): every metric the collector asks for is defined
 * here, and every label value reaches a query through `selector()`, which escapes it. Queries
 * aggregate on the server (`by (namespace, pod, container)`, subqueries with an hourly step), so
 * an answer holds one point per container and hour, never raw samples. Duplicate series (one
 * container scraped by two jobs) are collapsed with `max by`, not summed.
 */

/** A PromQL string literal for a label value: backslashes, quotes and line breaks escaped. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/** A regular expression matching exactly these values (RE2 metacharacters escaped), for `=~`. */
export function anyOf(values: readonly string[]): string {
  return values.map((v) => v.replace(/[\\.^$|?*+()[\]{}]/g, "\\$&")).join("|");
}

export interface Scope {
  /** Label that tells clusters apart on a shared Prometheus, and this cluster's value. */
  clusterLabel?: { name: string; value: string } | undefined;
  namespace: string;
  /** Only these pods (a batch inside a large namespace). */
  pods?: readonly string[] | undefined;
}

/** A label selector body for the scope, plus extra matchers. */
export function selector(scope: Scope, extra: string[] = []): string {
  const matchers: string[] = [];
  if (scope.clusterLabel) matchers.push(`${scope.clusterLabel.name}=${quote(scope.clusterLabel.value)}`);
  matchers.push(`namespace=${quote(scope.namespace)}`);
  if (scope.pods && scope.pods.length > 0) matchers.push(`pod=~${quote(anyOf(scope.pods))}`);
  return `{${[...matchers, ...extra].join(",")}}`;
}

const CONTAINERS = ['container!=""', 'container!="POD"'];

/**
 * The hour (T-1h, T]. Prometheus 2.x includes both ends of a range or subquery (so `[1h:5m]`
 * would hold 13 points and `[1h]` the sample at T-1h that belongs to the hour before); 3.x
 * excludes the start. 59m59s holds the same points on both: 12 five-minute steps, and every
 * raw sample after T-1h.
 */
const HOUR_SUBQUERY = "59m59s:5m";
const HOUR_RANGE = "59m59s";
const BY = "namespace, pod, container";

export interface MetricQuery {
  /** The prom_usage_hourly column the answer fills. */
  column: string;
  promql: (scope: Scope, rateWindow: string) => string;
  /** The same from the recording rule's series, where the rule has been recording. */
  recorded?: (scope: Scope) => string;
}

/**
 * The series our recording rule (deploy/prometheus/capacity-rules.yaml) keeps: each container's
 * 5-minute CPU rate, evaluated by Prometheus as samples arrive. With it the hourly peak and p95
 * are plain range functions over stored samples instead of subqueries that recompute the rate
 * twelve times an hour for every container (three quarters of the collection's cost in Prometheus).
 */
export const RECORDED_CPU_RATE = "capacity:container_cpu_usage_seconds:rate5m";
const recordedRate = (s: Scope) => `${RECORDED_CPU_RATE}${selector(s, CONTAINERS)}`;

const cpuRate = (s: Scope, w: string) =>
  `max by (${BY}) (rate(container_cpu_usage_seconds_total${selector(s, CONTAINERS)}[${w}]))`;
/**
 * Evaluated as range queries with a 1h step: the point at T summarises (T-1h, T], stored as the
 * hour starting at T-1h. The CPU p95 and maximum come from the 5-minute rate sampled every 5
 * minutes (a subquery, the expensive part); averages come straight from the raw samples.
 */
export const METRIC_QUERIES: readonly MetricQuery[] = [
  // The hour's average rate is exactly the counter's rate over the hour: no subquery needed.
  {
    column: "cpu_avg_cores",
    promql: (s) =>
      `max by (${BY}) (rate(container_cpu_usage_seconds_total${selector(s, CONTAINERS)}[${HOUR_RANGE}]))`,
  },
  {
    column: "cpu_max_cores",
    promql: (s, w) => `max_over_time(${cpuRate(s, w)}[${HOUR_SUBQUERY}])`,
    recorded: (s) => `max by (${BY}) (max_over_time(${recordedRate(s)}[${HOUR_RANGE}]))`,
  },
  {
    column: "cpu_p95_cores",
    promql: (s, w) => `quantile_over_time(0.95, ${cpuRate(s, w)}[${HOUR_SUBQUERY}])`,
    recorded: (s) => `max by (${BY}) (quantile_over_time(0.95, ${recordedRate(s)}[${HOUR_RANGE}]))`,
  },
  // Every raw sample of the hour, not 12 five-minute steps: exact, and cheaper for Prometheus.
  {
    column: "memory_avg_bytes",
    promql: (s) =>
      `max by (${BY}) (avg_over_time(container_memory_working_set_bytes${selector(s, CONTAINERS)}[${HOUR_RANGE}]))`,
  },
  // Every raw sample of the hour, so that a short peak is not missed between 5-minute steps.
  {
    column: "memory_max_bytes",
    promql: (s) =>
      `max by (${BY}) (max_over_time(container_memory_working_set_bytes${selector(s, CONTAINERS)}[${HOUR_RANGE}]))`,
  },
  {
    column: "samples",
    promql: (s) =>
      `max by (${BY}) (count_over_time(container_memory_working_set_bytes${selector(s, CONTAINERS)}[${HOUR_RANGE}]))`,
  },
  {
    column: "cpu_throttled_ratio",
    promql: (s) =>
      `max by (${BY}) (increase(container_cpu_cfs_throttled_periods_total${selector(s, CONTAINERS)}[${HOUR_RANGE}])) / max by (${BY}) (increase(container_cpu_cfs_periods_total${selector(s, CONTAINERS)}[${HOUR_RANGE}]) > 0)`,
  },
  {
    column: "restarts",
    promql: (s) =>
      `max by (${BY}) (increase(kube_pod_container_status_restarts_total${selector(s)}[${HOUR_RANGE}]))`,
  },
  {
    // Restarts in the hour of a container whose last termination was an OOM kill.
    column: "oom_kills",
    promql: (s) =>
      `max by (${BY}) (increase(kube_pod_container_status_restarts_total${selector(s)}[${HOUR_RANGE}]) > 0) * on (${BY}) max by (${BY}) (max_over_time(kube_pod_container_status_last_terminated_reason${selector(s, ['reason="OOMKilled"'])}[${HOUR_RANGE}]))`,
  },
  {
    column: "cpu_request_cores",
    promql: (s) =>
      `max by (${BY}) (max_over_time(kube_pod_container_resource_requests${selector(s, ['resource="cpu"'])}[${HOUR_RANGE}]))`,
  },
  {
    column: "memory_request_bytes",
    promql: (s) =>
      `max by (${BY}) (max_over_time(kube_pod_container_resource_requests${selector(s, ['resource="memory"'])}[${HOUR_RANGE}]))`,
  },
];

/** Per pod and hour: the node it ran on. */
export const podNodeQuery = (s: Scope) =>
  `max by (namespace, pod, node) (max_over_time(kube_pod_info${selector(s, ['node!=""'])}[${HOUR_RANGE}]))`;

/** Owners, to map pods that no longer exist to their workload (evaluated once per day). */
export const podOwnerQuery = (s: Scope) =>
  `max by (namespace, pod, owner_kind, owner_name) (max_over_time(kube_pod_owner${selector({ ...s, pods: undefined }, ['owner_is_controller="true"'])}[1d]))`;
export const replicaSetOwnerQuery = (s: Scope) =>
  `max by (namespace, replicaset, owner_kind, owner_name) (max_over_time(kube_replicaset_owner${selector({ ...s, pods: undefined })}[1d]))`;
export const jobOwnerQuery = (s: Scope) =>
  `max by (namespace, job_name, owner_kind, owner_name) (max_over_time(kube_job_owner${selector({ ...s, pods: undefined })}[1d]))`;

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
  { metric: "container_cpu_cfs_periods_total", from: "cAdvisor metrics from the kubelet (CPU limits set)" },
];

/**
 * Every metric of METRIC_QUERIES in one request: each aggregate tagged with the column it fills
 * (label `capacity_column`) and joined with `or`. One round trip per scope and day instead of
 * eleven; the answer is the same size.
 */
export function usageQuery(scope: Scope, rateWindow: string, recorded = false): string {
  return METRIC_QUERIES.map(
    (m) =>
      `label_replace(${recorded && m.recorded ? m.recorded(scope) : m.promql(scope, rateWindow)}, "capacity_column", "${m.column}", "", "")`,
  ).join(" or ");
}

/**
 * How many containers the recording rule recorded in each hour, per namespace: evaluated hourly,
 * so a point at T says the rule ran during (T-1h, T], whatever its evaluation interval.
 */
export const recordedCoverageQuery = (clusterLabel: Scope["clusterLabel"]) =>
  `count by (namespace) (present_over_time(${RECORDED_CPU_RATE}${selector({ clusterLabel, namespace: "" }).replace('namespace=""', 'namespace!=""')}[${HOUR_RANGE}]))`;

/** Owners over a whole window, as one instant query at its end. */
export const ownersOverWindow = (query: string, windowSeconds: number) =>
  query.replace(/\[1d\]\)\)$/, `[${windowSeconds}s]))`);
