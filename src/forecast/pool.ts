/**
 * The workloads' fits on worker threads (`node:worker_threads`): a pool sized to the cores (or
 * `forecast.workers`), batches of workloads handed to whichever worker is free. Each fit depends
 * on its own workload's history only, so the result is the same as fitting them in turn; the
 * wall time divides by the workers, the CPU time does not.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { InputError } from "../core/errors.js";
import type { DemandOptions, WorkloadFit, WorkloadHistory } from "./demand.js";
import type { FitMany } from "./index.js";
import type { EventSpec } from "./uplift.js";

export interface FitRequest {
  id: number;
  workloads: WorkloadHistory[];
  event: EventSpec;
  options: DemandOptions;
}

export type FitReply = { id: number; fits: WorkloadFit[] } | { id: number; error: string };

/** Workloads per message: small enough to balance the workers, large enough to keep messages few. */
const BATCH = 25;

/** The worker's module: the compiled `.js` beside this file, or the `.ts` through tsx in development. */
function spawn(): Worker {
  const here = import.meta.url;
  if (here.endsWith(".ts"))
    return new Worker(
      `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL("./worker.ts", here).href)}); });`,
      { eval: true },
    );
  return new Worker(new URL("./worker.js", here));
}

export interface FitPool {
  size: number;
  fitMany: FitMany;
  close(): Promise<void>;
}

/** `size` 0: one worker per core. */
export function fitPool(size = 0): FitPool {
  const workers = size > 0 ? size : Math.max(1, availableParallelism());
  const pool: Worker[] = [];
  const fitMany: FitMany = async (history, event, options) => {
    while (pool.length < Math.min(workers, Math.ceil(history.length / BATCH))) pool.push(spawn());
    const batches: WorkloadHistory[][] = [];
    for (let i = 0; i < history.length; i += BATCH) batches.push(history.slice(i, i + BATCH));
    const results: WorkloadFit[][] = new Array(batches.length);
    let next = 0;
    const run = (worker: Worker): Promise<void> =>
      new Promise((resolve, reject) => {
        const send = () => {
          if (next >= batches.length) {
            worker.off("message", onMessage);
            worker.off("error", reject);
            resolve();
            return;
          }
          const id = next++;
          worker.postMessage({ id, workloads: batches[id]!, event, options } satisfies FitRequest);
        };
        const onMessage = (reply: FitReply) => {
          if ("error" in reply) {
            worker.off("message", onMessage);
            reject(new InputError(`forecast batch ${reply.id}`, "fit", reply.error));
            return;
          }
          results[reply.id] = reply.fits;
          send();
        };
        worker.on("message", onMessage);
        worker.once("error", reject);
        send();
      });
    await Promise.all(pool.map(run));
    return results.flat();
  };
  return {
    size: workers,
    fitMany,
    async close() {
      await Promise.all(pool.splice(0).map((w) => w.terminate()));
    },
  };
}
