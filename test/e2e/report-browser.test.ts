/// <reference lib="dom" />
/**
 * The demo's report.html in a real browser (Debian's Chromium through playwright-core), opened
 * from disk at 1,400 and 800 px: it fits its page, asks for nothing on the network, logs no
 * error, draws its charts, sorts, filters and pages its tables, and prints every paste block
 * with every row. Screenshots go to out/report-screenshots/ for the closing note. The demo has one
 * cluster, so its cluster filter is proven on the same report rendered in-process from the demo's
 * database with its right-sizing rows also under a second cluster (twoClusters below).
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectPath } from "../../src/core/paths.js";
import { cli } from "./cli.js";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
const out = mkdtempSync(join(tmpdir(), "capacity-browser-"));
const shots = projectPath("out", "report-screenshots");
let browser: Browser | undefined;

beforeAll(async () => {
  if (!haveChromium && process.env.CI !== "true") return;
  const result = cli(["demo", "--out", out]);
  if (result.code !== 0) throw new Error(`demo failed (${result.code}):\n${result.stderr}`);
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"], headless: true });
  mkdirSync(shots, { recursive: true });
}, 600_000);

afterAll(async () => {
  await browser?.close();
});

interface Opened {
  page: Page;
  requests: string[];
  messages: string[];
}

async function open(width: number, name = "report.html"): Promise<Opened> {
  const page = await browser!.newPage({ viewport: { width, height: 900 } });
  const file = pathToFileURL(join(out, name)).href;
  const requests: string[] = [];
  const messages: string[] = [];
  await page.route("**/*", (route) => {
    requests.push(route.request().url());
    return route.request().url() === file ? route.continue() : route.abort();
  });
  page.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => messages.push(e.message));
  await page.goto(file, { waitUntil: "load" });
  return { page, requests, messages };
}

/** Elements wider than the page, and tables wider than the column that holds them. */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const tables = Array.from(document.querySelectorAll<HTMLElement>(".tw"))
      .filter((box) => box.scrollWidth > box.clientWidth + 1)
      .map((box) => box.querySelector("thead")?.textContent?.trim().slice(0, 80) ?? "?");
    const wide = Array.from(document.querySelectorAll<HTMLElement>("main *"))
      .filter((e) => e.getBoundingClientRect().right > doc.clientWidth + 1)
      .filter((e) => !e.closest(".tw"))
      .map((e) => e.tagName);
    return { page: doc.scrollWidth - doc.clientWidth, tables, wide };
  });
}

/** The right-sizing table: every container, with a Paste column and a Status filter. */
const RIGHTSIZING = "#rightsizing-table";

/**
 * The demo's report rendered again, in-process from the database the demo wrote (no second run),
 * with each right-sizing row also under a second cluster, `demo-west`: a file beside report.html.
 */
async function twoClusters(): Promise<{ file: string; rowsPerCluster: number }> {
  const [
    { martReader },
    { ANALYZERS },
    { loadConfig },
    { memoryLogger },
    charts,
    model,
    render,
    runs,
    store,
  ] = await Promise.all([
    import("../../src/analyze/marts.js"),
    import("../../src/analyze/registry.js"),
    import("../../src/config/load.js"),
    import("../../src/core/logger.js"),
    import("../../src/report/charts.js"),
    import("../../src/report/model.js"),
    import("../../src/report/render.js"),
    import("../../src/services/runs.js"),
    import("../../src/store/store.js"),
  ]);
  const db = await store.Store.open(join(out, "capacity.duckdb"), memoryLogger());
  try {
    const run = await runs.findAnalyzedRun(db);
    const config = loadConfig({ env: {}, base: { allocation: { labelKeys: ["team"] } } });
    const built = await model.buildReportModel(
      martReader(db, run.run_id),
      run,
      config,
      ANALYZERS,
      new Date(),
      (id) => martReader(db, id),
    );
    let rowsPerCluster = 0;
    const sections = built.sections.map((s) => {
      if (s.name !== "rightsizing") return s;
      const rows = (s.view as { rows: Array<Record<string, unknown>> }).rows;
      rowsPerCluster = rows.length;
      return {
        ...s,
        view: { ...s.view, rows: [...rows, ...rows.map((r) => ({ ...r, cluster: "demo-west" }))] },
      };
    });
    const twice = { ...built, sections };
    writeFileSync(
      join(out, "two-clusters.html"),
      render.renderHtml(twice, await charts.renderCharts(twice), ANALYZERS),
    );
    return { file: "two-clusters.html", rowsPerCluster };
  } finally {
    db.close();
  }
}

/** The right-sizing table's rows by a column (1-based) under a filter set in its tools, every page shown. */
async function filtered(page: Page, filters: Record<string, string>, column: number) {
  const table = page.locator(RIGHTSIZING);
  const tools = table.locator("xpath=ancestor::div[@class='tw']/preceding-sibling::div[@class='tools'][1]");
  for (const [label, value] of Object.entries(filters))
    await tools.locator(`select[aria-label='${label}']`).selectOption(value);
  if ((await tools.locator("button", { hasText: "Show all" }).count()) > 0)
    await tools.locator("button", { hasText: "Show all" }).click();
  const cells = (rows: string) =>
    table
      .locator(`${rows} td:nth-child(${column})`)
      .evaluateAll((tds) => tds.map((td) => td.textContent!.trim()));
  return { visible: await cells("tbody tr:visible"), all: await cells("tbody tr"), tools };
}

describe.skipIf(!haveChromium && process.env.CI !== "true")("report.html in Chromium", () => {
  for (const width of [1400, 800]) {
    it(`fits ${width} px with no horizontal overflow, no request and no console error`, async () => {
      const { page, requests, messages } = await open(width);
      try {
        await page.screenshot({ path: join(shots, `report-${width}.png`), fullPage: true });
        expect(await overflow(page)).toEqual({ page: 0, tables: [], wide: [] });
        expect(messages).toEqual([]);
        expect(requests).toEqual([pathToFileURL(join(out, "report.html")).href]);
      } finally {
        await page.close();
      }
    }, 600_000);
  }

  it("draws every chart and links every table-of-contents entry to its section", async () => {
    const { page } = await open(1400);
    try {
      const charts = await page.$$eval(".chart", (divs) => divs.map((d) => d.querySelector("svg") !== null));
      expect(charts.length).toBeGreaterThanOrEqual(7);
      expect(charts.every(Boolean)).toBe(true);
      // Each of #17's charts, by name, each an SVG with its own marks (the trend needs two runs,
      // the forecast a forecast: the demo has neither).
      const drawn = Object.fromEntries(
        await page.$$eval(".chart[data-chart]", (divs) =>
          divs.map((d) => [
            d.getAttribute("data-chart")!,
            {
              marks: d.querySelectorAll("svg path, svg rect, svg line").length,
              text: Array.from(d.querySelectorAll("svg text")).map((t) => t.textContent ?? ""),
            },
          ]),
        ),
      ) as Record<string, { marks: number; text: string[] }>;
      for (const name of [
        "savings-waterfall",
        "namespace-cost",
        "namespace-cost-daily",
        "capacity-type-daily",
        "billed-vs-modeled",
        "idle-daily",
        "pool-cpu-daily",
      ]) {
        expect(drawn[name], name).toBeDefined();
        expect(drawn[name]!.marks, name).toBeGreaterThan(10);
      }
      expect(drawn["namespace-cost-daily"]!.text).toEqual(expect.arrayContaining(["(idle)", "other", "$0"]));
      expect(drawn["capacity-type-daily"]!.text).toEqual(
        expect.arrayContaining(["on-demand EC2", "spot EC2", "Fargate", "EKS fee", "PVC storage"]),
      );
      expect(drawn["billed-vs-modeled"]!.text).toEqual(
        expect.arrayContaining(["billed compute", "modeled compute", "gap (billed − modeled)", "$0"]),
      );
      expect(drawn["idle-daily"]!.text).toEqual(expect.arrayContaining(["general-od", "spot-general", "$0"]));
      expect(drawn["pool-cpu-daily"]!.text).toEqual(
        expect.arrayContaining(["allocatable", "requested", "used", "general-od", "0"]),
      );
      const targets = await page.$$eval("nav.toc a", (links) =>
        links.map((a) => document.getElementById(a.getAttribute("href")!.slice(1)) !== null),
      );
      expect(targets.length).toBeGreaterThanOrEqual(8);
      expect(targets.every(Boolean)).toBe(true);
      // The money axes start at zero: each chart with a "$" axis shows a $0 tick.
      const zero = await page.$$eval(".chart svg", (svgs) =>
        svgs.map((svg) => {
          const labels = Array.from(svg.querySelectorAll("text")).map((t) => t.textContent ?? "");
          return !labels.some((l) => l.startsWith("$")) || labels.includes("$0");
        }),
      );
      expect(zero.every(Boolean)).toBe(true);
    } finally {
      await page.close();
    }
  }, 600_000);

  it("has every right-sizing row in the page, 25 a page, sortable and filterable by namespace", async () => {
    const { page } = await open(1400);
    try {
      const table = page.locator(RIGHTSIZING);
      const all = await table.locator("tbody tr").count();
      expect(all).toBeGreaterThan(100);
      expect(await table.locator("tbody tr:visible").count()).toBe(25);

      // Sort by "Requests freed" ascending: the visible figures rise.
      await table.locator("th", { hasText: "Requests freed" }).click();
      const freed = await table
        .locator("tbody tr:visible td:nth-child(9)")
        .evaluateAll((tds) => tds.map((td) => Number(td.textContent!.replace(/[$,]/g, ""))));
      expect(freed).toEqual([...freed].sort((a, b) => a - b));
      expect(await table.locator("th", { hasText: "Requests freed" }).getAttribute("aria-sort")).toBe(
        "ascending",
      );

      // Filter on one namespace: only its rows remain, fewer than all.
      const tools = table.locator(
        "xpath=ancestor::div[@class='tw']/preceding-sibling::div[@class='tools'][1]",
      );
      await tools.locator("select[aria-label='Namespace']").selectOption("payments");
      const namespaces = await table
        .locator("tbody tr:visible td:nth-child(2)")
        .evaluateAll((tds) => tds.map((td) => td.textContent));
      expect(namespaces.length).toBeGreaterThan(0);
      expect(namespaces.length).toBeLessThan(all);
      expect(new Set(namespaces)).toEqual(new Set(["payments"]));
      // Every status reason is text on the row, not a tooltip.
      const reasons = await table
        .locator("tbody tr:visible td.why")
        .evaluateAll((tds) => tds.map((td) => td.textContent!.trim()));
      expect(reasons.every((r) => r.length > 0)).toBe(true);
    } finally {
      await page.close();
    }
  }, 600_000);

  it("filters the right-sizing rows by status: exactly the rows of that status remain, every page of them", async () => {
    const { page } = await open(1400);
    try {
      const table = page.locator(RIGHTSIZING);
      const statuses = await table
        .locator("tbody tr td:nth-child(5)")
        .evaluateAll((tds) => tds.map((td) => td.textContent!.trim()));
      // The rarest status the demo has, so that filtering on it hides most rows.
      const counts = new Map<string, number>();
      for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
      expect(counts.size).toBeGreaterThan(1);
      const [rare, howMany] = [...counts.entries()].sort(
        (a, b) => a[1] - b[1] || a[0].localeCompare(b[0]),
      )[0]!;
      const { visible, all, tools } = await filtered(page, { Status: rare }, 5);
      expect(visible).toEqual(Array(howMany).fill(rare));
      expect(visible.length).toBeLessThan(all.length);
      expect(await tools.locator("select[aria-label='Status'] option").allTextContents()).toEqual([
        "Status: all",
        ...[...counts.keys()].sort(),
      ]);
      // One cluster: no cluster filter is drawn (it would have one choice).
      expect(await tools.locator("select[aria-label='Cluster']").count()).toBe(0);
    } finally {
      await page.close();
    }
  }, 600_000);

  it("filters the right-sizing rows by cluster, and by cluster and status together, in a report of two clusters", async () => {
    const { file, rowsPerCluster } = await twoClusters();
    const { page, messages } = await open(1400, file);
    try {
      const byCluster = await filtered(page, { Cluster: "demo-west" }, 1);
      expect(byCluster.all.length).toBe(2 * rowsPerCluster);
      expect(byCluster.visible).toEqual(Array(rowsPerCluster).fill("demo-west"));
      expect(await byCluster.tools.locator("select[aria-label='Cluster'] option").allTextContents()).toEqual([
        "Cluster: all",
        "demo-shop",
        "demo-west",
      ]);
      // Then a status too: that cluster's rows of that status, and only those.
      const rows = await page
        .locator(`${RIGHTSIZING} tbody tr`)
        .evaluateAll((trs) =>
          trs.map((tr) => [tr.children[0]!.textContent!.trim(), tr.children[4]!.textContent!.trim()]),
        );
      const status = rows.find(([c]) => c === "demo-west")![1]!;
      const both = rows.filter(([c, s]) => c === "demo-west" && s === status).length;
      expect(both).toBeLessThan(rowsPerCluster);
      const table = page.locator(RIGHTSIZING);
      await byCluster.tools.locator("select[aria-label='Status']").selectOption(status);
      const visible = await table
        .locator("tbody tr:visible")
        .evaluateAll((trs) =>
          trs.map((tr) => `${tr.children[0]!.textContent!.trim()} ${tr.children[4]!.textContent!.trim()}`),
        );
      expect(visible).toEqual(Array(both).fill(`demo-west ${status}`));
      // Back to every cluster: both clusters' rows of that status.
      await byCluster.tools.locator("select[aria-label='Cluster']").selectOption("");
      expect(await table.locator("tbody tr:visible").count()).toBe(2 * both);
      expect(messages).toEqual([]);
    } finally {
      await page.close();
    }
  }, 600_000);

  for (const width of [1400, 800]) {
    it(`prints at ${width} px with every row, every paste block open and the Paste column whole`, async () => {
      const { page } = await open(width);
      try {
        await page.emulateMedia({ media: "print" });
        const table = page.locator(RIGHTSIZING);
        expect(await table.locator("tbody tr:visible").count()).toBe(await table.locator("tbody tr").count());
        const pastes = await table.locator("td.paste pre").evaluateAll((pres) =>
          pres.map((pre) => {
            const r = pre.getBoundingClientRect();
            const cell = pre.closest("td")!.getBoundingClientRect();
            return {
              shown: r.height > 0 && r.width > 0,
              clipped: pre.scrollWidth > pre.clientWidth + 1 || r.right > cell.right + 1,
              text: pre.textContent ?? "",
            };
          }),
        );
        expect(pastes.length).toBeGreaterThan(50);
        expect(pastes.filter((p) => !p.shown)).toEqual([]);
        expect(pastes.filter((p) => p.clipped)).toEqual([]);
        expect(pastes.every((p) => p.text.includes("requests:") || p.text.includes("update-addon"))).toBe(
          true,
        );
        expect((await overflow(page)).page).toBe(0);
        const pdf = await page.pdf({ printBackground: true });
        writeFileSync(join(shots, `report-${width}.pdf`), pdf);
        expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      } finally {
        await page.close();
      }
    }, 600_000);
  }
});
