/**
 * What makes report.html one self-contained file that fits its page: the inline stylesheet and
 * script (`reports/layouts/report.{css,js}`) with a Content-Security-Policy that allows exactly
 * those two texts by their hashes and nothing from the network, a table of contents from the
 * sections' headings, and every table in a box that keeps a wide one from widening the page.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { projectPath } from "../core/paths.js";

export interface InlineAssets {
  css: string;
  js: string;
  /** The policy: no request of any kind; the inline style and script by hash; images only as data URLs. */
  csp: string;
}

const hash = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

let assets: InlineAssets | undefined;

export function inlineAssets(): InlineAssets {
  if (!assets) {
    const css = readFileSync(projectPath("reports", "layouts", "report.css"), "utf8");
    const js = readFileSync(projectPath("reports", "layouts", "report.js"), "utf8");
    const csp = [
      "default-src 'none'",
      `style-src ${hash(css)}`,
      `script-src ${hash(js)}`,
      "img-src data:",
      "base-uri 'none'",
      "form-action 'none'",
    ].join("; ");
    assets = { css, js, csp };
  }
  return assets;
}

const HEADING = /<h2 id="([\w-]+)">([^<]*)<\/h2>/g;
const TOC_MARK = "<!--toc-->";

/**
 * The rendered page, finished: its `<!--toc-->` mark replaced by a list of the `<h2 id>`
 * headings (their text is already escaped HTML), and each table wrapped in a `.tw` box.
 */
export function finishHtml(html: string): string {
  const entries = [...html.matchAll(HEADING)].map(([, id, text]) => `<li><a href="#${id}">${text}</a></li>`);
  return html
    .replace(TOC_MARK, `<ol>${entries.join("")}</ol>`)
    .replace(/<table\b/g, '<div class="tw"><table')
    .replace(/<\/table>/g, "</table></div>");
}
