/**
 * How long capacity takes to be ready, per pool: a node from launch to Ready (its creation against
 * its Ready condition), a pod from being scheduled to its containers running (image pull and
 * start), a Fargate pod from creation to running. From the cluster's own objects where there are
 * enough samples (the median and the P90; the plan waits for the P90), else documented defaults:
 * a node 45–90 s (the upper bound is taken; more with large AMIs or user data), a Fargate pod about
 * a minute; image pulls add nothing when no sample says how long they take (said so).
 */
import { quantile } from "./naive.js";

/** Seconds observed in one pool (the service reads them from the run: `lead_time_samples.sql`). */
export interface PoolSamples {
  /** Seconds from a node's creation to its Ready condition. */
  nodeReadySeconds?: readonly number[];
  /** Seconds from a pod's scheduling to its last container running (image pull and start). */
  podStartSeconds?: readonly number[];
}

export interface LeadTimeSamples {
  pools?: Readonly<Record<string, PoolSamples>>;
  /** Seconds from a Fargate pod's creation to its containers running. */
  fargatePodSeconds?: readonly number[];
}

export const DEFAULT_NODE_READY_SECONDS = 90;
export const DEFAULT_FARGATE_POD_SECONDS = 60;
/** Fewer samples than this and the default is used. */
export const MIN_SAMPLES = 5;

export interface LeadTime {
  /** What the plan waits for: the P90 when observed, else the default. */
  seconds: number;
  source: "observed" | "default";
  /** In words: `median 52 s, P90 74 s of 12 nodes`, `default: 45–90 s, upper bound`. */
  basis: string;
  /** Samples used, and their median (null when too few to use). */
  samples: number;
  medianSeconds: number | null;
}

export interface PoolLeadTime {
  pool: string;
  kind: "node" | "fargate";
  /** Launch to Ready (a node), or creation to running (a Fargate pod). */
  capacity: LeadTime;
  /** Scheduling to running: image pull and start (counted in `capacity` on Fargate). */
  podStart: LeadTime;
  /** capacity + podStart. */
  seconds: number;
}

export interface LeadTimes {
  /** Every pool's nodes together, every EC2 pod together, every Fargate pod. */
  node: LeadTime;
  imagePull: LeadTime;
  fargatePod: LeadTime;
  pools: PoolLeadTime[];
}

function observedOr(
  samples: readonly number[] | undefined,
  what: string,
  fallback: number,
  fallbackBasis: string,
): LeadTime {
  const seen = (samples ?? []).filter((s) => Number.isFinite(s) && s >= 0).sort((a, b) => a - b);
  if (seen.length >= MIN_SAMPLES) {
    const seconds = Math.ceil(quantile(seen, 0.9));
    const medianSeconds = Math.ceil(quantile(seen, 0.5));
    return {
      seconds,
      source: "observed",
      basis: `median ${medianSeconds} s, P90 ${seconds} s of ${seen.length} ${what}`,
      samples: seen.length,
      medianSeconds,
    };
  }
  return {
    seconds: fallback,
    source: "default",
    basis: `${fallbackBasis}${seen.length ? ` (${seen.length} ${what} observed, fewer than ${MIN_SAMPLES})` : ""}`,
    samples: seen.length,
    medianSeconds: null,
  };
}

const node = (samples: readonly number[] | undefined) =>
  observedOr(
    samples,
    "nodes",
    DEFAULT_NODE_READY_SECONDS,
    "default: a node is Ready 45–90 s after launch, upper bound",
  );
const podStart = (samples: readonly number[] | undefined) =>
  observedOr(
    samples,
    "pod starts",
    0,
    "no pod start times: image pulls not counted (large images add minutes)",
  );
const fargate = (samples: readonly number[] | undefined) =>
  observedOr(
    samples,
    "Fargate pods",
    DEFAULT_FARGATE_POD_SECONDS,
    "default: a Fargate pod runs about a minute after creation",
  );

/** The lead times of the pools named (`fargate` for a Fargate pool), each from its own samples. */
export function leadTimes(
  samples: LeadTimeSamples = {},
  pools: readonly { name: string; fargate: boolean }[] = [],
): LeadTimes {
  const all = Object.values(samples.pools ?? {});
  const none = podStart([]);
  return {
    node: node(all.flatMap((p) => p.nodeReadySeconds ?? [])),
    imagePull: podStart(all.flatMap((p) => p.podStartSeconds ?? [])),
    fargatePod: fargate(samples.fargatePodSeconds),
    pools: pools.map(({ name, fargate: isFargate }) => {
      const own = samples.pools?.[name] ?? {};
      const capacity = isFargate ? fargate(samples.fargatePodSeconds) : node(own.nodeReadySeconds);
      const start = isFargate
        ? { ...none, basis: "counted in the Fargate pod's creation to running" }
        : podStart(own.podStartSeconds);
      return {
        pool: name,
        kind: isFargate ? "fargate" : "node",
        capacity,
        podStart: start,
        seconds: capacity.seconds + start.seconds,
      };
    }),
  };
}
