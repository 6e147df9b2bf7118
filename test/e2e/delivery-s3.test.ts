/**
 * The weekly run as the CronJob makes it with `history.s3` and `delivery.s3`, against a local fake
 * S3 speaking the real REST API (the real `@aws-sdk/client-s3` through AWS_ENDPOINT_URL_S3): the
 * history is pulled, locked, pushed; the reports land under a dated folder and `latest/`; two
 * runs never write the same history; a failed push leaves S3's history as it was; the chat
 * webhook gets the summary.
 */

import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { projectPath } from "../../src/core/paths.js";
import { type FakeS3, type StoredObject, startFakeS3 } from "../fixtures/fake-s3.js";
import { cliAsync, startCli } from "./cli.js";

let s3: FakeS3;
/** A chat webhook: what it received. */
const received: Array<{ body: string; type: string | undefined }> = [];
const hook = createServer((req: IncomingMessage, res) => {
  let body = "";
  req.on("data", (d: Buffer) => {
    body += d.toString();
  });
  req.on("end", () => {
    received.push({ body, type: req.headers["content-type"] });
    res.writeHead(200);
    res.end("ok");
  });
});
let hookUrl = "";
beforeAll(async () => {
  s3 = await startFakeS3();
  await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/services/T000/B000/secret-token`;
});
afterAll(async () => {
  await s3.close();
  await new Promise<void>((resolve) => hook.close(() => resolve()));
});
afterEach(() => {
  s3.failPut = undefined;
  s3.deny = undefined;
  s3.objects.clear();
  s3.calls.length = 0;
});

const HISTORY = "reports-bucket/capacity/demo-shop/capacity.duckdb";

/** The history the first test pushed: later tests start from it rather than from another whole run. */
let pushed: StoredObject | undefined;
const seedHistory = () => {
  expect(pushed, "the first test pushed a history").toBeDefined();
  s3.objects.set(HISTORY, pushed!);
};

function setup(extra: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "capacity-delivery-"));
  const config = join(dir, "capacity.yaml");
  writeFileSync(
    config,
    [
      "history:",
      "  s3: s3://reports-bucket/capacity/demo-shop/capacity.duckdb",
      "delivery:",
      "  s3: s3://reports-bucket/reports",
      ...Object.entries(extra).map(([k, v]) => `  ${k}: ${v}`),
      "",
    ].join("\n"),
  );
  const args = () => [
    "run",
    "--from",
    projectPath("data", "demo"),
    "--config",
    config,
    "--database",
    join(dir, "capacity.duckdb"),
    "--out",
    join(dir, "out"),
  ];
  const start = () => startCli(args(), { cwd: dir, env: s3.env });
  const run = (env: Record<string, string> = {}) =>
    cliAsync(
      [
        "run",
        "--from",
        projectPath("data", "demo"),
        "--config",
        config,
        "--database",
        join(dir, "capacity.duckdb"),
        "--out",
        join(dir, "out"),
      ],
      { cwd: dir, env: { ...s3.env, ...env } },
    );
  return { dir, run, start };
}

const errors = (lines: Array<Record<string, unknown>>) =>
  lines.filter((l) => l.level === "error").map((l) => `${String(l.msg)} ${String(l.fix ?? "")}`);

describe("a run with its history and reports in S3", () => {
  it("pushes the history, delivers the reports to a dated folder and to latest/, posts the summary to the webhook, and releases the lock", async () => {
    const { run } = setup({ webhookUrlEnv: "SLACK_WEBHOOK_URL" });
    const r = await run({ SLACK_WEBHOOK_URL: hookUrl });
    expect(r.code, r.stderr).toBe(0);
    expect(s3.objects.has(HISTORY)).toBe(true);
    expect(s3.objects.has(`${HISTORY}.lock`)).toBe(false);
    const dated = s3.keys("reports-bucket/reports/demo-shop/").filter((k) => !k.includes("/latest/"));
    const day = /demo-shop\/(\d{4}-\d{2}-\d{2})\//.exec(dated[0] ?? "")?.[1];
    expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const file of ["report.html", "report.md", "recommendations.json", "costs.csv"]) {
      expect(s3.objects.has(`reports-bucket/reports/demo-shop/${day}/${file}`), file).toBe(true);
      expect(s3.text(`reports-bucket/reports/demo-shop/latest/${file}`)).toBe(
        s3.text(`reports-bucket/reports/demo-shop/${day}/${file}`),
      );
    }
    expect(s3.objects.get(`reports-bucket/reports/demo-shop/latest/report.html`)?.contentType).toContain(
      "text/html",
    );
    const manifest = JSON.parse(s3.text("reports-bucket/reports/demo-shop/latest/manifest.json") ?? "{}");
    expect(manifest.dated).toBe(`s3://reports-bucket/reports/demo-shop/${day}/`);
    expect(manifest.files).toContain("report.html");
    // The manifest is the last object written to latest/.
    const latestPuts = s3.calls.filter((c) => c.method === "PUT" && c.key.includes("/latest/"));
    expect(latestPuts.at(-1)?.key).toBe("reports/demo-shop/latest/manifest.json");
    // The history push was conditional on there being none yet.
    const push = s3.calls.find((c) => c.method === "PUT" && c.key === "capacity/demo-shop/capacity.duckdb");
    expect(push?.headers["if-none-match"]).toBe("*");
    pushed = s3.objects.get(HISTORY);

    // The chat message: cost, savings per family, top actions, a link; the URL never logged.
    expect(received).toHaveLength(1);
    expect(received[0]?.type).toBe("application/json");
    const { text } = JSON.parse(received[0]!.body) as { text: string };
    expect(text).toContain("*capacity: demo-shop*");
    const summary = JSON.parse(
      s3.text(`reports-bucket/reports/demo-shop/${day}/recommendations.json`) ?? "{}",
    ).summary;
    const usd = (n: number) =>
      `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    expect(text).toContain(
      `Monthly cost ${usd(summary.monthlyCostUsd)}; savings found ${usd(summary.potentialMonthlySavingsUsd)} a month`,
    );
    expect(text).toMatch(/• rightsizing: \$[\d,.]+ \(/);
    expect(text).toContain("Top actions:");
    expect(text).toContain(
      "<https://s3.console.aws.amazon.com/s3/buckets/reports-bucket?prefix=reports%2Fdemo-shop%2Flatest%2F|Open the report>",
    );
    expect(r.stderr).not.toContain("secret-token");
  }, 600_000);

  it("starts the next run from the history in S3, even on a machine without the file, and replaces what latest/ held", async () => {
    seedHistory();
    const firstVersion = s3.objects.get(HISTORY)!.etag;
    // A stale file in latest/ from an older run goes; the dated folders stay.
    s3.objects.set("reports-bucket/reports/demo-shop/latest/old-section.csv", {
      body: Buffer.from("x"),
      etag: '"0"',
      contentType: "text/csv",
      lastModified: new Date(),
    });
    const second = setup();
    const r = await second.run();
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines.some((l) => l.msg === "history pulled from S3")).toBe(true);
    const push = s3.calls
      .filter((c) => c.method === "PUT" && c.key === "capacity/demo-shop/capacity.duckdb")
      .at(-1);
    expect(push?.headers["if-match"]).toBe(firstVersion);
    expect(s3.objects.get(HISTORY)!.etag).not.toBe(firstVersion);
    expect(s3.objects.has("reports-bucket/reports/demo-shop/latest/old-section.csv")).toBe(false);
    // The pushed history holds both runs: the report on a third machine reads the second one.
    const third = setup();
    const report = await cliAsync(
      [
        "report",
        "--config",
        join(third.dir, "capacity.yaml"),
        "--database",
        join(third.dir, "capacity.duckdb"),
        "--out",
        join(third.dir, "out"),
        "--format",
        "json",
      ],
      { cwd: third.dir, env: s3.env },
    );
    expect(report.code, report.stderr).toBe(0);
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const db = await DuckDBInstance.create(join(third.dir, "capacity.duckdb"));
    const connection = await db.connect();
    const runs = (await connection.runAndReadAll("SELECT count(*)::INTEGER AS n FROM runs")).getRowObjects();
    connection.closeSync();
    expect(runs[0]?.n).toBe(2);
  }, 360_000);

  it("stops before changing anything when another run holds the lock, naming it", async () => {
    seedHistory();
    const before = s3.objects.get(HISTORY)!.etag;
    const held = {
      runId: "20261129T050000Z-other",
      host: "capacity-29123-abcde",
      acquiredAt: new Date().toISOString(),
    };
    s3.objects.set(`${HISTORY}.lock`, {
      body: Buffer.from(JSON.stringify(held)),
      etag: '"lock"',
      contentType: "application/json",
      lastModified: new Date(),
    });
    const r = await setup().run();
    expect(r.code).toBe(1);
    expect(errors(r.lines).join()).toContain(
      "the history is locked by run 20261129T050000Z-other on capacity-29123-abcde",
    );
    expect(s3.objects.get(HISTORY)!.etag).toBe(before);
    // The other run's lock stays.
    expect(s3.text(`${HISTORY}.lock`)).toContain("20261129T050000Z-other");
  }, 360_000);

  it("lets exactly one of two runs started together write the history; the other exits 1 and says which run holds it", async () => {
    seedHistory();
    const [a, b] = await Promise.all([setup().run(), setup().run()]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 1]);
    const loser = a.code === 1 ? a : b;
    expect(errors(loser.lines).join()).toMatch(/the history is locked by run \S+ on \S+ since /);
    // The winner pushed once, conditionally on the seeded version; the lock is gone.
    const pushes = s3.calls.filter(
      (c) => c.method === "PUT" && c.key === "capacity/demo-shop/capacity.duckdb",
    );
    expect(pushes).toHaveLength(1);
    expect(pushes[0]?.headers["if-match"]).toBe(pushed?.etag);
    expect(s3.objects.has(`${HISTORY}.lock`)).toBe(false);
  }, 360_000);

  it("releases the lock and leaves S3's history as it was when SIGTERM stops the run", async () => {
    seedHistory();
    const running = setup().start();
    await running.line((l) => l.msg === "history pulled from S3");
    running.child.kill("SIGTERM");
    const r = await running.result;
    expect(r.code, r.stderr).toBe(143);
    expect(s3.objects.get(HISTORY)).toBe(pushed);
    expect(s3.objects.has(`${HISTORY}.lock`)).toBe(false);
  }, 600_000);

  it("names the IAM action and the object when S3 refuses a delivery, after the history was pushed", async () => {
    s3.deny = (method, path) => method === "PUT" && path.startsWith("reports-bucket/reports/");
    const r = await setup().run();
    expect(r.code).toBe(1);
    const message = errors(r.lines).join();
    expect(message).toContain(
      "AccessDenied: the IAM identity may not call s3:PutObject on s3://reports-bucket/reports/demo-shop/",
    );
    expect(message).toContain("the run is saved");
    expect(message).toContain("capacity report --run");
    expect(s3.objects.has(HISTORY)).toBe(true);
  }, 600_000);
});
