/**
 * Renders the view model with Handlebars templates from reports/: an isolated instance, helpers
 * registered once, templates compiled with `strict: true` so a missing field throws instead of
 * printing nothing. `{{ }}` escapes HTML, so names, labels and annotations from the cluster are
 * always text; the only unescaped output is the SVG our own chart renderer produced.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";
import { projectPath } from "../core/paths.js";
import type { Charts } from "./charts.js";
import { bytes, cell, cores, delta, num, pct, usd } from "./format.js";
import type { ReportModel } from "./model.js";

const REPORTS_DIR = projectPath("reports");

function engine(): typeof Handlebars {
  const hb = Handlebars.create();
  const value =
    <T>(fn: (v: T) => string) =>
    (v: T) =>
      fn(v);
  // Handlebars passes its options object last; a number before it is the helper's own argument.
  hb.registerHelper("usd", (v: number, digits: unknown) => usd(v, typeof digits === "number" ? digits : 2));
  hb.registerHelper("pct", value(pct));
  hb.registerHelper("cores", value(cores));
  hb.registerHelper("bytes", value(bytes));
  hb.registerHelper("delta", value(delta));
  hb.registerHelper(
    "num",
    value((v: number) => num(v)),
  );
  // Strings reaching the Markdown template were made safe by markdownSafe(); `cell` keeps
  // anything else (helpers' own output) from breaking a table.
  hb.registerHelper("cell", value(cell));
  // Not "date": rows have a `date` field, and a helper of the same name would shadow it.
  hb.registerHelper("day", (v: string) => String(v).slice(0, 10));
  hb.registerHelper("datetime", (v: string) => `${String(v).slice(0, 16).replace("T", " ")} UTC`);
  hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  hb.registerHelper("lt", (a: number, b: number) => a < b);
  for (const dir of ["layouts", "partials"]) {
    for (const file of readdirSync(join(REPORTS_DIR, dir)).filter((f) => f.endsWith(".hbs"))) {
      const name = file.replace(/\.(html|md)\.hbs$/, "");
      hb.registerPartial(name, readFileSync(join(REPORTS_DIR, dir, file), "utf8"));
    }
  }
  return hb;
}

export interface Rendered {
  html: string;
  markdown: string;
}

/**
 * Markdown has no escaping of its own that survives every renderer, and HTML entities show
 * literally inside code spans. So the Markdown report renders a copy of the view model in which
 * every string is made safe for Markdown (`&`, `<`, `>` as entities, so no text can become HTML;
 * pipes escaped so no text can break a table; line breaks flattened), without HTML escaping.
 */
export function markdownSafe<T>(value: T): T {
  if (typeof value === "string") {
    return value
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/\|/g, "\\|")
      .replace(/\r?\n/g, " ") as T;
  }
  if (Array.isArray(value)) return value.map((v) => markdownSafe(v)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markdownSafe(v)])) as T;
  }
  return value;
}

export function renderReport(model: ReportModel, charts: Charts): Rendered {
  const hb = engine();
  const template = (file: string) => readFileSync(join(REPORTS_DIR, "report", file), "utf8");
  const html = hb.compile(template("report.html.hbs"), { strict: true })({ ...model, charts });
  const mdContext = markdownSafe({ ...model, charts: { namespaces: "", reconciliation: "" } });
  const md = hb.compile(template("report.md.hbs"), { strict: true, noEscape: true })(mdContext);
  return { html, markdown: `${md.replace(/\n{3,}/g, "\n\n").trim()}\n` };
}
