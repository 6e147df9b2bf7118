/**
 * The collector contract: every source (Kubernetes, Prometheus, Cost Explorer, spot history,
 * pricing) is one `Source`, collected live (and then, with `record`, written as a bundle too) or
 * replayed from a bundle, into the run through the functions it is handed. A source never sees
 * the store (STYLE.md 1): the collect service binds `out` and `history` to the run's transaction.
 * Live clients are imported inside `live`, so a replay never loads the AWS SDK, the Kubernetes
 * client or axios (test/unit/collect/lazy-clients.test.ts).
 */

import type { Config } from "../config/schema.js";
import type { Progress } from "../core/context.js";
import type { Logger } from "../core/logger.js";
import type { ClusterAccess } from "./aws.js";
import type { Bundle } from "./bundle.js";
import type { PriceRow } from "./pricing/tables.js";
import type { StoredUsage } from "./prometheus/incremental.js";
import type { TableColumns } from "./tables.js";

export type SourceName =
  | "kubernetes"
  | "eks"
  | "prometheus"
  | "cost-explorer"
  | "cur"
  | "pricing"
  | "spot-history";

/** How a source's collection went, as the run records it per cluster and source (STYLE.md 14). */
export interface Outcome {
  status: "ok" | "partial" | "missing";
  origin: "live" | "bundle" | "snapshot";
  rows: number;
  /** What is missing or went wrong, with the fix. */
  error?: string | undefined;
  /** Coverage, requests, timings: JSON in run_sources.detail. */
  detail?: Record<string, unknown> | undefined;
}

/** What the sources before this one learned about the cluster (Kubernetes, from its nodes). */
export interface ClusterFacts {
  /** The configured region, else the one most nodes are in. */
  region: string | undefined;
  /** The EC2 instance type of every EC2 node (one entry per node). */
  instanceTypes: string[];
  /** The zones of the nodes. */
  zones: string[];
  /** The instance types of the EC2 nodes labelled `kubernetes.io/os=windows` (priced as Windows). */
  windowsInstanceTypes?: string[];
  /** The EC2 instance ids of the EC2 nodes (from spec.providerID aws:///<zone>/i-…), whose volumes the eks source describes. */
  instanceIds?: string[];
}

/** A source's outcome, and what it learned about the cluster for the sources after it. */
export interface Collected extends Outcome {
  facts?: Partial<ClusterFacts> | undefined;
}

/**
 * A source the run does not ask for (not configured, or not in the bundle): no outcome is
 * recorded, so it is neither missing nor partial; the reason is logged and the analysis it
 * feeds says "not analysed" with it.
 */
export interface Skipped {
  skipped: string;
}

/**
 * An object the source left out because a value broke a rule (a quantity that does not parse, a
 * negative request, a time outside the window): listed in the run's `rejected_objects`, shown
 * in the report's coverage part, and the source is `partial`. One bad object costs that object.
 */
export interface Rejected {
  /** Where it came from: the bundle file and item (`kubernetes/c/pods.json items[3]`), or the live request. */
  location: string;
  /** What was left out: `pod shop/web-7d9f-abcde`, or the row's key. */
  object: string;
  /** The offending field, e.g. `spec.containers[web].resources.requests.cpu`. */
  field: string | null;
  /** The offending value as text. */
  value: string | null;
  /** The rule it broke: kubernetes-quantity, non-negative, finite, at most …, integer, in-window … */
  rule: string;
  /** The whole explanation. */
  message: string;
}

/** A row a pure mapping left out, before the source says where it came from. */
export type RowProblem = Omit<Rejected, "location">;

/**
 * Where a source's rows go: the run being written (its transaction). A source's rows land
 * entirely or not at all: when it fails, the collect service takes back what it appended.
 */
export interface RunSink {
  readonly runId: string;
  /** Appends rows to one of the source's tables; the rows appended. */
  append(table: string, rows: readonly object[]): Promise<number>;
  /** Lists an object left out (its rows must not be appended); makes the source partial. */
  reject(rejected: Rejected): void;
}

/** What earlier runs of the cluster stored, and set-based moves of it into this run. */
export interface History {
  /** The latest run whose usage can be reused (prometheus.incremental). */
  previousUsage(): Promise<StoredUsage | undefined>;
  /** Refers this run to that run's hourly usage of [start, end) (stored once) and copies its pending-pod hours; the usage rows referred to. */
  carryUsage(p: { fromRun: string; start: Date; end: Date }): Promise<number>;
  /** Loads one piece of spooled Prometheus answers into this run; the rows loaded. */
  loadUsage(files: { usage: string; facts: string; pods: string }): Promise<number>;
  /**
   * Loads a bundle's usage CSV (`file`, named `name` in the bundle, `records` lines after its
   * header) into this run; rows that break a rule go to rejected_objects. The rows loaded and
   * the rejected_objects rows written.
   */
  loadBundleUsage(p: {
    file: string;
    name: string;
    records: number;
    start: Date;
    end: Date;
  }): Promise<{ rows: number; rejected: number }>;
  /** Writes this run's hourly usage as the bundle's gzipped CSV. */
  exportUsage(file: string): Promise<void>;
  /** Writes this run's pending-pod hours as the bundle's CSV. */
  exportPending(file: string): Promise<void>;
  /** The latest run that stored Cost Explorer lines: its tag filter and last day. */
  previousCosts(): Promise<{ runId: string; tagFilter: string | null; storedThrough: string } | undefined>;
  /** Copies that run's Cost Explorer lines of [start, end) (days) into this run. */
  carryCosts(p: { fromRun: string; start: string; end: string }): Promise<void>;
  /** Price List API prices fetched since `since` by the latest run that has them. */
  freshPrices(region: string, since: Date): Promise<PriceRow[]>;
  /** The top-level column names of a Parquet file on disk. */
  parquetColumns(file: string): Promise<string[]>;
  /** Loads the cluster's EKS split lines of [start, end) from one downloaded CUR 2.0 object (S3 `key`); the rows loaded. */
  loadCurSplit(p: { file: string; key: string; start: Date; end: Date }): Promise<number>;
  /** Writes this run's CUR split lines of the cluster as a bundle's Parquet file. */
  exportCurSplit(file: string): Promise<void>;
  /** Loads a bundle's CUR split lines (its columns checked first); the rows loaded. */
  loadBundleCurSplit(file: string): Promise<number>;
}

/** Everything one source needs to collect one cluster. */
export interface Collection {
  cluster: {
    name: string;
    region: string | undefined;
    context: string | undefined;
    aws?: ClusterAccess | undefined;
  };
  /** The run's history window, [start, end). */
  window: { start: Date; end: Date };
  /** The run's start (ctx.clock()), the time every "now" of the collection is. */
  now: Date;
  /** ctx.clock, for the current time during a long collection (a Retry-After date). */
  clock: () => Date;
  config: Config;
  logger: Logger;
  /** Aborts in-flight requests (SIGTERM, SIGINT). */
  signal: AbortSignal;
  facts: ClusterFacts;
  out: RunSink;
  history: History;
  /** Live only: also write what was fetched to this bundle directory. */
  record?: string | undefined;
  /** How far a long collection is (Prometheus: queries and bytes). */
  progress?: Progress | undefined;
}

/** A source; one that may be skipped (not configured) says so in its type: `Source<Collected | Skipped>`. */
export interface Source<Out extends Collected | Skipped = Collected> {
  readonly name: SourceName;
  /** The tables it writes and their columns (its tables.ts). */
  readonly tables: TableColumns;
  /** An AWS API: without the cluster's region it is missing. */
  readonly needsRegion: boolean;
  live(c: Collection): Promise<Out>;
  replay(bundle: Bundle, c: Collection): Promise<Out>;
}
