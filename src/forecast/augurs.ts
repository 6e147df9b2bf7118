/**
 * MSTL (seasonal-trend decomposition with several periods; AutoETS on the trend) from augurs, a
 * Rust library compiled to WebAssembly. Its JS module does not find its `.wasm` file in Node by
 * itself (it would `fetch` a file URL), so the bytes are read from the package and handed to its
 * initialiser. Loaded on first use, once per process: commands that never forecast never load it.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { IntervalForecast } from "./naive.js";

export interface MstlFitter {
  /**
   * Fits MSTL with the given periods to the values (NaN = a gap, imputed by augurs) and forecasts
   * `horizon` hours with a two-sided interval at `level`.
   */
  forecast(
    values: readonly number[],
    periods: readonly number[],
    horizon: number,
    level: number,
  ): IntervalForecast;
}

type MstlModule = typeof import("@bsull/augurs/mstl");

let loading: Promise<MstlFitter> | undefined;

/** The MSTL fitter, its WebAssembly compiled on the first call. */
export function loadMstl(): Promise<MstlFitter> {
  loading ??= (async () => {
    const module: MstlModule = await import("@bsull/augurs/mstl");
    const path = createRequire(import.meta.url)
      .resolve("@bsull/augurs/mstl")
      .replace(/mstl\.js$/, "mstl_bg.wasm");
    await module.default({ module_or_path: await readFile(path) });
    return fitterOf(module);
  })();
  return loading;
}

function fitterOf(module: MstlModule): MstlFitter {
  return {
    forecast(values, periods, horizon, level) {
      const gaps = values.some((v) => Number.isNaN(v));
      const model = module.MSTL.ets([...periods], { impute: gaps });
      try {
        model.fit(Float64Array.from(values));
        const f = model.predict(horizon, level);
        return {
          point: f.point,
          lower: f.intervals?.lower ?? f.point.map(() => Number.NaN),
          upper: f.intervals?.upper ?? f.point.map(() => Number.NaN),
          level,
        };
      } finally {
        model.free();
      }
    },
  };
}
