/**
 * The DuckDB store: opens the file, applies migrations from `queries/migrations/`, loads the
 * reference data, bulk-loads rows with the appender and commits one run as one transaction.
 * A run that throws half way is rolled back; a process killed half way never committed, so
 * DuckDB's write-ahead log has nothing of it. Earlier runs stay as they were in both cases.
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from "@duckdb/node-api";
import { CapacityError, errorMessage } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { projectPath } from "../core/paths.js";

export type Row = Record<string, unknown>;
export type Params = Record<string, DuckDBValue> | DuckDBValue[];

export interface Column {
  name: string;
  type: string;
  nullable: boolean;
}

export class StoreError extends CapacityError {}

const MIGRATIONS_DIR = projectPath("queries", "migrations");

export class Store {
  private readonly columnsCache = new Map<string, Column[]>();

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    private readonly logger: Logger,
  ) {}

  /** Opens (creating if needed) the database file and brings its schema up to date. */
  static async open(path: string, logger: Logger): Promise<Store> {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path);
    } catch (error) {
      throw new StoreError(`cannot open the database ${path}: ${errorMessage(error)}`, {
        hint: "is another capacity process using it? DuckDB allows one writer at a time",
      });
    }
    const store = new Store(path, instance, await instance.connect(), logger);
    await store.run("SET TimeZone = 'UTC'");
    await store.migrate();
    return store;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  async run(sql: string, params?: Params): Promise<void> {
    await this.connection.run(sql, params as never);
  }

  /** Rows as plain JS values (BIGINT → bigint, TIMESTAMP → Date, DECIMAL → number). */
  async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params as never);
    return reader.getRowObjectsJS() as T[];
  }

  async one<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async setVariables(vars: Record<string, string | number | boolean | null>): Promise<void> {
    for (const [name, value] of Object.entries(vars)) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new StoreError(`bad variable name ${name}`);
      await this.run(`SET VARIABLE ${name} = $1`, [value]);
    }
  }

  async schemaVersion(): Promise<number> {
    const row = await this.one<{ v: number | null }>("SELECT max(version) AS v FROM schema_migrations");
    return row?.v ?? 0;
  }

  private async migrate(): Promise<void> {
    await this.run(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)",
    );
    const current = await this.schemaVersion();
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d{4}_.+\.sql$/.test(f))
      .sort();
    for (const file of files) {
      const version = Number(file.slice(0, 4));
      if (version <= current) continue;
      await this.transaction(async () => {
        await this.run(readFileSync(`${MIGRATIONS_DIR}/${file}`, "utf8"));
        await this.run("INSERT INTO schema_migrations VALUES ($1, $2, now()::TIMESTAMP)", [version, file]);
      }).catch((error: unknown) => {
        throw new StoreError(`migration ${file} failed on ${this.path}: ${errorMessage(error)}`);
      });
      this.logger.debug("applied migration", { file });
    }
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.run("BEGIN TRANSACTION");
    try {
      const result = await fn();
      await this.run("COMMIT");
      return result;
    } catch (error) {
      await this.run("ROLLBACK");
      throw error;
    }
  }

  async columns(table: string): Promise<Column[]> {
    const cached = this.columnsCache.get(table);
    if (cached) return cached;
    const rows = await this.all<{ column_name: string; data_type: string; is_nullable: string }>(
      "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position",
      [table],
    );
    if (rows.length === 0) throw new StoreError(`no table named ${table}`);
    const columns = rows.map((r) => ({
      name: r.column_name,
      type: r.data_type,
      nullable: r.is_nullable === "YES",
    }));
    this.columnsCache.set(table, columns);
    return columns;
  }

  /**
   * Bulk-loads rows with the appender. Rows are objects keyed by column name; `extra` fills
   * columns every row shares (run_id). A key the table does not have, a value of the wrong
   * type or a missing required value is an error naming the table, row and column.
   */
  async append(table: string, rows: readonly Row[], extra: Row = {}): Promise<number> {
    if (rows.length === 0) return 0;
    const columns = await this.columns(table);
    const known = new Set(columns.map((c) => c.name));
    const appender = await this.connection.createAppender(table);
    let index = 0;
    try {
      for (const row of rows) {
        for (const key of Object.keys(row)) {
          if (!known.has(key))
            throw new StoreError(`${table}: row ${index} has a field ${key} the table does not have`);
        }
        for (const column of columns) {
          const value = column.name in extra ? extra[column.name] : row[column.name];
          appendValue(appender, table, column, value, index);
        }
        appender.endRow();
        index++;
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    return rows.length;
  }
}

type Appender = Awaited<ReturnType<DuckDBConnection["createAppender"]>>;

function appendValue(appender: Appender, table: string, column: Column, value: unknown, index: number): void {
  const where = () => `${table}.${column.name} (row ${index})`;
  if (value === null || value === undefined) {
    if (!column.nullable) throw new StoreError(`${where()}: a value is required`);
    appender.appendNull();
    return;
  }
  switch (column.type) {
    case "VARCHAR":
      appender.appendVarchar(typeof value === "string" ? value : JSON.stringify(value));
      return;
    case "DOUBLE":
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new StoreError(`${where()}: expected a finite number, got ${String(value)}`);
      }
      appender.appendDouble(value);
      return;
    case "BIGINT":
      if (typeof value === "bigint") appender.appendBigInt(value);
      else if (typeof value === "number" && Number.isSafeInteger(value)) appender.appendBigInt(BigInt(value));
      else throw new StoreError(`${where()}: expected an integer, got ${String(value)}`);
      return;
    case "INTEGER":
      if (typeof value !== "number" || !Number.isInteger(value)) {
        throw new StoreError(`${where()}: expected an integer, got ${String(value)}`);
      }
      appender.appendInteger(value);
      return;
    case "BOOLEAN":
      if (typeof value !== "boolean")
        throw new StoreError(`${where()}: expected true or false, got ${String(value)}`);
      appender.appendBoolean(value);
      return;
    default:
      // TIMESTAMP, DATE, DECIMAL: DuckDB casts the text exactly (decimals keep every digit).
      appender.appendVarchar(value instanceof Date ? value.toISOString() : String(value));
  }
}
