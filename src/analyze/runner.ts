/**
 * A small model runner (STYLE.md 9): finds `queries/{staging,intermediate,marts}/**\/*.sql`,
 * reads which models each one references, orders them, and reports cycles, missing models and
 * references that point up the layers with their file paths before running anything. Staging
 * and intermediate models become views (an intermediate whose first line is
 * `-- materialized: table` becomes a table), marts become tables, all in the temp catalog. Then
 * the data tests `queries/tests/assert_*.sql` run, each of which must return no rows, and
 * history.ts keeps the marts under the run's id. Models may come from several roots (the
 * project's `queries/` and an analyzer's own directory).
 * Rules several models share are DuckDB macros in `queries/macros/*.sql`, created before the
 * models (see `discoverMacros`).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { Progress } from "../core/context.js";
import { errorMessage, QueryError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { projectPath } from "../core/paths.js";
import type { Store } from "../store/store.js";

export const LAYERS = ["staging", "intermediate", "marts"] as const;
export type Layer = (typeof LAYERS)[number];

const PREFIX: Record<Layer, string> = { staging: "stg_", intermediate: "int_", marts: "mart_" };
const MODEL_NAME = /\b((?:stg|int|mart)_[a-z0-9_]+)\b/g;

export interface Model {
  name: string;
  layer: Layer;
  /** Path relative to the project root, for messages. */
  file: string;
  sql: string;
  refs: string[];
  /**
   * Marts are tables; staging and intermediate models are views, unless the file starts with
   * `-- materialized: table` (an intermediate that several marts read, worth computing once).
   */
  materialized: "view" | "table";
}

export interface DataTest {
  name: string;
  file: string;
  sql: string;
}

function sqlFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.sort().flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sqlFiles(path) : path.endsWith(".sql") ? [path] : [];
  });
}

/** Drops comments and string literals, so that a name in either is not read as a reference. */
export function codeOnly(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, " ")
    .replace(/\/\*[\s\S]*?\*\//g, " ")
    .replace(/'(?:[^']|'')*'/g, "''");
}

export function discoverModels(root = projectPath("queries"), ...extraRoots: string[]): Model[] {
  if (extraRoots.length > 0) return [root, ...extraRoots].flatMap((r) => discoverModels(r));
  const models: Model[] = [];
  for (const layer of LAYERS) {
    for (const path of sqlFiles(join(root, layer))) {
      const name = path.slice(path.lastIndexOf("/") + 1, -".sql".length);
      const file = relative(join(root, ".."), path);
      if (!name.startsWith(PREFIX[layer])) {
        throw new QueryError(name, file, `a model in ${layer}/ must be named ${PREFIX[layer]}…`);
      }
      const sql = readFileSync(path, "utf8").trim().replace(/;\s*$/, "");
      const refs = [...new Set([...codeOnly(sql).matchAll(MODEL_NAME)].map((m) => m[1]!))].filter(
        (r) => r !== name,
      );
      const materialized =
        layer === "marts" || /^-- materialized: table\s*$/m.test(sql.split("\n")[0] ?? "") ? "table" : "view";
      models.push({ name, layer, file, sql, refs, materialized });
    }
  }
  return models;
}

/**
 * A file of `queries/macros/`: one or more `CREATE OR REPLACE TEMP MACRO name(…) AS …` statements,
 * run verbatim before the models. Macros are not models: a model calling one is not a reference,
 * and a macro may read only reference tables (`ref_*`, loaded before the run), never a model,
 * because it is bound when it is created, before any model exists.
 */
export interface Macro {
  /** The file's name without `.sql`, for messages. */
  name: string;
  file: string;
  sql: string;
  /** The macros the file defines. */
  defines: string[];
}

const MACRO_DEFINITION = /\bcreate\s+or\s+replace\s+temp(?:orary)?\s+macro\s+([a-z0-9_]+)/gi;

export function discoverMacros(root = projectPath("queries")): Macro[] {
  return sqlFiles(join(root, "macros")).map((path) => {
    const name = path.slice(path.lastIndexOf("/") + 1, -".sql".length);
    const file = relative(join(root, ".."), path);
    const sql = readFileSync(path, "utf8");
    const code = codeOnly(sql);
    const defines = [...code.matchAll(MACRO_DEFINITION)].map((m) => m[1]!.toLowerCase());
    if (defines.length === 0)
      throw new QueryError(
        name,
        file,
        "a file in macros/ must define macros (CREATE OR REPLACE TEMP MACRO …)",
      );
    const clash = defines.find((d) => /^(?:stg|int|mart)_/.test(d));
    if (clash)
      throw new QueryError(name, file, `the macro ${clash} is named like a model (stg_, int_, mart_)`);
    const model = code.match(MODEL_NAME)?.[0];
    if (model) {
      throw new QueryError(
        name,
        file,
        `a macro cannot read the model ${model}: it is created before the models; pass the values as arguments`,
      );
    }
    return { name, file, sql, defines };
  });
}

/** Creates the macros in the connection's temp catalog; a failure names the macro file. */
export async function runMacros(store: Store, macros: readonly Macro[]): Promise<void> {
  const seen = new Map<string, string>();
  for (const macro of macros) {
    for (const name of macro.defines) {
      const other = seen.get(name);
      if (other)
        throw new QueryError(macro.name, macro.file, `the macro ${name} is also defined in ${other}`);
      seen.set(name, macro.file);
    }
  }
  for (const macro of macros) {
    try {
      await store.run(macro.sql);
    } catch (error) {
      throw new QueryError(macro.name, macro.file, errorMessage(error), error);
    }
  }
}

export function discoverTests(root = projectPath("queries")): DataTest[] {
  return sqlFiles(join(root, "tests"))
    .filter((path) => /\/assert_[^/]+\.sql$/.test(path))
    .map((path) => ({
      name: path.slice(path.lastIndexOf("/") + 1, -".sql".length),
      file: relative(join(root, ".."), path),
      sql: readFileSync(path, "utf8").trim().replace(/;\s*$/, ""),
    }));
}

/** Orders models so that each comes after everything it references; throws on any problem. */
export function planModels(models: readonly Model[]): Model[] {
  const byName = new Map<string, Model>();
  for (const model of models) {
    const other = byName.get(model.name);
    if (other)
      throw new QueryError(model.name, model.file, `the same model name is also defined in ${other.file}`);
    byName.set(model.name, model);
  }
  for (const model of models) {
    for (const ref of model.refs) {
      const target = byName.get(ref);
      if (!target)
        throw new QueryError(model.name, model.file, `references ${ref}, which no file in queries/ defines`);
      if (LAYERS.indexOf(target.layer) > LAYERS.indexOf(model.layer)) {
        throw new QueryError(
          model.name,
          model.file,
          `a ${model.layer} model cannot read the ${target.layer} model ${ref} (${target.file})`,
        );
      }
    }
  }
  const ordered: Model[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (model: Model, path: Model[]): void => {
    const seen = state.get(model.name);
    if (seen === "done") return;
    if (seen === "visiting") {
      const cycle = [...path.slice(path.findIndex((m) => m.name === model.name)), model];
      throw new QueryError(
        model.name,
        model.file,
        `reference cycle: ${cycle.map((m) => `${m.name} (${m.file})`).join(" → ")}`,
      );
    }
    state.set(model.name, "visiting");
    for (const ref of model.refs) visit(byName.get(ref)!, [...path, model]);
    state.set(model.name, "done");
    ordered.push(model);
  };
  for (const model of [...models].sort((a, b) => LAYERS.indexOf(a.layer) - LAYERS.indexOf(b.layer)))
    visit(model, []);
  return ordered;
}

export interface TestFailure {
  test: string;
  file: string;
  rows: number;
  sample: Array<Record<string, unknown>>;
}

/**
 * How a model is built in the connection's temp catalog: a materialized intermediate (first
 * line `-- materialized: table`) and every mart as a TEMP table, computed once for this run;
 * other staging and intermediate models as TEMP views. Nothing here touches the file, so it
 * runs outside a transaction (reading TEMP tables created inside one is 2–3× slower in DuckDB).
 */
export function creationKinds(plan: readonly Model[]): Map<string, string> {
  return new Map(
    plan.map((m) => [m.name, m.layer === "marts" || m.materialized === "table" ? "TEMP TABLE" : "TEMP VIEW"]),
  );
}

/**
 * Builds every model in the temp catalog: the marts as TEMP tables, which the data tests then
 * read and keepMarts (history.ts) writes to the file under the run's id. Nothing here touches
 * the file; a model that fails drops the marts built before it, so they shadow nothing.
 */
export async function runModels(
  store: Store,
  plan: readonly Model[],
  logger: Logger,
  macros: readonly Macro[] = [],
  progress?: Progress,
): Promise<void> {
  await runMacros(store, macros);
  const kinds = creationKinds(plan);
  // Models never rely on row order (readers ORDER BY); not keeping it lets DuckDB build the
  // hourly-grain tables in parallel with less memory.
  await store.run("SET preserve_insertion_order = false");
  const builtMarts: string[] = [];
  for (const model of plan) {
    const step = startStep();
    try {
      // Model names are file names checked against /[a-z0-9_]+/ by MODEL_NAME above.
      await store.run(`CREATE OR REPLACE ${kinds.get(model.name)} ${model.name} AS\n${model.sql}`);
    } catch (error) {
      for (const name of builtMarts.reverse()) await store.run(`DROP TABLE IF EXISTS temp.main.${name}`);
      throw new QueryError(model.name, model.file, errorMessage(error), error);
    }
    if (model.layer === "marts") builtMarts.push(model.name);
    logger.debug("model built", { model: model.name, ...step() });
    progress?.update("models", plan.indexOf(model) + 1, plan.length);
  }
  progress?.end("models");
}

/**
 * What one step cost, for the debug log lines (`--log.level debug`) that profile a run: wall
 * ms, CPU ms of every thread of the process (DuckDB's included) and the resident set after it.
 */
export function startStep(): () => { ms: number; cpuMs: number; rssMb: number } {
  const started = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return {
      ms: Math.round(performance.now() - started),
      cpuMs: Math.round((used.user + used.system) / 1000),
      rssMb: Math.round(process.memoryUsage.rss() / 2 ** 20),
    };
  };
}

export async function runDataTests(store: Store, tests: readonly DataTest[]): Promise<TestFailure[]> {
  const failures: TestFailure[] = [];
  for (const test of tests) {
    let rows: Array<Record<string, unknown>>;
    try {
      rows = await store.all(test.sql);
    } catch (error) {
      throw new QueryError(test.name, test.file, errorMessage(error), error);
    }
    if (rows.length > 0)
      failures.push({ test: test.name, file: test.file, rows: rows.length, sample: rows.slice(0, 5) });
  }
  return failures;
}
