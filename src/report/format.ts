/** Formatting for reports: the Handlebars helpers, also usable from TypeScript. No arithmetic in templates. */
import { visibleControls } from "../core/text.js";

export { visibleControls };

export function usd(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  // No "-$0.00": a value that rounds to zero at the digits shown has no sign.
  const sign = value < 0 && Math.abs(value) >= 0.5 * 10 ** -digits ? "-" : "";
  return `${sign}$${Math.abs(value).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

export function pct(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return `${(value * 100).toFixed(digits)}%`;
}

export function cores(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return value < 1 ? `${Math.round(value * 1000)}m` : `${Number(value.toFixed(3))}`;
}

export function bytes(value: number | bigint | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const n = Number(value);
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = n;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number(v.toFixed(i === 0 ? 0 : 1))} ${units[i]}`;
}

export function delta(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  if (Math.abs(value) < 0.005) return usd(0); // no "-$0.00" for a rounding residue
  return `${value >= 0 ? "+" : "-"}${usd(Math.abs(value))}`;
}

export function num(value: number | bigint | null | undefined, digits = 0): string {
  if (value === null || value === undefined) return "—";
  return Number(value).toLocaleString("en-US", {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

/** A Markdown table cell: unescaped pipes and line breaks would break the table. */
export function cell(value: unknown): string {
  return visibleControls(String(value ?? "")).replace(/(?<!\\)\|/g, "\\|");
}

/**
 * Characters escaped with a backslash wherever they stand: they make links, images, emphasis,
 * code or cells. An underscore between two letters or digits cannot emphasise (`hpa_managed`).
 */
const MARKDOWN_INLINE = /[\\`*~[\]|!]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;

/**
 * A value from the cluster as Markdown text: shown as written, never as markup. `&`, `<`, `>`
 * become entities (no HTML, no autolink), link, image, emphasis, code and table characters are
 * escaped, a character that would start a block (heading, quote, list item, setext line) is
 * escaped when it leads, and control characters are made visible (visibleControls).
 */
export function markdownText(value: string): string {
  return visibleControls(value)
    .replace(MARKDOWN_INLINE, "\\$&")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/^(\s*)([#+\-=])/, "$1\\$2")
    .replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, "$1\\$2");
}

/** The value markdownText() was given, with its control characters made visible: what a code span shows. */
export function markdownTextSource(text: string): string {
  return text.replace(
    /\\([!-/:-@[-`{-~])|&(amp|lt|gt);/g,
    (_, escaped: string | undefined, entity) =>
      escaped ?? ({ amp: "&", lt: "<", gt: ">" } as Record<string, string>)[entity as string]!,
  );
}

/**
 * A code span of `text` (a value already made safe by markdownText, as every string the
 * Markdown templates see is): shown verbatim, so a name stays readable. The fence is longer than
 * any run of backticks inside, and pipes stay escaped, which tables honour inside code spans.
 */
export function markdownCode(text: string): string {
  const source = markdownTextSource(String(text ?? "")).replace(/\|/g, "\\|");
  const longest = Math.max(0, ...(source.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = source.startsWith("`") || source.endsWith("`") || /^ .* $/.test(source) ? " " : "";
  return `${fence}${pad}${source}${pad}${fence}`;
}

/**
 * A fenced code block of lines (each already made safe by markdownText, as every string the
 * Markdown templates see is), shown verbatim: the fence is longer than any run of backticks in
 * the lines, so no value can close it.
 */
export function markdownCodeBlock(language: string, lines: readonly string[]): string {
  const source = lines.map((l) => markdownTextSource(String(l ?? "")));
  const longest = Math.max(2, ...source.flatMap((l) => (l.match(/`+/g) ?? []).map((run) => run.length)));
  const fence = "`".repeat(longest + 1);
  return `${fence}${markdownTextSource(language)}\n${source.map((l) => `${l}\n`).join("")}${fence}`;
}

/** Money and ratios in recommendations.json: rounded to `digits` decimals (4 unless said). */
export function round(value: number, digits = 4): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

export function roundOrNull(value: number | null, digits = 4): number | null {
  return value === null ? null : round(value, digits);
}
