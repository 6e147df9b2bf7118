/**
 * The analyzer contract (STYLE.md 11). An analyzer is one folder, `src/analyze/<name>/`: its zod
 * settings (`settings.ts`, under `analyzers.<name>` in the config: defaults and descriptions
 * document themselves, flags derive from them, and the SQL reads them as DuckDB variables named
 * by `modelVariables`), its models in `queries/` and its report section (`section.ts`): the
 * view its template partials `reports/partials/<name>.{html,md}.hbs` render, its keys of
 * recommendations.json, its CSV, its savings and its caveats, read from its marts through
 * typed readers. The registry (registry.ts) lists them explicitly, in report order.
 */
import type { TopLevelSpec } from "vega-lite";
import type { z } from "zod";
import type { Config } from "../config/schema.js";
import type { StoredRun } from "../store/runs.js";
import type { MartReader, TableReader } from "./marts.js";

export interface SectionInput<S> {
  /** Reads this run's marts (and `queries/report/*.sql`) with typed columns. */
  readonly marts: MartReader;
  readonly run: StoredRun;
  readonly config: Config;
  /** The analyzer's own settings, parsed (undefined for an analyzer without settings). */
  readonly settings: S;
}

/** One CSV file: columns named as the view rows' keys, written in snake_case. */
export interface CsvTable {
  file: string;
  /** `digits`: numbers written with this many decimals (else as they are). */
  columns: ReadonlyArray<{ name: string; digits?: number }>;
  rows: ReadonlyArray<Record<string, unknown>>;
}

/** Savings an analyzer found, as `summary.savingsByCategoryUsd.<category>` and a headline line. */
export interface Savings {
  category: string;
  /** How the report's headline names it ("right-sizing, after consolidation"). */
  label: string;
  /** null when none was computed; `reason` then says why. */
  monthlyUsd: number | null;
  /** What the figure covers, or why there is none ("no Fargate pods in the run"). */
  reason?: string;
  /**
   * How sure the figure is, shown beside it: `sure` (measured or billed as it is), `fairly sure`
   * (a simulation over measured history), `estimate` (rests on prices or behaviour that move).
   */
  confidence?: Confidence;
}

export type Confidence = "sure" | "fairly sure" | "estimate";

/** One thing to do, for the report's top actions: what it saves, whose it is, and the fix in a line. */
export interface Action {
  monthlyUsd: number;
  cluster: string;
  /** Whose it is: the namespace, or the node's pool for capacity. */
  owner: string;
  /** The object: `Deployment shop/api container api`, `node ip-10-0-1-2`. */
  target: string;
  /** The fix, one line. */
  fix: string;
}

export interface Section {
  /** What its template partials render (`this` inside them). */
  view: Record<string, unknown>;
  /** Vega-Lite charts, rendered to inline SVG as `charts.<key>` of the view (HTML only). */
  charts?: Record<string, TopLevelSpec | null>;
  /** Its top-level keys of recommendations.json. */
  recommendations: Record<string, unknown>;
  /** Keys it adds to recommendations.json's `summary`. */
  summary?: Record<string, unknown>;
  /** Monthly figures for the report's headline, after the cluster's cost and idle. */
  headline?: Array<{ label: string; monthlyUsd: number | null }>;
  savings?: Savings;
  /** Its actions worth money, for the report's top actions (the model ranks all sections' together). */
  actions?: Action[];
  /** Its CSV file, or files (one per table worth a spreadsheet). */
  csv?: CsvTable | readonly CsvTable[];
  /** Files of its own under the output directory (right-sizing's patches), by path segments. */
  files?: ReadonlyArray<{ path: readonly string[]; content: string }>;
  caveats: string[];
}

/** What an analyzer's compute step reads: this run's models, as built in the temp catalog. */
export interface ComputeInput<S> {
  /** Reads any staging, intermediate or mart model of this run (before the marts are kept). */
  readonly tables: TableReader;
  readonly run: StoredRun;
  readonly settings: S;
}

/**
 * A TypeScript step after the SQL models, for what SQL is the wrong tool for (bin packing): it
 * reads the run's models and returns the rows of marts of its own. Each mart's table is created
 * from `computed/<mart>.sql` (a `CREATE TEMP TABLE`) under the analyzer's `queries` directory or
 * the project's `queries/`; the rows go in with bound values, before the data tests (which may
 * check them), and the mart is kept per run like the SQL ones.
 */
export interface Compute<S> {
  /** The marts it writes, `mart_*`; each has its DDL in `computed/<mart>.sql`. */
  readonly marts: readonly string[];
  run(input: ComputeInput<S>): Promise<Record<string, ReadonlyArray<Record<string, unknown>>>>;
}

export interface Analyzer<
  N extends string = string,
  S extends z.ZodType | undefined = z.ZodType | undefined,
> {
  /** Its key under `analyzers` in the config; its folder and partials are `kebab(name)`. */
  readonly name: N;
  /** Its settings; undefined for one configured elsewhere (cost allocation reads `allocation`). */
  readonly settings: S;
  /** A directory of its own models (`intermediate/`, `marts/`), for an analyzer outside this repository. */
  readonly queries?: string;
  /** A directory holding its partials `kebab(name).{html,md}.hbs`, for one outside this repository. */
  readonly templates?: string;
  /** A step after its SQL models that writes marts of its own (rightsizing: the node re-pack). */
  readonly compute?: Compute<S extends z.ZodType ? z.output<S> : undefined>;
  section(input: SectionInput<S extends z.ZodType ? z.output<S> : undefined>): Promise<Section>;
}

/** Keeps the literal name and the settings' type, so that the config's type follows the registry. */
export function defineAnalyzer<const N extends string, S extends z.ZodType | undefined = undefined>(
  analyzer: Analyzer<N, S>,
): Analyzer<N, S> {
  return analyzer;
}

export const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
export const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const camel = (name: string): string =>
  name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A list of analyzers in report order: the product's is registry.ts's ANALYZERS. */
export type Registry = readonly Analyzer[];
