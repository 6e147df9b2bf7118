/**
 * The CLI's face on the demo: tables and documents on stdout (`get`, `report -o`, `--out -`),
 * scope flags checked against the unfiltered output, `config show`/`validate`, grouped help, the
 * run summary and progress lines.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { parse as parseYaml } from "yaml";
import { projectPath } from "../../src/core/paths.js";
import { demoClusterData, startFakeApiServer } from "../fixtures/fake-apiserver.js";
import { type CliResult, cli, cliAsync } from "./cli.js";

// Each test runs the CLI several times; on a loaded machine one run takes seconds.
vi.setConfig({ testTimeout: 300_000 });

type Item = Record<string, unknown>;
let dir: string;
let demo: CliResult;
const db = () => ["--database", join(dir, "capacity.duckdb")];
const json = (r: CliResult) => JSON.parse(r.stdout) as { items: Item[]; scope: Record<string, unknown> };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "capacity-cli-output-"));
  demo = cli(["demo", "--out", dir]);
  expect(demo.code, demo.stderr).toBe(0);
}, 300_000);

describe("capacity get", () => {
  it("prints a table as JSON that a JSON parser reads, with every row of recommendations.json", () => {
    const r = cli(["get", "costs", "-o", "json", ...db()], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const file = JSON.parse(readFileSync(join(dir, "recommendations.json"), "utf8"));
    expect(json(r).items).toEqual(file.costAllocation);
  });

  it.skipIf(!existsSync("/usr/bin/jq"))("pipes -o json to jq, which reads every row and their money", () => {
    const r = cli(["get", "rightsizing", "-o", "json", ...db()], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const jq = spawnSync("jq", ["-e", "[(.items | length), ([.items[].monthlySavingsUsd // 0] | add)]"], {
      input: r.stdout,
      encoding: "utf8",
    });
    expect(jq.status, jq.stderr).toBe(0);
    const [rows, usd] = JSON.parse(jq.stdout) as [number, number];
    const items = json(r).items;
    expect(rows).toBe(items.length);
    expect(usd).toBeCloseTo(
      items.reduce((a, i) => a + Number(i.monthlySavingsUsd ?? 0), 0),
      6,
    );
  });

  it("filters by -n to exactly the unfiltered rows of that namespace, and says the output is scoped", () => {
    const all = json(cli(["get", "rightsizing", "-o", "json", ...db()], { cwd: dir }));
    const some = json(
      cli(["get", "rightsizing", "-n", "checkout", "-n", "payments", "-o", "json", ...db()], { cwd: dir }),
    );
    const expected = all.items.filter((i) => i.namespace === "checkout" || i.namespace === "payments");
    expect(expected.length).toBeGreaterThan(0);
    expect(some.items).toEqual(expected);
    expect(some.scope.namespaces).toEqual(["checkout", "payments"]);
    expect(String(some.scope.notes)).toContain("whole cluster");
  });

  it("splits rows by -l into those matching and those not, which add up to every workload row", () => {
    const all = json(cli(["get", "costs", "-o", "json", ...db()], { cwd: dir })).items;
    const yes = json(cli(["get", "costs", "-l", "team=payments", "-o", "json", ...db()], { cwd: dir })).items;
    const no = json(cli(["get", "costs", "-l", "team!=payments", "-o", "json", ...db()], { cwd: dir })).items;
    expect(yes.length).toBeGreaterThan(0);
    expect(no.length).toBeGreaterThan(0);
    expect(yes.length + no.length).toBe(all.filter((i) => typeof i.workloadName === "string").length);
  });

  it("keeps the narrow table within 120 columns, shows more with -o wide, and writes CSV and YAML", () => {
    const narrow = cli(["get", "rightsizing", ...db()], { cwd: dir });
    expect(narrow.code).toBe(0);
    expect(Math.max(...narrow.stdout.split("\n").map((l) => l.length))).toBeLessThanOrEqual(120);
    const wide = cli(["get", "rightsizing", "-o", "wide", ...db()], { cwd: dir });
    expect(wide.stdout.split("\n")[0]!.split(/\s{2,}/).length).toBeGreaterThan(
      narrow.stdout.split("\n")[0]!.split(/\s{2,}/).length,
    );
    const csv = cli(["get", "idle", "-o", "csv", ...db()], { cwd: dir })
      .stdout.trim()
      .split("\n");
    expect(csv[0]).toBe("cluster,kind,namespace,name,monthlyCostUsd,reason");
    const yaml = parseYaml(cli(["get", "idle", "-o", "yaml", ...db()], { cwd: dir }).stdout);
    expect(yaml.items).toHaveLength(csv.length - 1);
  });

  it("exits 2 on an unknown table, listing the tables there are", () => {
    const r = cli(["get", "nope", ...db()], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cost-allocation");
  });

  it("refuses a selector that does not parse, naming -l", () => {
    const r = cli(["get", "costs", "-l", "team in (a", ...db()], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("-l/--selector");
  });
});

describe("capacity report on stdout", () => {
  it("prints recommendations.json with -o json (the same document, but for when it was made)", () => {
    const r = cli(["report", "-o", "json", ...db()], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const file = JSON.parse(readFileSync(join(dir, "recommendations.json"), "utf8"));
    expect({ ...JSON.parse(r.stdout), generatedAt: "" }).toEqual({ ...file, generatedAt: "" });
  });

  it("prints one document for --out - and --out /dev/stdout, and makes no folder named -", () => {
    const cwd = mkdtempSync(join(tmpdir(), "capacity-stdout-"));
    const dash = cli(["report", "--format", "md", "--out", "-", ...db()], { cwd });
    expect(dash.code, dash.stderr).toBe(0);
    expect(dash.stdout.startsWith("# ")).toBe(true);
    expect(existsSync(join(cwd, "-"))).toBe(false);
    const dev = cli(["report", "--format", "json", "--out", "/dev/stdout", ...db()], { cwd });
    expect(dev.code, dev.stderr).toBe(0);
    expect(JSON.parse(dev.stdout).schemaVersion).toBeDefined();
    const many = cli(["report", "--out", "-", ...db()], { cwd });
    expect(many.code).toBe(2);
  });

  it("says the summary is the whole cluster's and gives the scope's own cost", () => {
    const r = cli(["report", "-o", "json", "-n", "payments", ...db()], { cwd: dir });
    const doc = JSON.parse(r.stdout);
    const own = doc.costAllocation.reduce((a: number, i: Item) => a + Number(i.monthlyCostUsd), 0);
    expect(doc.scope.monthlyCostUsd).toBeCloseTo(own, 1);
    expect(doc.summary.monthlyCostUsd).toBeGreaterThan(doc.scope.monthlyCostUsd);
    const table = cli(["report", "-o", "table", "-n", "payments", ...db()], { cwd: dir });
    expect(table.stdout).toContain("SUMMARY (whole cluster");
    expect(table.stdout).toContain("IN SCOPE");
  });
});

describe("scoped report files", () => {
  const money = (text: string, before: string) =>
    Number(new RegExp(`${before}\\$([\\d,.]+)`).exec(text)?.[1]?.replace(/,/g, ""));

  it("say at their top that -n does not filter them, with the whole run's total and the namespace's own cost", () => {
    const out = mkdtempSync(join(tmpdir(), "capacity-scoped-"));
    const r = cli(["report", "-n", "payments", "--out", out, ...db()], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(out, "report.md"), "utf8");
    const html = readFileSync(join(out, "report.html"), "utf8");
    const banner = md.split("\n").find((l) => l.startsWith("> **Scoped report.**"))!;
    expect(md.indexOf(banner)).toBeLessThan(md.indexOf("| Cluster cost"));
    expect(banner).toContain("Asked for -n payments: this file is not filtered by it");
    const doc = JSON.parse(cli(["report", "-o", "json", "-n", "payments", ...db()], { cwd: dir }).stdout);
    expect(money(banner, "What was asked for costs ")).toBeCloseTo(doc.scope.monthlyCostUsd, 0);
    expect(money(banner, "the whole run's \\(")).toBeCloseTo(doc.summary.monthlyCostUsd, 0);
    expect(html).toMatch(
      /<div class="scope" role="note"><strong>Scoped report.<\/strong> Asked for -n payments/,
    );
    expect(html.indexOf('class="scope"')).toBeLessThan(html.indexOf('class="cards"'));
    // The demo's own files are not scoped and say nothing of it.
    expect(readFileSync(join(dir, "report.md"), "utf8")).not.toContain("Scoped report");
  });

  it("say a run collected with --cluster holds that cluster only, every total included", () => {
    const out = mkdtempSync(join(tmpdir(), "capacity-scoped-run-"));
    const bundle = join(import.meta.dirname, "..", "..", "data", "demo");
    const r = cli(
      ["run", "--from", bundle, "--cluster", "demo-shop", "--database", join(out, "c.duckdb"), "--out", out],
      { cwd: out },
    );
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(out, "report.md"), "utf8");
    expect(md).toContain(
      "> **Scoped report.** Collected for cluster demo-shop only (--cluster): every figure and total in this report is for this cluster only.",
    );
    expect(md).not.toContain("not filtered");
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("Collected for cluster demo-shop only");
  });
  it("say which kube contexts a run was collected from with --context or --all-contexts, and that the totals are theirs", async () => {
    const server = await startFakeApiServer(demoClusterData(projectPath("data", "demo")));
    try {
      const out = mkdtempSync(join(tmpdir(), "capacity-scoped-contexts-"));
      writeFileSync(
        join(out, "kubeconfig"),
        server.kubeconfig([{ name: "shop-ctx" }, { name: "other-ctx" }]),
      );
      const env = { KUBECONFIG: join(out, "kubeconfig"), AWS_EC2_METADATA_DISABLED: "true" };
      const run = (name: string, ...flags: string[]) =>
        cliAsync(
          [
            "run",
            ...flags,
            "--region",
            "us-east-1",
            "--database",
            join(out, `${name}.duckdb`),
            "--out",
            join(out, name),
          ],
          { cwd: out, env },
        );
      // Live, with no Prometheus and no AWS credentials: usage and the bill are missing (exit 3).
      const all = await run("all", "--all-contexts");
      expect(all.code, all.stderr).toBe(3);
      const allMd = readFileSync(join(out, "all", "report.md"), "utf8");
      expect(allMd).toContain(
        "> **Scoped report.** Collected from kube contexts shop-ctx, other-ctx (--all-contexts): every figure and total in this report is for their clusters only.",
      );
      expect(readFileSync(join(out, "all", "report.html"), "utf8")).toMatch(
        /<div class="scope" role="note"><strong>Scoped report.<\/strong> Collected from kube contexts shop-ctx, other-ctx \(--all-contexts\)/,
      );
      const one = await run("one", "--context", "other-ctx");
      expect(one.code, one.stderr).toBe(3);
      const oneMd = readFileSync(join(out, "one", "report.md"), "utf8");
      expect(oneMd).toContain(
        "> **Scoped report.** Collected from kube context other-ctx (--context): every figure and total in this report is for its cluster only.",
      );
      expect(readFileSync(join(out, "one", "report.html"), "utf8")).toContain(
        "Collected from kube context other-ctx (--context)",
      );
      // The one context's run holds its cluster alone.
      const clusters = (dir: string) =>
        new Set(
          (
            JSON.parse(readFileSync(join(out, dir, "recommendations.json"), "utf8")) as {
              costAllocation: Array<{ cluster: string }>;
            }
          ).costAllocation.map((r) => r.cluster),
        );
      expect([...clusters("one")]).toEqual(["other-ctx"]);
      expect([...clusters("all")].sort()).toEqual(["other-ctx", "shop-ctx"]);
    } finally {
      await server.close();
    }
  });
});

describe("the end of a run", () => {
  it("logs a summary line with the cost, the savings by family, the coverage and the exit code in words", () => {
    const summary = demo.lines.find((l) => l.msg === "run summary")!;
    expect(summary).toMatchObject({ exitCode: 0, exitMeaning: expect.stringContaining("every source") });
    expect(summary.monthlyCostUsd).toBeGreaterThan(0);
    expect(summary["savings.rightsizing"]).toBeGreaterThan(0);
    expect(String(summary.sources)).toContain("prometheus:ok");
  });

  it("logs the models' progress as JSON lines, ending at the total", () => {
    const models = demo.lines.filter((l) => l.msg === "progress" && l.task === "models");
    expect(models.length).toBeGreaterThan(0);
    const last = models.at(-1)!;
    expect(last.done).toBe(last.total);
  });
});

describe("capacity config", () => {
  it("shows each value with its origin and never a header's value", () => {
    const cwd = mkdtempSync(join(tmpdir(), "capacity-config-"));
    writeFileSync(
      join(cwd, "capacity.yaml"),
      "historyDays: 7\nprometheus:\n  url: http://prom:9090\n  headers:\n    Authorization: Bearer s3cret-token\n",
    );
    const r = cli(["config", "show", "-o", "json", "--prometheus.concurrency", "2", "-n", "shop"], {
      cwd,
      env: { CAPACITY_STRICT: "true" },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain("s3cret");
    const shown = JSON.parse(r.stdout);
    expect(shown.origins).toMatchObject({
      historyDays: "capacity.yaml",
      strict: "CAPACITY_STRICT",
      "prometheus.concurrency": "--prometheus.concurrency",
      "scope.namespaces": "-n/--namespace",
      database: "default",
    });
    expect(shown.config.prometheus.headers.Authorization).toBe("[redacted]");
    const yaml = cli(["config", "show"], { cwd });
    expect(yaml.stdout).toMatch(/historyDays: 7 # capacity\.yaml/);
  });

  it("turns --context, --all-contexts, --kubeconfig, --region and --profile into the clusters and clients' settings", () => {
    const cwd = mkdtempSync(join(tmpdir(), "capacity-contexts-"));
    const arn = (region: string, name: string) => `arn:aws:eks:${region}:123456789012:cluster/${name}`;
    const contexts = [arn("us-east-1", "prod-use1"), arn("eu-west-1", "prod-euw1"), "kind-local"];
    writeFileSync(
      join(cwd, "kubeconfig"),
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]",
        "users: [{name: u, user: {token: t}}]",
        `contexts: [${contexts.map((c) => `{name: '${c}', context: {cluster: c, user: u}}`).join(", ")}]`,
        `current-context: '${contexts[0]}'`,
      ].join("\n"),
    );
    const show = (...args: string[]) =>
      cli(["config", "show", "-o", "json", "--kubeconfig", "kubeconfig", ...args], { cwd });
    const two = JSON.parse(
      show("--context", contexts[0]!, "--context", contexts[1]!, "--profile", "finops").stdout,
    );
    expect(two.config.clusters).toEqual([
      { name: "prod-use1", context: contexts[0], region: "us-east-1" },
      { name: "prod-euw1", context: contexts[1], region: "eu-west-1" },
    ]);
    expect(two.config.aws.profile).toBe("finops");
    expect(two.origins.clusters).toBe("--context");
    const noRegion = show("--all-contexts");
    expect(noRegion.code).toBe(2);
    expect(noRegion.stderr).toContain(
      "--context kind-local: its name does not tell the cluster's AWS region",
    );
    const all = JSON.parse(show("--all-contexts", "--region", "us-east-2").stdout);
    expect(all.config.clusters.map((c: { region: string }) => c.region)).toEqual([
      "us-east-2",
      "us-east-2",
      "us-east-2",
    ]);
    const current = JSON.parse(show("--region", "us-west-2").stdout);
    expect(current.config.clusters).toEqual([
      { name: "prod-use1", context: contexts[0], region: "us-west-2" },
    ]);
  });

  it("validates: exit 0 for a good file, 2 listing every bad key", () => {
    const cwd = mkdtempSync(join(tmpdir(), "capacity-validate-"));
    writeFileSync(join(cwd, "good.yaml"), "historyDays: 7\n");
    writeFileSync(join(cwd, "bad.yaml"), "historyDays: 700\nscope:\n  namespaces: [Not_A_Namespace]\n");
    expect(cli(["config", "validate", "-c", "good.yaml"], { cwd }).code).toBe(0);
    const bad = cli(["config", "validate", "-c", "bad.yaml"], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("historyDays");
    expect(bad.stderr).toContain("scope.namespaces.0");
  });
});

describe("help", () => {
  it("groups each command's options, gives examples, hides config keys there and lists them under config", () => {
    for (const command of ["demo", "collect", "analyze", "report", "run", "get"]) {
      const help = cli([command, "--help"]).stdout;
      expect(help, command).toContain("Examples:");
      expect(help, command).not.toContain("--history-days <value>");
      expect(help, command).not.toContain("--output-dir");
    }
    const run = cli(["run", "--help"]).stdout;
    for (const heading of ["Scope (what to collect and show):", "Sources:", "Output:"])
      expect(run).toContain(heading);
    expect(run).toContain("--kubeconfig <file>");
    const config = cli(["config", "--help"]).stdout;
    expect(config).toContain("--history-days <value>");
    expect(config).toContain("Config keys: prometheus");
  });

  it("lists every command under its purpose, forecast under planning for a peak, and none as not implemented", () => {
    const help = cli(["--help"]).stdout;
    expect(help).not.toContain("Not implemented yet");
    for (const group of ["Build a run:", "Read a run:", "Configure:", "Plan for a peak:"])
      expect(help, group).toContain(group);
    expect(help.indexOf("forecast")).toBeGreaterThan(help.indexOf("Plan for a peak:"));
    expect(help.indexOf("export")).toBeGreaterThan(help.indexOf("Read a run:"));
  });
});
