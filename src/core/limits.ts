/**
 * The ranges a resource figure must fall in to mean what it says. A quantity can parse and still
 * be nonsense for a cost tool: a negative request would be charged nothing, and 1.2e44 cores
 * would swamp every figure it is added to. Collectors call these on every request, limit,
 * capacity and usage value they store; a value out of range is a `LimitError` (an `InputError`
 * naming the object and the field) that quarantines its object, never a clamp or a zero.
 *
 * The bounds are far above any real machine (EC2's largest offer 1,920 vCPU and 32 TiB) and far
 * below where a figure stops being exact (2^53): anything past them is a typo or an attack.
 */
import { InputError } from "./errors.js";
import type { Where } from "./quantity.js";

const TiB = 2n ** 40n;

export interface Limit {
  /** The largest value that makes sense, in `unit`. */
  readonly max: number | bigint;
  readonly unit: "cores" | "bytes";
  /** The bound in words, for the message and the rule, e.g. `1,024 cores per container`. */
  readonly says: string;
}

export const LIMITS = {
  containerCpu: { max: 1024, unit: "cores", says: "1,024 cores per container" },
  containerMemory: { max: 64n * TiB, unit: "bytes", says: "64 TiB per container" },
  nodeCpu: { max: 4096, unit: "cores", says: "4,096 cores per node" },
  nodeMemory: { max: 64n * TiB, unit: "bytes", says: "64 TiB per node" },
} as const satisfies Record<string, Limit>;

/** Why a value was refused, for the run's list of rejected objects. */
export type LimitRule = "finite" | "non-negative" | `at most ${string}`;

/** A resource figure out of its range. An `InputError`, so it names the object and the field. */
export class LimitError extends InputError {
  readonly value: number | bigint;
  readonly rule: LimitRule;
  constructor(value: number | bigint, where: Where, rule: LimitRule, message: string) {
    super(where.object, where.field, message);
    this.value = value;
    this.rule = rule;
  }
}

/**
 * `value` when it is finite, non-negative and (with a limit) at most the limit's bound; a
 * `LimitError` otherwise. Works on cores (a double) and bytes (a bigint, or a double from a
 * metric).
 */
export function checkRange<T extends number | bigint>(value: T, where: Where, limit?: Limit): T {
  const unit = limit ? ` ${limit.unit}` : "";
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new LimitError(value, where, "finite", `${value}${unit} is not a finite number`);
  }
  if (value < 0) {
    throw new LimitError(
      value,
      where,
      "non-negative",
      `${value}${unit} is negative; a resource is never below 0`,
    );
  }
  if (limit && value > limit.max) {
    throw new LimitError(
      value,
      where,
      `at most ${limit.says}`,
      `${value}${unit} is more than ${limit.says} (${limit.max}${unit}), the most that makes sense`,
    );
  }
  return value;
}

/** A container's CPU request, limit or usage, in cores: finite, ≥ 0 and ≤ 1,024. */
export function checkCpuCores(cores: number, where: Where): number {
  return checkRange(cores, where, LIMITS.containerCpu);
}

/** A container's memory request, limit or usage, in bytes: finite, ≥ 0 and ≤ 64 TiB. */
export function checkMemoryBytes<T extends number | bigint>(bytes: T, where: Where): T {
  return checkRange(bytes, where, LIMITS.containerMemory);
}

/** A node's CPU capacity or allocatable, in cores: finite, ≥ 0 and ≤ 4,096. */
export function checkNodeCpuCores(cores: number, where: Where): number {
  return checkRange(cores, where, LIMITS.nodeCpu);
}

/** A node's memory capacity or allocatable, in bytes: finite, ≥ 0 and ≤ 64 TiB. */
export function checkNodeMemoryBytes<T extends number | bigint>(bytes: T, where: Where): T {
  return checkRange(bytes, where, LIMITS.nodeMemory);
}
