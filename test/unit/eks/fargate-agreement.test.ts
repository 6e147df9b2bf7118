/**
 * The Fargate size is written twice, once for SQL (queries/macros/fargate.sql) and once for
 * TypeScript (src/core/eks/fargate.ts): both run on the same generated pods and must agree.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discoverMacros, runMacros } from "../../../src/analyze/runner.js";
import { type ContainerRequests, fargateSize, podNeed } from "../../../src/core/eks/fargate.js";
import { memoryLogger } from "../../../src/core/logger.js";
import { readReferenceCsv } from "../../../src/core/reference-csv.js";
import { loadReference } from "../../../src/store/reference.js";
import { Store } from "../../../src/store/store.js";

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
const configurations = readReferenceCsv("fargate-configurations.csv").map((r) => ({
  vcpu: Number(r.vcpu),
  memoryGib: Number(r.memory_gib),
}));

let store: Store;
beforeAll(async () => {
  store = await Store.open(":memory:", memoryLogger());
  await loadReference(store);
  await runMacros(store, discoverMacros());
});
afterAll(() => store.close());

// Requests around the edges of the sizes (each size's memory less the 256 MiB, a byte either side)
// and ordinary ones.
const cpu = fc.oneof(
  fc.constant(null),
  fc.constantFrom(...configurations.map((c) => c.vcpu)),
  fc.integer({ min: 1, max: 3200 }).map((m) => m * 0.005),
);
const memory = fc.oneof(
  fc.constant(null),
  fc
    .constantFrom(...configurations.map((c) => c.memoryGib * GIB - 256 * MIB))
    .chain((b) => fc.constantFrom(b - 1, b, b + 1)),
  fc.integer({ min: 1, max: 40 * 1024 }).map((m) => m * MIB),
);
const container = fc.record({
  type: fc.constantFrom<ContainerRequests["type"]>("regular", "regular", "sidecar", "init"),
  cpuCores: cpu,
  memoryBytes: memory,
});
const pods = fc.array(fc.array(container, { minLength: 0, maxLength: 5 }), { minLength: 1, maxLength: 60 });

interface SqlSize {
  pod: number;
  cpu_cores: number;
  memory_bytes: number;
  vcpu: number | null;
  memory_gib: number | null;
}

async function sqlSizes(batch: ContainerRequests[][]): Promise<Map<number, SqlSize>> {
  const rows = batch.flatMap((containers, pod) =>
    containers.map((c) => ({ pod, type: c.type, cpu: c.cpuCores, mem: c.memoryBytes })),
  );
  const sized = await store.all<SqlSize>(
    `WITH c AS (
       SELECT unnest(from_json($1, '[{"pod":"INTEGER","type":"VARCHAR","cpu":"DOUBLE","mem":"BIGINT"}]'), recursive := true)
     ),
     need AS (SELECT pod, pod_request(cpu, type) AS cpu_cores, pod_request(mem, type) AS memory_bytes FROM c GROUP BY pod)
     SELECT pod, cpu_cores, memory_bytes::double AS memory_bytes,
       fargate_size(cpu_cores, memory_bytes).vcpu AS vcpu,
       fargate_size(cpu_cores, memory_bytes).memory_gib AS memory_gib
     FROM need`,
    [JSON.stringify(rows)],
  );
  return new Map(sized.map((s) => [s.pod, s]));
}

describe("the Fargate size in SQL and in TypeScript", () => {
  it("agree on every generated pod: the need per resource and the billed size", async () => {
    await fc.assert(
      fc.asyncProperty(pods, async (batch) => {
        const sql = await sqlSizes(batch);
        batch.forEach((containers, pod) => {
          if (containers.length === 0) return; // a pod has containers; SQL sees none of it
          const need = podNeed(containers);
          const size = fargateSize(need, configurations);
          const s = sql.get(pod)!;
          expect(s.cpu_cores).toBeCloseTo(need.cpuCores, 9);
          expect(s.memory_bytes).toBe(need.memoryBytes);
          expect({ vcpu: s.vcpu, memoryGib: s.memory_gib }).toEqual(size ?? { vcpu: null, memoryGib: null });
        });
      }),
      { numRuns: 40, seed: 12 },
    );
  });
});
