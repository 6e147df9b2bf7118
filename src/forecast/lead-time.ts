/**
 * How long capacity takes to be ready: a node from launch to Ready, an image pull, a Fargate pod
 * from creation to running. From the cluster's own history where the caller has it (the P90 of
 * the samples), else documented defaults: a node 45–90 s (the upper bound is taken; more with
 * large AMIs or user data), a Fargate pod about a minute; image pulls add nothing when no sample
 * says how long they take (said so).
 */
import { quantile } from "./naive.js";

export interface LeadTimeSamples {
  /** Seconds from a node's creation to its Ready condition. */
  nodeReadySeconds?: readonly number[];
  /** Seconds a pod's image pull took (from its events or start times). */
  imagePullSeconds?: readonly number[];
  /** Seconds from a Fargate pod's creation to running. */
  fargatePodSeconds?: readonly number[];
}

export const DEFAULT_NODE_READY_SECONDS = 90;
export const DEFAULT_FARGATE_POD_SECONDS = 60;
/** Fewer samples than this and the default is used. */
export const MIN_SAMPLES = 5;

export interface LeadTime {
  seconds: number;
  source: "observed" | "default";
  /** In words: `P90 of 12 nodes: 74 s`, `default: 45–90 s, upper bound`. */
  basis: string;
}

export interface LeadTimes {
  node: LeadTime;
  imagePull: LeadTime;
  fargatePod: LeadTime;
}

function p90(
  samples: readonly number[] | undefined,
  what: string,
  fallback: number,
  fallbackBasis: string,
): LeadTime {
  const seen = (samples ?? []).filter((s) => Number.isFinite(s) && s >= 0);
  if (seen.length >= MIN_SAMPLES) {
    const seconds = Math.ceil(
      quantile(
        [...seen].sort((a, b) => a - b),
        0.9,
      ),
    );
    return { seconds, source: "observed", basis: `P90 of ${seen.length} ${what}: ${seconds} s` };
  }
  return {
    seconds: fallback,
    source: "default",
    basis: `${fallbackBasis}${seen.length ? ` (${seen.length} ${what} observed, fewer than ${MIN_SAMPLES})` : ""}`,
  };
}

export function leadTimes(samples: LeadTimeSamples = {}): LeadTimes {
  return {
    node: p90(
      samples.nodeReadySeconds,
      "nodes",
      DEFAULT_NODE_READY_SECONDS,
      "default: a node is Ready 45–90 s after launch, upper bound",
    ),
    imagePull: p90(
      samples.imagePullSeconds,
      "image pulls",
      0,
      "no image pull times given: not counted (large images add minutes)",
    ),
    fargatePod: p90(
      samples.fargatePodSeconds,
      "Fargate pods",
      DEFAULT_FARGATE_POD_SECONDS,
      "default: a Fargate pod runs about a minute after creation",
    ),
  };
}
