/**
 * Hostile strings from the cluster (injection-payloads.ts: HTML, Handlebars, Markdown, CSV
 * formulas, control and bidi characters, 100,000 characters) as names, labels and annotations
 * of the demo bundle, through the real CLI. Then: the HTML, opened in Chromium, runs nothing and
 * requests nothing; the Markdown, rendered by a CommonMark renderer, has no image, script, raw
 * HTML or outside link, and every table row stays one row of the right width; every CSV record
 * parses to the header's width and no text cell starts with a formula character; every log line
 * stays one JSON line.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import MarkdownIt from "markdown-it";
import { beforeAll, describe, expect, it } from "vitest";
import { projectPath } from "../../src/core/paths.js";
import { type CliResult, cli } from "../e2e/cli.js";
import { injectedBundle } from "./injection-bundle.js";
import { OUTSIDE_HOST, PAYLOADS, PWNED_FLAG } from "./injection-payloads.js";

const CHROMIUM = "/usr/bin/chromium";
/** The HTML the Markdown templates write themselves (reports/partials/rightsizing.md.hbs). */
const TEMPLATE_HTML =
  /^(<details><summary>What to paste, for the first ten at-risk containers and the ten largest savings<\/summary>|<\/details>)$/;
const haveChromium = existsSync(CHROMIUM);
const out = mkdtempSync(join(tmpdir(), "capacity-injection-out-"));
let run: CliResult;
let names: string[] = [];

beforeAll(() => {
  const bundle = injectedBundle();
  names = bundle.names;
  const config = join(out, "capacity.yaml");
  writeFileSync(config, "allocation:\n  labelKeys: [team, probe]\n");
  run = cli(["run", "--from", bundle.dir, "-c", config, "--database", join(out, "c.duckdb"), "--out", out], {
    cwd: out,
  });
}, 300_000);

/** RFC 4180: fields separated by commas, quoted fields may hold commas, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || record.length > 0) records.push([...record, field]);
  return records;
}

/** Cells of a Markdown table line: pipes not escaped by a backslash (GFM's rule, code spans included). */
function tableCells(line: string): number {
  let pipes = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === "\\") i++;
    else if (line[i] === "|") pipes++;
  }
  return pipes - 1;
}

describe("hostile names, labels and annotations from the cluster", () => {
  it("carry at least 50 payloads, and the run finishes", () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(50);
    expect(PAYLOADS.some((p) => p.length >= 100_000)).toBe(true);
    expect(names.length).toBeGreaterThanOrEqual(30);
    // 3: a validation may leave out an object whose name is not a valid Kubernetes name.
    expect([0, 3], run.stderr.slice(-2000)).toContain(run.code);
  });

  it("keep every log line one JSON line", () => {
    const lines = run.stderr.split("\n").filter((l) => l !== "");
    for (const line of lines) expect(() => JSON.parse(line), line.slice(0, 200)).not.toThrow();
  });

  it("make no image, script, raw HTML or outside link in the Markdown, and split no table row", () => {
    const md = readFileSync(join(out, "report.md"), "utf8");
    expect(md.replace(/\n/g, "")).not.toMatch(/[\p{Cc}\u202E\u2028\u2029]/u);
    const renderer = new MarkdownIt({ html: true, linkify: false });
    const tokens = renderer.parse(md, {});
    const inline = tokens.flatMap((t) => [t, ...(t.children ?? [])]);
    for (const kind of ["image", "html_block", "html_inline", "link_open", "s_open"]) {
      // The only HTML is the templates' own collapsed paste blocks: fixed text, no value inside.
      const own = (t: { type: string; content: string }) =>
        kind === "html_block" && TEMPLATE_HTML.test(t.content.trim());
      expect(inline.filter((t) => t.type === kind && !own(t)).map((t) => t.content)).toEqual([]);
    }
    // Emphasis only where the templates put it: what the demo's report emphasises, and figures.
    const emphasised = (tokens: ReturnType<InstanceType<typeof MarkdownIt>["parse"]>, open: string) =>
      tokens.flatMap((t, i) => (t.type === open ? [tokens[i + 1]!.content] : []));
    const demo = renderer
      .parse(readFileSync(projectPath("test", "fixtures", "golden", "report.md"), "utf8"), {})
      .flatMap((t) => [t, ...(t.children ?? [])]);
    for (const open of ["strong_open", "em_open"]) {
      const allowed = new Set(emphasised(demo, open));
      for (const text of emphasised(inline, open)) {
        if (!/^[+-]?\$[\d,.]+( \([\d.]+%\))?$/.test(text)) expect(allowed).toContain(text);
      }
    }
    const html = renderer.render(md);
    expect(html).not.toMatch(/<(img|script|iframe|svg|object|style|link|meta)\b/i);
    expect(html).not.toContain(`${OUTSIDE_HOST}"`);

    const lines = md.split("\n");
    const tables = tokens.filter((t) => t.type === "table_open");
    expect(tables.length).toBeGreaterThan(5);
    const inTable = new Set<number>();
    for (const table of tables) {
      const [start, end] = table.map!;
      const width = tableCells(lines[start]!);
      for (let i = start; i < end; i++) {
        inTable.add(i);
        expect(tableCells(lines[i]!), `report.md line ${i + 1}`).toBe(width);
      }
      const at = tokens.indexOf(table);
      const close = tokens.findIndex((t, i) => i > at && t.type === "table_close");
      const rows = tokens.slice(at, close).filter((t) => t.type === "tr_open").length;
      expect(rows, `table at report.md line ${start + 1}`).toBe(end - start - 1);
    }
    // A row a payload broke off its table would be a line starting with a pipe outside every table.
    lines.forEach((line, i) => {
      if (line.startsWith("|")) expect(inTable.has(i), `report.md line ${i + 1}`).toBe(true);
    });
  });

  it("show the payloads as text in the Markdown", () => {
    const md = readFileSync(join(out, "report.md"), "utf8");
    expect(md).toContain("&lt;script&gt;window.\\_\\_pwned=1&lt;/script&gt;");
    // The Markdown shows each table's first rows only (the rest are in the HTML and the CSVs): a
    // payload that made it in is escaped, and none is ever raw.
    if (md.includes("evil.example/md.png")) expect(md).toContain("\\!\\[x\\](http://evil.example/md.png)");
    expect(md).not.toContain("![x](http://evil");
    expect(md).toContain("\\[click\\](http://evil.example/link)");
    expect(md).toContain("| \\=HYPERLINK(");
  });

  it("write CSV records of the header's width, with no text cell a spreadsheet would run, in every CSV", () => {
    const files = readdirSync(out).filter((f) => f.endsWith(".csv"));
    expect(files).toEqual(expect.arrayContaining(["costs.csv", "costs-daily.csv", "idle-daily.csv"]));
    for (const file of files) {
      const [header, ...rows] = parseCsv(readFileSync(join(out, file), "utf8"));
      const numeric = new Set(
        header!.flatMap((_, i) => (rows.every((r) => /^-?\d+(\.\d+)?$|^$/.test(r[i]!)) ? [i] : [])),
      );
      for (const row of rows) {
        expect(row.length, `${file}: ${row.join(",").slice(0, 200)}`).toBe(header!.length);
        row.forEach((cell, i) => {
          if (!numeric.has(i))
            expect(cell, `${file} ${header![i]}: ${cell.slice(0, 80)}`).not.toMatch(/^[=+\-@\t\r]/);
        });
      }
    }
    const [header, ...rows] = parseCsv(readFileSync(join(out, "costs.csv"), "utf8"));
    expect(rows.length).toBeGreaterThan(50);
    const workloads = new Set(rows.map((r) => r[header!.indexOf("workload_name")]!));
    expect(workloads).toContain("'=cmd|'/C calc'!A0");
  });

  it.skipIf(!haveChromium && process.env.CI !== "true")(
    "run no script and request nothing when the HTML is opened in Chromium",
    async () => {
      expect(haveChromium, `${CHROMIUM} is needed under CI (.ci/run installs it)`).toBe(true);
      const { chromium } = await import("playwright-core");
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ["--no-sandbox"],
        headless: true,
      });
      try {
        const page = await browser.newPage();
        const file = pathToFileURL(join(out, "report.html")).href;
        const requests: string[] = [];
        const dialogs: string[] = [];
        const messages: string[] = [];
        await page.route("**/*", (route) => {
          requests.push(route.request().url());
          return route.request().url() === file ? route.continue() : route.abort();
        });
        page.on("dialog", (dialog) => {
          dialogs.push(dialog.message());
          void dialog.dismiss();
        });
        page.on("console", (message) => messages.push(message.text()));
        page.on("pageerror", (error) => messages.push(error.message));
        await page.goto(file, { waitUntil: "load" });
        await page.waitForTimeout(500);
        expect(await page.evaluate((flag) => (globalThis as Record<string, unknown>)[flag], PWNED_FLAG)).toBe(
          undefined,
        );
        expect(dialogs).toEqual([]);
        expect(messages).toEqual([]);
        expect(requests).toEqual([file]);
        const text = (await page.textContent("body")) ?? "";
        // Bidi overrides, zero-width and control characters are shown, not obeyed.
        expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B\r]/);
        expect(text.includes("\u0000")).toBe(false);
        expect(text).toContain("<script>window.__pwned=1</script>");
        expect(text).toContain(`<img src=x onerror="window.__pwned=4">`);
        expect(text).toContain("{{constructor.constructor('window.__pwned=15')()}}");
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
