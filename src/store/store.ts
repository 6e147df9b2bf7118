/**
 * The DuckDB store: opens the file, applies migrations from `queries/migrations/`, loads the
 * reference data, bulk-loads rows with the appender and commits one run as one transaction.
 * A run that throws half way is rolled back; a process killed half way never committed, so
 * DuckDB's write-ahead log has nothing of it. Earlier runs stay as they were in both cases.
 * Given the run's abort signal, the store stops with it: the statement running is interrupted,
 * and every later call (COMMIT included) throws the signal's reason, so the run rolls back.
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBTimestampValue,
  type DuckDBValue,
} from "@duckdb/node-api";
import { errorMessage } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { projectPath } from "../core/paths.js";
import { checkHeader, corrupt, openError, StoreError } from "./open-checks.js";

export type Row = Record<string, unknown>;
export type Params = Record<string, DuckDBValue> | DuckDBValue[];

export interface Column {
  name: string;
  type: string;
  nullable: boolean;
}

export { StoreError };

export interface OpenOptions {
  signal?: AbortSignal | undefined;
  /** DuckDB's memory_limit (`1.5GB`); past it, operators spill to `tempDirectory`. */
  memoryLimit?: string | undefined;
  /** DuckDB's threads; default: one per core. */
  threads?: number | undefined;
  /** Where DuckDB spills; default: $TMPDIR/capacity-duckdb. */
  tempDirectory?: string | undefined;
  /** Read every table first: a file with a damaged block is refused before a run is appended. */
  verify?: boolean | undefined;
}

/**
 * The settings DuckDB starts with: without a memory_limit it takes 80 % of the machine's memory,
 * which a pod's limit does not show it, and a large analysis is OOM-killed instead of spilling.
 * The spill directory is the process's own: DuckDB names its spill files the same in every
 * process, so two runs spilling into one directory removed and read each other's files.
 */
function duckdbSettings(options: OpenOptions): Record<string, string> {
  return {
    temp_directory: options.tempDirectory ?? join(tmpdir(), "capacity-duckdb", String(process.pid)),
    ...(options.memoryLimit === undefined ? {} : { memory_limit: options.memoryLimit }),
    ...(options.threads === undefined ? {} : { threads: String(options.threads) }),
  };
}

const MIGRATIONS_DIR = projectPath("queries", "migrations");
const storeSql = (name: string): string =>
  readFileSync(projectPath("queries", "store", `${name}.sql`), "utf8");

export class Store {
  private readonly columnsCache = new Map<string, Column[]>();

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    private readonly logger: Logger,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /**
   * Opens (creating if needed) the database file and brings its schema up to date. With a
   * signal, an abort interrupts the statement running and fails every call after it. With
   * `verify`, every table is read first, so a file with a damaged block is refused before a run
   * is appended to it (open-checks.ts says what each refusal means).
   */
  static async open(path: string, logger: Logger, options: OpenOptions = {}): Promise<Store> {
    if (path !== ":memory:") {
      mkdirSync(dirname(path), { recursive: true });
      checkHeader(path);
    }
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, duckdbSettings(options));
    } catch (error) {
      throw openError(path, error);
    }
    const store = new Store(path, instance, await instance.connect(), logger, options.signal);
    try {
      await store.run("SET TimeZone = 'UTC'");
      if (options.verify) await store.verify();
      await store.migrate();
    } catch (error) {
      store.close();
      throw error;
    }
    return store;
  }

  /** Reads every column of every table: DuckDB checks each block's checksum as it reads it. */
  private async verify(): Promise<void> {
    const started = performance.now();
    let tables: Array<{ table_name: string }> = [];
    try {
      tables = await this.all<{ table_name: string }>(storeSql("user_tables"));
      for (const { table_name } of tables) {
        await this.run(storeSql("verify_table"), [table_name]);
      }
    } catch (error) {
      if (this.signal?.aborted) throw error;
      throw corrupt(this.path, error);
    }
    this.logger.debug("database verified", {
      tables: tables.length,
      seconds: Math.round(performance.now() - started) / 1000,
    });
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /**
   * Runs one statement unless the signal was aborted. An abort while it runs interrupts it, again
   * every 50 ms until it ends (an interrupt that comes before DuckDB has started the statement
   * is lost); it then throws the signal's reason rather than DuckDB's error, so callers see why.
   */
  private async checked<T>(fn: () => Promise<T>): Promise<T> {
    const signal = this.signal;
    if (!signal) return fn();
    signal.throwIfAborted();
    let repeat: NodeJS.Timeout | undefined;
    const interrupt = () => {
      this.connection.interrupt();
      repeat = setInterval(() => this.connection.interrupt(), 50);
    };
    signal.addEventListener("abort", interrupt, { once: true });
    try {
      return await fn();
    } catch (error) {
      signal.throwIfAborted();
      throw error;
    } finally {
      signal.removeEventListener("abort", interrupt);
      clearInterval(repeat);
    }
  }

  async run(sql: string, params?: Params): Promise<void> {
    await this.checked(() => this.connection.run(sql, params as never));
  }

  /** Rows as plain JS values (BIGINT → bigint, TIMESTAMP → Date, DECIMAL → number). */
  async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.checked(() => this.connection.runAndReadAll(sql, params as never));
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
    // Every migration not applied yet, not only those above the highest applied: branches take
    // numbers in parallel, so a file below it (0010 after 0012) can arrive later.
    const applied = new Set(
      (await this.all<{ version: number }>("SELECT version FROM schema_migrations")).map((r) =>
        Number(r.version),
      ),
    );
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d{4}_.+\.sql$/.test(f))
      .sort();
    for (const file of files) {
      const version = Number(file.slice(0, 4));
      if (applied.has(version)) continue;
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
      // Not through run(): an aborted run must still roll back.
      await this.connection.run("ROLLBACK");
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
   * Bulk-loads rows with the appender, a data chunk of 2048 rows at a time. Rows are objects
   * keyed by column name; `extra` fills columns every row shares (run_id). A key the table does
   * not have, a value of the wrong type or a missing required value is an error naming the
   * table, row and column; nothing of the batch is kept then (the caller's transaction rolls back).
   */
  async append(table: string, rows: readonly Row[], extra: Row = {}): Promise<number> {
    if (rows.length === 0) return 0;
    const columns = await this.columns(table);
    const known = new Set(columns.map((c) => c.name));
    for (const [index, row] of rows.entries()) {
      for (const key of Object.keys(row)) {
        if (!known.has(key))
          throw new StoreError(`${table}: row ${index} has a field ${key} the table does not have`);
      }
    }
    const appender = await this.connection.createAppender(table);
    try {
      const types = columns.map((_, i) => appender.columnType(i));
      const converters = columns.map((c) => converterFor(table, c));
      for (let offset = 0; offset < rows.length; offset += CHUNK_ROWS) {
        this.signal?.throwIfAborted();
        const batch = rows.slice(offset, offset + CHUNK_ROWS);
        const chunk = DuckDBDataChunk.create(types, batch.length);
        chunk.setColumns(
          columns.map((column, c) => {
            const convert = converters[c]!;
            const shared = column.name in extra;
            return batch.map((row, i) => convert(shared ? extra[column.name] : row[column.name], offset + i));
          }),
        );
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    return rows.length;
  }
}

const CHUNK_ROWS = 2048;
const MICROS_PER_MS = 1000n;
const MS_PER_DAY = 86_400_000;

type Converter = (value: unknown, index: number) => DuckDBValue;

/** A converter from a JS value to the column's DuckDB value, checking it on the way. */
function converterFor(table: string, column: Column): Converter {
  const fail = (index: number, message: string): never => {
    throw new StoreError(`${table}.${column.name} (row ${index}): ${message}`);
  };
  const typed =
    (fn: (value: unknown, index: number) => DuckDBValue): Converter =>
    (value, index) => {
      if (value === null || value === undefined) {
        if (!column.nullable) fail(index, "a value is required");
        return null;
      }
      return fn(value, index);
    };
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(column.type);
  if (decimal) {
    const width = Number(decimal[1]);
    const scale = Number(decimal[2]);
    return typed((v, i) => {
      const scaled = scaleDecimal(String(v), scale);
      if (scaled === null) return fail(i, `expected a decimal number, got ${String(v)}`);
      return new DuckDBDecimalValue(scaled, width, scale);
    });
  }
  switch (column.type) {
    case "VARCHAR":
      return typed((v) =>
        typeof v === "string" ? v : JSON.stringify(v, (_, x) => (typeof x === "bigint" ? x.toString() : x)),
      );
    case "DOUBLE":
      return typed((v, i) =>
        typeof v === "number" && Number.isFinite(v)
          ? v
          : fail(i, `expected a finite number, got ${String(v)}`),
      );
    case "BIGINT":
      return typed((v, i) => {
        if (typeof v === "bigint") return v;
        if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
        return fail(i, `expected an integer, got ${String(v)}`);
      });
    case "INTEGER":
      return typed((v, i) =>
        typeof v === "number" && Number.isInteger(v) && Math.abs(v) < 2 ** 31
          ? v
          : fail(i, `expected an integer, got ${String(v)}`),
      );
    case "BOOLEAN":
      return typed((v, i) =>
        typeof v === "boolean" ? v : fail(i, `expected true or false, got ${String(v)}`),
      );
    case "TIMESTAMP":
      return typed((v, i) => {
        const ms = toEpochMs(v);
        return ms === null
          ? fail(i, `expected a time, got ${String(v)}`)
          : new DuckDBTimestampValue(BigInt(ms) * MICROS_PER_MS);
      });
    case "DATE":
      return typed((v, i) => {
        const text = v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return fail(i, `expected a date (YYYY-MM-DD), got ${text}`);
        return new DuckDBDateValue(Date.parse(`${text}T00:00:00Z`) / MS_PER_DAY);
      });
    default:
      throw new StoreError(`${table}.${column.name}: the store cannot load columns of type ${column.type}`);
  }
}

/** Milliseconds since the epoch; a time without a zone is read as UTC, as everything here is. */
function toEpochMs(value: unknown): number | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value !== "string") return null;
  const text = /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value.replace(" ", "T")}Z`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * "40.3543773134" → 403543773134n at scale 10, exactly. Digits beyond the scale are rounded
 * half away from zero. Returns null for anything that is not a decimal number.
 */
export function scaleDecimal(text: string, scale: number): bigint | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || `${m[2]}${m[3] ?? ""}` === "") return null;
  const digits = `${m[2]}${m[3] ?? ""}`;
  const shift = scale - (m[3]?.length ?? 0) + Number(m[4] ?? 0);
  let value: bigint;
  if (shift >= 0) value = BigInt(digits) * 10n ** BigInt(shift);
  else {
    const divisor = 10n ** BigInt(-shift);
    value = BigInt(digits) / divisor;
    if ((BigInt(digits) % divisor) * 2n >= divisor) value += 1n;
  }
  return m[1] === "-" ? -value : value;
}
