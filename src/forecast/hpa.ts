/**
 * From demand to replicas, as the HorizontalPodAutoscaler computes them (Kubernetes'
 * `replica_calculator.go`): utilisation = the pods' usage ÷ their requests, as a whole percentage
 * (truncated); ratio = utilisation ÷ target; within the tolerance (10 %) of 1 the replicas do not
 * change, else desired = ceil(ratio × current), clamped to [minReplicas, maxReplicas]. Behaviour
 * policies (scale-up rate limits, stabilisation windows) are not modelled: an hourly forecast
 * takes each hour's steady state.
 */
import { InputError } from "../core/errors.js";

export interface Hpa {
  name: string;
  minReplicas: number;
  maxReplicas: number;
  /** The resource whose utilisation it targets. */
  resource: "cpu" | "memory";
  /** Target average utilisation as a whole percentage of the request (70 = 70 %). */
  targetUtilizationPercent: number;
}

/** The controller's default `--horizontal-pod-autoscaler-tolerance`. */
export const HPA_TOLERANCE = 0.1;

export interface HpaStep {
  /** Replicas after the step, clamped. */
  replicas: number;
  /** What the formula asked for before clamping. */
  unclamped: number;
  /** The pods' utilisation as the HPA sees it (whole percent), and the ratio to the target. */
  utilizationPercent: number;
  ratio: number;
  /** The ratio was within the tolerance: no change. */
  withinTolerance: boolean;
}

/**
 * One HPA evaluation: `usage` is the workload's total (cores or bytes) over `current` pods each
 * requesting `request`. CPU is counted in millicores, as the metrics API reports it.
 */
export function hpaStep(
  hpa: Hpa,
  current: number,
  usage: number,
  request: number,
  tolerance: number = HPA_TOLERANCE,
): HpaStep {
  const scale = hpa.resource === "cpu" ? 1000 : 1;
  const pods = Math.max(current, 1);
  const usageTotal = Math.round(usage * scale);
  const requestTotal = pods * Math.round(request * scale);
  const utilizationPercent = Math.floor((usageTotal * 100) / requestTotal);
  const ratio = utilizationPercent / hpa.targetUtilizationPercent;
  const clamp = (n: number) => Math.min(hpa.maxReplicas, Math.max(hpa.minReplicas, n));
  if (Math.abs(ratio - 1) <= tolerance)
    return { replicas: clamp(pods), unclamped: pods, utilizationPercent, ratio, withinTolerance: true };
  const unclamped = Math.ceil(ratio * pods);
  return { replicas: clamp(unclamped), unclamped, utilizationPercent, ratio, withinTolerance: false };
}

/** Replicas hour by hour as the HPA follows the demand, from `current`; NaN hours keep the last. */
export function followDemand(
  hpa: Hpa,
  current: number,
  demand: readonly number[],
  request: number,
  tolerance: number = HPA_TOLERANCE,
): HpaStep[] {
  const steps: HpaStep[] = [];
  let replicas = Math.min(hpa.maxReplicas, Math.max(hpa.minReplicas, current));
  for (const d of demand) {
    if (Number.isNaN(d)) {
      steps.push({
        replicas,
        unclamped: replicas,
        utilizationPercent: Number.NaN,
        ratio: Number.NaN,
        withinTolerance: true,
      });
      continue;
    }
    const step = hpaStep(hpa, replicas, d, request, tolerance);
    replicas = step.replicas;
    steps.push(step);
  }
  return steps;
}

/**
 * Replicas that hold `demand` at the target utilisation: ceil(demand ÷ (request × target)).
 * What `minReplicas` must be for the HPA not to have to react at all.
 */
export const replicasFor = (demand: number, request: number, targetUtilizationPercent: number): number =>
  Math.max(1, Math.ceil(demand / ((request * targetUtilizationPercent) / 100) - 1e-9));

/** A PodDisruptionBudget: integers or percentages, as in its spec. */
export interface Pdb {
  name: string;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
}

/** An int-or-percent against `total`, percentages rounded up (as the disruption controller does). */
function scaled(pdb: Pdb, field: "minAvailable" | "maxUnavailable", total: number): number {
  const value = pdb[field]!;
  if (typeof value === "number") return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m)
    throw new InputError(
      `PodDisruptionBudget ${pdb.name}`,
      field,
      `"${value}" is neither an integer nor a percentage`,
    );
  return Math.ceil((Number(m[1]) * total) / 100);
}

/** Pods the PDB lets be evicted at once when `replicas` are healthy. */
export function disruptionsAllowed(pdb: Pdb, replicas: number): number {
  if (pdb.maxUnavailable !== undefined) return Math.max(0, scaled(pdb, "maxUnavailable", replicas));
  if (pdb.minAvailable !== undefined) return Math.max(0, replicas - scaled(pdb, "minAvailable", replicas));
  return replicas;
}
