/**
 * Rows on stdout, in the format `-o` names: `table` (kubectl's plain columns, fitted to 120
 * characters), `wide` (every column), `json` and `yaml` (the rows as recommendations.json has
 * them, with what the output covers), `csv` (RFC 4180, formula cells defused as in the report's
 * CSV) and `markdown`. Text from the cluster is escaped for where it goes: on a terminal every
 * control character (ANSI escapes included) is shown as `\u001B`, never interpreted.
 */
import { escapeControls } from "../core/text.js";
import { cell } from "../report/format.js";
import type { Row, ScopeNote } from "../services/view.js";

export const OUTPUT_FORMATS = ["table", "wide", "json", "yaml", "csv", "markdown"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

type Cell = string | number | boolean | null;

/** A row's leaves under dotted names (`current.cpuRequestCores`); a list of texts joined by "; ". */
export function flatten(row: Row, prefix = ""): Record<string, Cell> {
  const out: Record<string, Cell> = {};
  for (const [key, value] of Object.entries(row)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object" && !Array.isArray(value))
      Object.assign(out, flatten(value as Row, name));
    else if (Array.isArray(value))
      out[name] = value.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join("; ");
    else if (typeof value === "bigint") out[name] = Number(value);
    else out[name] = (value ?? null) as Cell;
  }
  return out;
}

/** Columns a narrow table shows, in this order, when a table has them. */
const FIRST = [
  "cluster",
  "namespace",
  "workloadKind",
  "workloadName",
  "container",
  "pod",
  "kind",
  "name",
  "date",
  "capacityPool",
  "source",
  "status",
  "spotReady",
  "rows",
  "monthlyCostUsd",
  "monthlySavingsUsd",
  "monthlyUsd",
  "modeledUsd",
  "billedUsd",
  "gapUsd",
  "reason",
];

/** Which of them go first when 120 characters cannot hold them all. */
const PRIORITY = [
  "workloadName",
  "name",
  "pod",
  "date",
  "capacityPool",
  "source",
  "namespace",
  "monthlyCostUsd",
  "monthlySavingsUsd",
  "monthlyUsd",
  "modeledUsd",
  "billedUsd",
  "gapUsd",
  "status",
  "spotReady",
  "rows",
  "container",
  "kind",
  "workloadKind",
  "cluster",
  "reason",
];

const TABLE_WIDTH = 120;
const GAP = 3;
/** A text column's widest in the narrow table (the last one, the reason, takes what is left). */
const TEXT_WIDTH = 32;

function columnsOf(rows: ReadonlyArray<Record<string, Cell>>): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

/** A cell as text: money to the cent, other numbers to 4 decimals, text with its controls escaped. */
function shown(value: Cell, column = ""): string {
  if (value === null) return "";
  if (typeof value === "number")
    return /usd$/i.test(column) ? value.toFixed(2) : String(Math.round(value * 10_000) / 10_000);
  return escapeControls(String(value));
}

/**
 * The narrow table's columns: those of FIRST the table has, chosen in PRIORITY order while they
 * fit in 120 characters and shown in FIRST's order; text is cut with "…" at 32 characters, the
 * reason at what is left. A table with none of them shows its first columns that fit.
 */
function narrow(
  rows: ReadonlyArray<Record<string, Cell>>,
  all: string[],
): { columns: string[]; widths: number[] } {
  const known = PRIORITY.filter((c) => all.includes(c));
  const candidates = known.length >= 2 ? known : all;
  const natural = (c: string) => Math.max(c.length + 1, ...rows.map((r) => shown(r[c] ?? null, c).length));
  const chosen = new Map<string, number>();
  let used = 0;
  for (const c of candidates) {
    const width = Math.min(natural(c), c === "reason" ? TABLE_WIDTH : TEXT_WIDTH);
    const room = TABLE_WIDTH - used - (chosen.size ? GAP : 0);
    if (room < Math.min(width, 10)) continue;
    chosen.set(c, Math.min(width, room));
    used += Math.min(width, room) + (chosen.size > 1 ? GAP : 0);
  }
  const order = known.length >= 2 ? FIRST.filter((c) => chosen.has(c)) : [...chosen.keys()];
  return { columns: order, widths: order.map((c) => chosen.get(c)!) };
}

const cut = (text: string, width: number): string =>
  text.length > width ? `${text.slice(0, width - 1)}…` : text;

/** kubectl's look: upper-case headers, columns separated by spaces, no borders. */
async function plainTable(
  rows: ReadonlyArray<Record<string, Cell>>,
  columns: string[],
  widths: number[] | undefined,
): Promise<string> {
  const { default: Table } = await import("cli-table3");
  const table = new Table({
    head: columns.map((c) =>
      c
        .replace(/[A-Z]/g, (x) => `_${x}`)
        .toUpperCase()
        .replace(/\./g, "_"),
    ),
    chars: {
      top: "",
      "top-mid": "",
      "top-left": "",
      "top-right": "",
      bottom: "",
      "bottom-mid": "",
      "bottom-left": "",
      "bottom-right": "",
      left: "",
      "left-mid": "",
      mid: "",
      "mid-mid": "",
      right: "",
      "right-mid": "",
      middle: " ".repeat(GAP),
    },
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0 },
  });
  for (const r of rows)
    table.push(
      columns.map((c, i) => (widths ? cut(shown(r[c] ?? null, c), widths[i]!) : shown(r[c] ?? null, c))),
    );
  return table
    .toString()
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n");
}

async function csvOf(rows: ReadonlyArray<Record<string, Cell>>, columns: string[]): Promise<string> {
  const { csvField } = await import("../services/report.js");
  const lines = rows.map((r) => columns.map((c) => csvField(r[c] ?? null)).join(","));
  return [columns.join(","), ...lines].join("\n");
}

function markdownOf(rows: ReadonlyArray<Record<string, Cell>>, columns: string[]): string {
  const head = `| ${columns.map(cell).join(" | ")} |`;
  const rule = `| ${columns.map(() => "---").join(" | ")} |`;
  const body = rows.map((r) => `| ${columns.map((c) => cell(r[c] ?? "")).join(" | ")} |`);
  return [head, rule, ...body].join("\n");
}

export interface Rendered {
  /** What goes to stdout. */
  text: string;
}

/**
 * A table of rows in one format. `json`/`yaml` carry the table's name, the run and what the rows
 * cover (`scope`); the text formats print the scope's notes above the table (on stderr, by the
 * caller: stdout stays the table).
 */
export async function renderTable(
  table: { name: string; rows: readonly Row[] },
  format: OutputFormat,
  meta: { runId: string; scope: ScopeNote },
): Promise<string> {
  if (format === "json" || format === "yaml") {
    const document = { table: table.name, runId: meta.runId, scope: meta.scope, items: table.rows };
    if (format === "json") return `${JSON.stringify(document, null, 2)}\n`;
    const { stringify } = await import("yaml");
    return stringify(document);
  }
  const rows = table.rows.map((r) => flatten(r));
  const all = columnsOf(rows);
  if (rows.length === 0) return "";
  if (format === "csv") return `${await csvOf(rows, all)}\n`;
  if (format === "markdown") return `${markdownOf(rows, all)}\n`;
  if (rows.length === 1 && (format === "table" || format === "wide")) {
    // One row (the summary): a field per line reads better than 30 columns.
    const fields = all.map((c) => ({ field: c, value: shown(rows[0]![c] ?? null, c) }));
    return `${await plainTable(fields, ["field", "value"], format === "table" ? [48, 68] : undefined)}\n`;
  }
  if (format === "wide") return `${await plainTable(rows, all, undefined)}\n`;
  const { columns, widths } = narrow(rows, all);
  return `${await plainTable(rows, columns, widths)}\n`;
}
