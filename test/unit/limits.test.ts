import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import {
  checkCpuCores,
  checkMemoryBytes,
  checkNodeCpuCores,
  checkNodeMemoryBytes,
  checkRange,
  LimitError,
} from "../../src/core/limits.js";
import { parseBytes, parseCores } from "../../src/core/quantity.js";

const cpu = { object: "pod shop/web-1", field: "spec.containers[web].resources.requests.cpu" };
const memory = { object: "pod shop/web-1", field: "spec.containers[web].resources.requests.memory" };
const TiB = 2n ** 40n;

/** The error a check throws, so that its fields can be read. */
function refusal(check: () => unknown): LimitError {
  try {
    check();
  } catch (error) {
    if (error instanceof LimitError) return error;
    throw error;
  }
  throw new Error("the check accepted the value");
}

describe("domain ranges of resource figures", () => {
  it.each([0, 0.001, 0.25, 2, 96, 1024])("accepts %d cores for a container", (cores) => {
    expect(checkCpuCores(cores, cpu)).toBe(cores);
  });

  it.each([0n, 1n, 512n * 2n ** 20n, 64n * TiB])("accepts %d bytes for a container", (bytes) => {
    expect(checkMemoryBytes(bytes, memory)).toBe(bytes);
  });

  it("accepts memory given as a double, as Prometheus answers it, and returns it unchanged", () => {
    expect(checkMemoryBytes(1.5e9, memory)).toBe(1.5e9);
  });

  it.each([
    [-1, "non-negative", "-1 cores is negative"],
    [-0.001, "non-negative", "-0.001 cores is negative"],
    [Number.NaN, "finite", "NaN cores is not a finite number"],
    [Number.POSITIVE_INFINITY, "finite", "Infinity cores is not a finite number"],
    [Number.NEGATIVE_INFINITY, "finite", "-Infinity cores is not a finite number"],
    [1024.001, "at most 1,024 cores per container", "1024.001 cores is more than 1,024 cores per container"],
    [1.2e44, "at most 1,024 cores per container", "1.2e+44 cores is more than 1,024 cores per container"],
  ])("refuses %d cores for a container, naming the pod, the field and the rule", (cores, rule, message) => {
    const error = refusal(() => checkCpuCores(cores, cpu));
    expect(error).toBeInstanceOf(InputError);
    expect(error.object).toBe(cpu.object);
    expect(error.field).toBe(cpu.field);
    expect(error.rule).toBe(rule);
    expect(Object.is(error.value, cores)).toBe(true);
    expect(error.message).toContain(`${cpu.object}: ${cpu.field}: ${message}`);
  });

  it.each([
    [-1n, "non-negative", "-1 bytes is negative"],
    [-8589934592n, "non-negative", "-8589934592 bytes is negative"],
    [
      64n * TiB + 1n,
      "at most 64 TiB per container",
      "70368744177665 bytes is more than 64 TiB per container",
    ],
    [2n ** 63n - 1n, "at most 64 TiB per container", "9223372036854775807 bytes is more than 64 TiB"],
  ])("refuses %d bytes for a container, naming the pod, the field and the rule", (bytes, rule, message) => {
    const error = refusal(() => checkMemoryBytes(bytes, memory));
    expect(error.rule).toBe(rule);
    expect(error.value).toBe(bytes);
    expect(error.message).toContain(`${memory.object}: ${memory.field}: ${message}`);
  });

  it("refuses a negative or non-finite memory double", () => {
    expect(refusal(() => checkMemoryBytes(-5, memory)).rule).toBe("non-negative");
    expect(refusal(() => checkMemoryBytes(Number.NaN, memory)).rule).toBe("finite");
  });

  it("lets a node be larger than any container, within its own bounds", () => {
    const node = { object: "node ip-10-0-1-5", field: "status.capacity.cpu" };
    expect(checkNodeCpuCores(1920, node)).toBe(1920);
    expect(refusal(() => checkNodeCpuCores(4097, node)).rule).toBe("at most 4,096 cores per node");
    expect(checkNodeMemoryBytes(32n * TiB, node)).toBe(32n * TiB);
    expect(refusal(() => checkNodeMemoryBytes(65n * TiB, node)).rule).toBe("at most 64 TiB per node");
    expect(refusal(() => checkNodeMemoryBytes(-1n, node)).rule).toBe("non-negative");
  });

  it("checks any other figure for being finite and non-negative only", () => {
    const storage = { object: "pvc shop/data", field: "spec.resources.requests.storage" };
    expect(checkRange(2n ** 62n, storage)).toBe(2n ** 62n);
    expect(refusal(() => checkRange(-1n, storage)).message).toBe(
      "pvc shop/data: spec.resources.requests.storage: -1 is negative; a resource is never below 0",
    );
  });

  // The hostile inputs of issue 14, from text to a checked figure: each is refused, none is 0.
  it.each([
    ["-1", "non-negative"],
    ["-8Gi", "non-negative"],
    ["-100m", "non-negative"],
    ["1025", "at most 1,024 cores per container"],
  ])("a request of %s, parsed then checked, is refused (%s), never charged as 0", (text, rule) => {
    expect(refusal(() => checkCpuCores(parseCores(text, cpu), cpu)).rule).toBe(rule);
    if (rule === "non-negative") {
      expect(refusal(() => checkMemoryBytes(parseBytes(text, memory), memory)).rule).toBe(rule);
    }
  });
});
