/**
 * What `capacity forecast --event sale` needs of the demo: four weeks of history, not the demo's
 * two. `data/demo-history/` is the run before the demo's (2026-10-19 to 2026-11-02, its own seed),
 * with a 3× sale on Friday 30 October (08:00–22:00 UTC, two hours of ramp at 2× each side) like
 * the demo's sale of 13 November; collected before `data/demo/`, the database holds 28 days of
 * hourly demand over two runs. Its `forecast.yaml` names the coming sale (Friday 27 November),
 * measures its uplift on the 13 November sale and checks the forecast on that sale with the uplift
 * of 30 October. Planted for the forecast to find (in the demo itself): `shop/cart`'s HPA
 * (maxReplicas 5, catalog.ts) and the `general-od` node group's max size (24, nodes.ts), both too
 * small for the sale with the growth the event expects.
 */
import { DEMO_SEED, type DemoBundle, type DemoInputs, type DemoPeriod, generateDemo } from "./generate.js";

export const HISTORY_PERIOD: DemoPeriod = {
  window: { start: "2026-10-19T00:00:00Z", end: "2026-11-02T00:00:00Z" },
  sales: [{ start: "2026-10-30T08:00:00Z", end: "2026-10-30T22:00:00Z" }],
};

export const HISTORY_SEED = DEMO_SEED + 1;

/** The demo's forecast config: the coming sale, the past one to measure it on, an earlier one to check it on. */
export const FORECAST_CONFIG = `# capacity forecast --event sale on the demo (see docs/forecast.md): collect data/demo-history,
# then data/demo, into one database, and forecast from it with this file as --config.
events:
  sale:
    start: 2026-11-27T08:00Z
    end: 2026-11-27T22:00Z
    pastEvent: { start: 2026-11-13T08:00Z, end: 2026-11-13T22:00Z }
    earlierEvents:
      - { start: 2026-10-30T08:00Z, end: 2026-10-30T22:00Z }
    # The shop expects 10 % more customers than at the last sale.
    growth: 1.1
`;

/** The earlier run's bundle, and the forecast config beside it. */
export function historyBundle(inputs: DemoInputs): DemoBundle {
  const bundle = generateDemo({ ...inputs, seed: HISTORY_SEED }, HISTORY_PERIOD);
  bundle.files.set("forecast.yaml", FORECAST_CONFIG);
  return bundle;
}
