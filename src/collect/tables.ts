/**
 * What every source's tables.ts is made of: row types whose keys are a table's columns (except
 * `run_id`, which the run adds), and the column list of each, checked against its row type at
 * compile time (exactly its keys, no more, no fewer) and against the migration by a test.
 */

/** A column holding JSON: the store serialises the value. */
export type Json = unknown;
/** A TIMESTAMP column: an ISO 8601 string or a Date (UTC). */
export type Timestamp = string | Date;
/** A BIGINT column: a bigint when it may exceed 2^53 (bytes), else a number. */
export type Integer = bigint | number;
/** A DECIMAL column: its exact decimal text, or a number. */
export type Decimal = string | number;

type Exhaustive<Row, Keys extends readonly PropertyKey[]> = [Exclude<keyof Row, Keys[number]>] extends [never]
  ? Keys
  : { missing: Exclude<keyof Row, Keys[number]> };

/** The column list of a row type: every key of `Row`, each once, in the table's order. */
export const columns =
  <Row>() =>
  <const Keys extends ReadonlyArray<keyof Row & string>>(keys: Exhaustive<Row, Keys>): Keys =>
    keys as Keys;

/** A table's name and columns, as every source's tables.ts lists them. */
export type TableColumns = Readonly<Record<string, readonly string[]>>;
