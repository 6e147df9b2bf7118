/**
 * A worker thread of the fitting pool (`pool.ts`): it loads augurs' MSTL once, then fits each batch
 * of workloads it is sent and posts the fits back. Nothing here but the fits: the workloads are
 * independent of each other, so the results are those one thread would compute.
 */
import { parentPort } from "node:worker_threads";
import { loadMstl } from "./augurs.js";
import { fitWorkload } from "./demand.js";
import type { FitReply, FitRequest } from "./pool.js";

const port = parentPort;
if (port) {
  port.on("message", (request: FitRequest) => {
    loadMstl()
      .then((fitter) => {
        const fits = request.workloads.map((w) => fitWorkload(w, request.event, request.options, fitter));
        port.postMessage({ id: request.id, fits } satisfies FitReply);
      })
      .catch((error: unknown) => {
        port.postMessage({
          id: request.id,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        } satisfies FitReply);
      });
  });
}
