/**
 * Renders the view model with Handlebars templates: an isolated instance per format, helpers
 * registered once, templates compiled with `strict: true` so a missing field throws instead of
 * printing nothing. The shell `reports/report/report.<format>.hbs` renders each section's
 * partial (`reports/partials/<partial>.<format>.hbs`, or from the analyzer's own templates
 * directory) in registry order. `{{ }}` escapes HTML, so names, labels and annotations from the
 * cluster are always text; the only unescaped output is the SVG our own chart renderer produced.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";
import type { Registry } from "../analyze/analyzer.js";
import { projectPath } from "../core/paths.js";
import { mapStrings, showInvisible } from "../core/text.js";
import { type Charts, noCharts, REPORT_CHARTS } from "./charts.js";
import {
  bytes,
  cell,
  cores,
  delta,
  markdownCode,
  markdownCodeBlock,
  markdownText,
  num,
  pct,
  usd,
} from "./format.js";
import { finishHtml, inlineAssets } from "./html.js";
import { capMarkdown } from "./markdown-cap.js";
import type { ReportModel } from "./model.js";

const REPORTS_DIR = projectPath("reports");
type Format = "html" | "md";

export function engine(format: Format, templateDirs: readonly string[]): typeof Handlebars {
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
  // `{{code namespace "/" name}}`: the parts joined into one code span (options come last).
  hb.registerHelper("code", (...args: unknown[]) => markdownCode(args.slice(0, -1).map(String).join("")));
  // `{{codeBlock language lines}}`: a fenced block the lines cannot close.
  hb.registerHelper("codeBlock", (language: string, lines: string[]) => markdownCodeBlock(language, lines));
  // Not "date": rows have a `date` field, and a helper of the same name would shadow it.
  hb.registerHelper("day", (v: string) => String(v).slice(0, 10));
  hb.registerHelper("datetime", (v: string) => `${String(v).slice(0, 16).replace("T", " ")} UTC`);
  hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  // A row's number from its 0-based @index.
  hb.registerHelper("inc", (i: number) => String(i + 1));
  hb.registerHelper("lt", (a: number, b: number) => a < b);
  const suffix = `.${format}.hbs`;
  for (const dir of templateDirs) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith(suffix))) {
      hb.registerPartial(file.slice(0, -suffix.length), readFileSync(join(dir, file), "utf8"));
    }
  }
  return hb;
}

/**
 * Markdown has no escaping of its own that survives every renderer, and HTML entities show
 * literally inside code spans. So the Markdown report renders a copy of the view model in which
 * every string is Markdown text (markdownText: no HTML, link, image, emphasis, block or table
 * markup can come from a value; control characters shown), without HTML escaping. Templates put
 * a value in a code span with `{{code value}}`, which shows it as the cluster wrote it.
 */
export function markdownSafe<T>(value: T): T {
  return mapStrings(value, markdownText);
}

/** What the templates see: the model, with each section's view (and its charts) as `sections[i].view`. */
function context(model: ReportModel, charts: Charts) {
  return {
    ...model,
    charts: charts[REPORT_CHARTS] ?? {},
    sections: model.sections.map((s) => ({
      name: s.name,
      partial: s.partial,
      view: { ...s.view, charts: charts[s.name] ?? {} },
    })),
  };
}

function templateDirs(analyzers: Registry): string[] {
  return [
    join(REPORTS_DIR, "layouts"),
    join(REPORTS_DIR, "partials"),
    ...analyzers.flatMap((a) => (a.templates ? [a.templates] : [])),
  ];
}

const shell = (format: Format) => readFileSync(join(REPORTS_DIR, "report", `report.${format}.hbs`), "utf8");

/** `{{ }}` escapes HTML; control and bidi characters from the cluster are shown as code points (`\u202E`) too. */
export function renderHtml(model: ReportModel, charts: Charts, analyzers: Registry): string {
  const html = engine("html", templateDirs(analyzers)).compile(shell("html"), { strict: true })({
    ...mapStrings(context(model, charts), showInvisible),
    // Our own stylesheet and script, verbatim: the page's CSP allows them by their hashes.
    inline: inlineAssets(),
  });
  return finishHtml(html);
}

export function renderMarkdown(model: ReportModel, analyzers: Registry): string {
  const md = engine("md", templateDirs(analyzers)).compile(shell("md"), { strict: true, noEscape: true })(
    markdownSafe(context(model, noCharts(model))),
  );
  return capMarkdown(`${md.replace(/\n{3,}/g, "\n\n").trim()}\n`);
}
