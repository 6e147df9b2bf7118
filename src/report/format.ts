/** Formatting for reports: the Handlebars helpers, also usable from TypeScript. No arithmetic in templates. */

export function usd(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const sign = value < 0 ? "-" : "";
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
  return String(value ?? "")
    .replace(/(?<!\\)\|/g, "\\|")
    .replace(/\r?\n/g, " ");
}

/** Money and ratios in recommendations.json: rounded to `digits` decimals (4 unless said). */
export function round(value: number, digits = 4): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

export function roundOrNull(value: number | null, digits = 4): number | null {
  return value === null ? null : round(value, digits);
}
