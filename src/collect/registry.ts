/**
 * Every source, in the order a cluster is collected: Kubernetes first (its nodes tell the AWS
 * sources the region, instance types and zones), pricing last. Adding a source = a folder with
 * its source.ts and tables.ts, and one entry here.
 */
import { costExplorer } from "./cost-explorer/source.js";
import { cur } from "./cur/source.js";
import { eks } from "./eks/source.js";
import { kubernetes } from "./kubernetes/source.js";
import { pricing } from "./pricing/source.js";
import { prometheus } from "./prometheus/source.js";
import type { Collected, Skipped, Source } from "./source.js";
import { spotHistory } from "./spot-history/source.js";

export const SOURCES = [
  kubernetes,
  eks,
  prometheus,
  costExplorer,
  cur,
  spotHistory,
  pricing,
] as const satisfies ReadonlyArray<Source<Collected | Skipped>>;
