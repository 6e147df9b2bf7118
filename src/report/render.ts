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
  hb.registerHelper("usd", value(usd));
  hb.registerHelper("pct", value(pct));
  hb.registerHelper("cores", value(cores));
  hb.registerHelper("bytes", value(bytes));
  hb.registerHelper("delta", value(delta));
  hb.registerHelper(
    "num",
    value((v: number) => num(v)),
  );
  hb.registerHelper("cell", value(cell));
  hb.registerHelper("date", (v: string) => String(v).slice(0, 10));
  hb.registerHelper("datetime", (v: string) => `${String(v).slice(0, 16).replace("T", " ")} UTC`);
  hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
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

export function renderReport(model: ReportModel, charts: Charts): Rendered {
  const hb = engine();
  const compile = (file: string) =>
    hb.compile(readFileSync(join(REPORTS_DIR, "report", file), "utf8"), { strict: true });
  const context = { ...model, charts };
  return {
    html: compile("report.html.hbs")(context),
    markdown: `${compile("report.md.hbs")(context)
      .replace(/\n{3,}/g, "\n\n")
      .trim()}\n`,
  };
}
