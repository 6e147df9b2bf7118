/// <reference lib="dom" />
/**
 * The demo's report.html in a real browser (Debian's Chromium through playwright-core), opened
 * from disk at 1,400 and 800 px: it fits its page, asks for nothing on the network, logs no
 * error, draws its charts, sorts, filters and pages its tables, and prints every paste block
 * with every row. Screenshots go to out/report-screenshots/ for the closing note.
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
}, 240_000);

afterAll(async () => {
  await browser?.close();
});

interface Opened {
  page: Page;
  requests: string[];
  messages: string[];
}

async function open(width: number): Promise<Opened> {
  const page = await browser!.newPage({ viewport: { width, height: 900 } });
  const file = pathToFileURL(join(out, "report.html")).href;
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
    }, 60_000);
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
  }, 60_000);

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
  }, 60_000);

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
    }, 120_000);
  }
});
