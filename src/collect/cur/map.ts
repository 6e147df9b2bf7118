/**
 * Pure rules of the CUR 2.0 collector: where an export keeps a month (Data Exports delivers
 * `<prefix>/<export-name>/data/BILLING_PERIOD=YYYY-MM/…parquet`), which months a window touches,
 * and which columns an object must have to be read (AWS's CUR 2.0 data dictionary, verified in
 * data/reference/cur2-split-columns.md).
 */

/** `s3://bucket/prefix/` → bucket and key prefix (no leading slash; a trailing one kept when given). */
export function parseExportUri(uri: string): { bucket: string; prefix: string } | undefined {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!match) return undefined;
  const prefix = (match[2] ?? "").replace(/^\/+/, "");
  return { bucket: match[1]!, prefix: prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/` };
}

/** The billing periods (`YYYY-MM`, UTC) of the window [start, end). */
export function billingPeriods(start: Date, end: Date): string[] {
  const periods: string[] = [];
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth();
  while (Date.UTC(year, month, 1) < end.getTime()) {
    periods.push(`${year}-${String(month + 1).padStart(2, "0")}`);
    month++;
    if (month === 12) {
      month = 0;
      year++;
    }
  }
  return periods;
}

/** The billing period of an export's data object, or undefined for anything else (metadata, other files). */
export function periodOfKey(key: string): string | undefined {
  const match = /(?:^|\/)BILLING_PERIOD=(\d{4}-\d{2})\/[^/]*\.parquet$/.exec(key);
  return match?.[1];
}

/** The data objects of the window's billing periods among an export's keys, in key order. */
export function objectsOfWindow(keys: readonly string[], periods: readonly string[]): string[] {
  const wanted = new Set(periods);
  return keys.filter((k) => wanted.has(periodOfKey(k) ?? "")).sort();
}

/**
 * The columns load_cur_split.sql reads that every CUR 2.0 export with split cost allocation data
 * has (`INCLUDE_SPLIT_COST_ALLOCATION_DATA`, `INCLUDE_RESOURCES`). The net columns come only in a
 * billing period with a discount and are read when present.
 */
export const REQUIRED_COLUMNS = [
  "line_item_usage_start_date",
  "line_item_usage_type",
  "line_item_resource_id",
  "resource_tags",
  "split_line_item_parent_resource_id",
  "split_line_item_split_usage",
  "split_line_item_split_usage_ratio",
  "split_line_item_reserved_usage",
  "split_line_item_actual_usage",
  "split_line_item_split_cost",
  "split_line_item_unused_cost",
] as const;

/** The required columns an object lacks. */
export const missingColumns = (present: readonly string[], required: readonly string[]): string[] =>
  required.filter((c) => !present.includes(c));
