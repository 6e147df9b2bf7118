/**
 * Typed mart readers. A reader names the columns it needs and their kind; it gets back rows keyed
 * by the columns' camelCase names (`monthly_cost_usd` → `monthlyCostUsd`: one name per figure,
 * mapped mechanically). A mart or column that is not there is an error naming them, never a
 * zero; a NULL in a column not declared nullable (`"number?"`) is an error naming the mart,
 * column and row. Marts are read for one run (`WHERE run_id = $run`); what is not a mart is a
 * `queries/report/*.sql` file, run with the run's id bound as `$run_id`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CapacityError, errorMessage } from "../core/errors.js";
import { projectPath } from "../core/paths.js";
import type { Store } from "../store/store.js";
import { camel } from "./analyzer.js";

export class MartError extends CapacityError {}

type BaseKind = "string" | "number" | "boolean" | "date" | "timestamp" | "strings";
/** A column's kind; a trailing `?` allows NULL. `date` reads as `YYYY-MM-DD`, `timestamp` as ISO 8601. */
export type Kind = BaseKind | `${BaseKind}?`;
export type Columns = Readonly<Record<string, Kind>>;

type Camel<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
type Value<K extends Kind> = K extends `${infer B}?`
  ? Value<B & Kind> | null
  : K extends "number"
    ? number
    : K extends "boolean"
      ? boolean
      : K extends "strings"
        ? string[]
        : string;
export type RowOf<C extends Columns> = { -readonly [K in keyof C & string as Camel<K>]: Value<C[K]> };

/** ORDER BY a column, optionally by its absolute value, rounded (money: ties stay ordered by the next key). */
export type Order<C extends Columns> =
  | (keyof C & string)
  | { column: keyof C & string; desc?: boolean; round?: number; abs?: boolean };

export interface MartReader {
  readonly runId: string;
  /** Rows of `mart` for the run, with the columns named. */
  read<C extends Columns>(
    mart: string,
    columns: C,
    orderBy?: ReadonlyArray<Order<C>>,
  ): Promise<Array<RowOf<C>>>;
  /** Rows of `queries/report/<name>.sql` run with `$run_id` bound. */
  query<C extends Columns>(name: string, columns: C): Promise<Array<RowOf<C>>>;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

function orderSql<C extends Columns>(order: Order<C>): string {
  if (typeof order === "string") return quote(order);
  let sql = quote(order.column);
  if (order.abs) sql = `abs(${sql})`;
  if (order.round !== undefined) sql = `round(${sql}, ${Math.trunc(order.round)})`;
  return order.desc ? `${sql} DESC` : sql;
}

function convert(kind: BaseKind, value: unknown, where: () => string): unknown {
  switch (kind) {
    case "number": {
      const n = typeof value === "bigint" || typeof value === "number" ? Number(value) : Number.NaN;
      if (!Number.isFinite(n)) throw new MartError(`${where()} is ${String(value)}, not a number`);
      return n;
    }
    case "boolean":
      if (typeof value !== "boolean") throw new MartError(`${where()} is ${String(value)}, not a boolean`);
      return value;
    case "date":
    case "timestamp": {
      const iso = value instanceof Date ? value.toISOString() : typeof value === "string" ? value : null;
      if (iso === null) throw new MartError(`${where()} is ${String(value)}, not a date`);
      return kind === "date" ? iso.slice(0, 10) : iso;
    }
    case "strings":
      if (!Array.isArray(value)) throw new MartError(`${where()} is ${String(value)}, not a list`);
      return value.map(String);
    default:
      if (typeof value !== "string") throw new MartError(`${where()} is ${String(value)}, not text`);
      return value;
  }
}

/** Every declared column must be there: a renamed or removed one is an error, never a zero. */
function checkColumns(source: string, available: readonly string[], columns: Columns): void {
  const have = new Set(available);
  for (const column of Object.keys(columns)) {
    if (!have.has(column)) {
      throw new MartError(`${source} has no column ${column} (renamed or removed?)`, {
        hint: "the models and the report disagree: this is a bug in capacity, or the run was analyzed by another version (run `capacity analyze` again)",
      });
    }
  }
}

/** Picks and converts the declared columns of raw rows; `source` names the mart or query in errors. */
export function typedRows<C extends Columns>(
  source: string,
  available: readonly string[],
  columns: C,
  rows: ReadonlyArray<Record<string, unknown>>,
): Array<RowOf<C>> {
  checkColumns(source, available, columns);
  const spec = Object.entries(columns).map(([name, kind]) => ({
    name,
    key: camel(name),
    base: kind.replace(/\?$/, "") as BaseKind,
    nullable: kind.endsWith("?"),
  }));
  return rows.map((row, i) => {
    const out: Record<string, unknown> = {};
    for (const c of spec) {
      const value = row[c.name];
      const where = () => `${source}.${c.name} in row ${i + 1} (${rowLabel(row)})`;
      if (value === null || value === undefined) {
        if (!c.nullable) throw new MartError(`${where()} is NULL, and the report needs a value there`);
        out[c.key] = null;
      } else out[c.key] = convert(c.base, value, where);
    }
    return out as RowOf<C>;
  });
}

/** The row's first few text values, enough to find it. */
function rowLabel(row: Record<string, unknown>): string {
  return Object.entries(row)
    .filter(([k, v]) => typeof v === "string" && k !== "run_id")
    .slice(0, 4)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(", ");
}

/** Reads the models of the run being analyzed, in the temp catalog (for an analyzer's compute step). */
export interface TableReader {
  read<C extends Columns>(
    model: string,
    columns: C,
    orderBy?: ReadonlyArray<Order<C>>,
  ): Promise<Array<RowOf<C>>>;
}

export function tableReader(store: Store): TableReader {
  return {
    async read(model, columns, orderBy = []) {
      const available = (
        await store.all<{ name: string }>(
          "SELECT column_name AS name FROM information_schema.columns WHERE table_catalog = 'temp' AND table_schema = 'main' AND table_name = $1",
          [model],
        )
      ).map((c) => c.name);
      if (available.length === 0) throw new MartError(`this run has no model ${model}`);
      checkColumns(model, available, columns);
      // The model and column names were checked against the catalog.
      const order = orderBy.map(orderSql).join(", ");
      const rows = await store.all<Record<string, unknown>>(
        `SELECT * FROM temp.main.${quote(model)}${order ? ` ORDER BY ${order}` : ""}`,
      );
      return typedRows(model, available, columns, rows);
    },
  };
}

export function martReader(
  store: Store,
  runId: string,
  reportQueries: string = projectPath("queries", "report"),
): MartReader {
  let catalog: string | undefined;
  const database = async () => {
    catalog ??= (await store.one<{ db: string }>("SELECT current_database() AS db"))?.db ?? "memory";
    return catalog;
  };
  return {
    runId,
    async read(mart, columns, orderBy = []) {
      const db = await database();
      const available = (
        await store.all<{ name: string }>(
          "SELECT column_name AS name FROM information_schema.columns WHERE table_catalog = $1 AND table_schema = 'main' AND table_name = $2",
          [db, mart],
        )
      ).map((c) => c.name);
      if (available.length === 0) {
        throw new MartError(`the database has no mart ${mart}`, {
          hint: "run `capacity analyze` with this version of capacity",
        });
      }
      checkColumns(mart, available, columns);
      // Mart and column names were checked against the catalog; the run id is bound.
      const order = orderBy.map(orderSql).join(", ");
      const rows = await store.all<Record<string, unknown>>(
        `SELECT * FROM ${quote(db)}.main.${quote(mart)} WHERE run_id = $1${order ? ` ORDER BY ${order}` : ""}`,
        [runId],
      );
      return typedRows(mart, available, columns, rows);
    },
    async query(name, columns) {
      const file = join(reportQueries, `${name}.sql`);
      const sql = readFileSync(file, "utf8").trim().replace(/;\s*$/, "");
      let reader: Awaited<ReturnType<Store["connection"]["runAndReadAll"]>>;
      try {
        reader = await store.connection.runAndReadAll(sql, { run_id: runId });
      } catch (error) {
        throw new MartError(`queries/report/${name}.sql failed: ${errorMessage(error)}`);
      }
      return typedRows(
        `queries/report/${name}.sql`,
        reader.columnNames(),
        columns,
        reader.getRowObjectsJS() as Array<Record<string, unknown>>,
      );
    },
  };
}
