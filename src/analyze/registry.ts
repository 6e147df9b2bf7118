/**
 * The analyzers, explicitly and in report order (STYLE.md 11): the config's `analyzers` object,
 * the flags, the report's sections and recommendations.json's keys all follow this list. Nothing
 * registers itself by being imported. Tests pass a longer list (an analyzer of their own) to the
 * functions that take a registry; the product uses this one.
 */

import { autoscaling } from "./autoscaling/index.js";
import { costAllocation } from "./cost-allocation/index.js";
import { curCrosscheck } from "./cur-crosscheck/index.js";
import { fargate } from "./fargate/index.js";
import { graviton } from "./graviton/index.js";
import { idle } from "./idle/index.js";
import { offpeak } from "./offpeak/index.js";
import { reconciliation } from "./reconciliation/index.js";
import { rightsizing } from "./rightsizing/index.js";
import { spot } from "./spot/index.js";

export const ANALYZERS = [
  costAllocation,
  rightsizing,
  spot,
  fargate,
  idle,
  offpeak,
  autoscaling,
  graviton,
  reconciliation,
  curCrosscheck,
] as const;
