/**
 * The CLI's contract: exit codes (0 ok, 1 fatal, 2 usage/config, 3 sources missing), errors that
 * name the key or source, and reports that keep what comes from the cluster as text.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectPath } from "../../src/core/paths.js";
import { cli } from "./cli.js";

const tmp = () => mkdtempSync(join(tmpdir(), "capacity-cli-"));

function bundleCopy(): string {
  const dir = join(tmp(), "bundle");
  cpSync(projectPath("data", "demo"), dir, { recursive: true });
  return dir;
}

const errors = (r: ReturnType<typeof cli>) =>
  r.lines.filter((l) => l.level === "error").map((l) => `${l.msg} ${l.fix ?? ""}`);

describe("capacity CLI", () => {
  it("prints help for every command and exits 0", () => {
    const r = cli(["--help"]);
    expect(r.code).toBe(0);
    for (const command of ["demo", "collect", "analyze", "report", "run", "forecast"])
      expect(r.stdout).toContain(command);
    const sub = cli(["collect", "--help"]);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain("--from <dir>");
    // Config keys are flags of every command, listed once under `capacity config --help`.
    expect(cli(["config", "--help"]).stdout).toContain("--history-days <value>");
  });

  it("exits 2 on an unknown command or option", () => {
    expect(cli(["frobnicate"]).code).toBe(2);
    expect(cli(["demo", "--no-such-flag"]).code).toBe(2);
  });

  it("exits 2 and lists every bad key as dot.path: message", () => {
    const dir = tmp();
    writeFileSync(join(dir, "capacity.yaml"), "historyDays: 400\nallocation:\n  splitMethod: evenly\n");
    const r = cli(["analyze"], { cwd: dir });
    expect(r.code).toBe(2);
    const text = errors(r).join("\n");
    expect(text).toContain("historyDays:");
    expect(text).toContain("allocation.splitMethod:");
  });

  it("takes configuration from CAPACITY_* variables, and refuses bad ones with exit 2", () => {
    const r = cli(["analyze"], { cwd: tmp(), env: { CAPACITY_PROMETHEUS__CONCURRENCY: "99" } });
    expect(r.code).toBe(2);
    expect(errors(r).join("\n")).toContain("prometheus.concurrency:");
  });

  it("says clearly what cannot run, with exit 2", () => {
    const home = tmp();
    const collect = cli(["collect"], { cwd: home, env: { HOME: home } });
    expect(collect.code).toBe(2);
    expect(errors(collect).join()).toContain(
      "no kubeconfig found (KUBECONFIG, ~/.kube/config) and not running in a pod",
    );
    const badPath = cli(["collect"], { cwd: home, env: { KUBECONFIG: "/nonexistent/kubeconfig" } });
    expect(badPath.code).toBe(2);
    expect(errors(badPath).join()).toContain("cannot load the kubeconfig: ENOENT");
    const both = cli(["collect", "--from", "x", "--record", "y"], { cwd: tmp() });
    expect(both.code).toBe(2);
    expect(errors(both).join()).toContain("--record and --from do not go together");
    const dir = tmp();
    writeFileSync(
      join(dir, "capacity.yaml"),
      "events:\n  sale:\n    start: 2026-11-27\n    end: 2026-11-30\n    uplift: 3\n",
    );
    const forecast = cli(["forecast", "--event", "sale"], { cwd: dir });
    expect(forecast.code).toBe(2);
    expect(errors(forecast).join()).toContain("holds no run yet");
    const unknown = cli(["forecast", "--event", "launch"], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(errors(unknown).join()).toContain(
      "no event named launch in the configuration events defined: sale",
    );
    const zoneless = cli(["forecast", "--event", "sale", "--start", "2026-11-27T06:00"], { cwd: dir });
    expect(zoneless.code).toBe(2);
    expect(errors(zoneless).join()).toContain('--start "2026-11-27T06:00"');
  });

  it("exits 2 when there is nothing to analyze yet", () => {
    const dir = tmp();
    const r = cli(["report", "--database", join(dir, "empty.duckdb")], { cwd: dir });
    expect(r.code).toBe(2);
    expect(errors(r).join()).toContain("holds no run yet");
  });

  it("finishes with exit 3 when a source is missing, and the report says which", () => {
    const bundle = bundleCopy();
    rmSync(join(bundle, "prometheus"), { recursive: true });
    const dir = tmp();
    const r = cli(["run", "--from", bundle, "--database", join(dir, "c.duckdb"), "--out", join(dir, "out")], {
      cwd: dir,
    });
    expect(r.code).toBe(3);
    const md = readFileSync(join(dir, "out", "report.md"), "utf8");
    expect(md).toContain("**Incomplete:**");
    expect(md).toMatch(
      /\| demo-shop \| prometheus \| missing \| bundle \| 0 \| the bundle has no usage history \|/,
    );
    expect(md).toContain("Without usage history, pods are charged their requests.");
    const strict = cli(
      ["run", "--from", bundle, "--database", join(dir, "c.duckdb"), "--out", join(dir, "out"), "--strict"],
      {
        cwd: dir,
      },
    );
    expect(strict.code).toBe(1);
  });

  it("keeps earlier runs when a later one fails on a broken bundle", () => {
    const dir = tmp();
    const db = join(dir, "c.duckdb");
    expect(cli(["collect", "--from", projectPath("data", "demo"), "--database", db], { cwd: dir }).code).toBe(
      0,
    );
    const bundle = bundleCopy();
    writeFileSync(join(bundle, "bundle.json"), "{ not json");
    const broken = cli(["collect", "--from", bundle, "--database", db], { cwd: dir });
    expect(broken.code).toBe(1);
    expect(errors(broken).join()).toContain("bundle.json is not valid JSON");
    expect(cli(["analyze", "--database", db], { cwd: dir }).code).toBe(0);
    const report = cli(["report", "--database", db, "--out", join(dir, "out"), "--format", "json"], {
      cwd: dir,
    });
    expect(report.code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, "out", "recommendations.json"), "utf8"));
    expect(json.summary.monthlyCostUsd).toBeGreaterThan(1000);
  });

  it("renders names and annotations from the cluster as text, never as markup", () => {
    const bundle = bundleCopy();
    const podsFile = join(bundle, "kubernetes", "demo-shop", "pods.json");
    const pods = JSON.parse(readFileSync(podsFile, "utf8"));
    const fargatePod = pods.items.find(
      (p: { metadata: { annotations: Record<string, string> } }) =>
        p.metadata.annotations.CapacityProvisioned,
    );
    fargatePod.metadata.annotations.CapacityProvisioned = '<script>alert("owned")</script>|x';
    writeFileSync(podsFile, JSON.stringify(pods));
    const dir = tmp();
    const r = cli(["run", "--from", bundle, "--database", join(dir, "c.duckdb"), "--out", join(dir, "out")], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    // An annotation that is no Fargate size is reported as unparseable: its text is not shown at all
    // (Markdown has markup that escaping HTML does not neutralise), only kept verbatim in the JSON.
    const html = readFileSync(join(dir, "out", "report.html"), "utf8");
    // The page's one script is its own (sorting and filtering, allowed by its hash): none from the cluster.
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("alert(");
    expect(html).toContain('<span class="badge warn">unparseable</span>');
    const md = readFileSync(join(dir, "out", "report.md"), "utf8");
    expect(md).not.toContain("<script>");
    expect(md).not.toContain("alert(");
    expect(md).toMatch(/\| unparseable \|/);
    const json = JSON.parse(readFileSync(join(dir, "out", "recommendations.json"), "utf8"));
    expect(json.fargate.map((p: { annotation: string }) => p.annotation)).toContain(
      '<script>alert("owned")</script>|x',
    );
  });

  it("reports analyzed runs only: a run not analyzed is named with the command to run, exit 2", () => {
    const dir = tmp();
    const db = join(dir, "c.duckdb");
    expect(cli(["collect", "--from", projectPath("data", "demo"), "--database", db], { cwd: dir }).code).toBe(
      0,
    );
    const r = cli(["report", "--database", db, "--out", join(dir, "out")], { cwd: dir });
    expect(r.code).toBe(2);
    expect(errors(r).join()).toMatch(
      /run \d{8}T\d{6}Z-[0-9a-f]{4} \(the latest\) was collected but not analyzed/,
    );
    expect(errors(r).join()).toMatch(/capacity analyze --run \d{8}T/);
    expect(() => readFileSync(join(dir, "out", "report.md"))).toThrow();
  });

  it("writes only the formats asked for, and refuses an unknown one", () => {
    const dir = tmp();
    const db = join(dir, "c.duckdb");
    expect(cli(["collect", "--from", projectPath("data", "demo"), "--database", db], { cwd: dir }).code).toBe(
      0,
    );
    const bad = cli(["report", "--database", db, "--format", "pdf"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(errors(bad).join()).toContain("unknown report format pdf");
    expect(cli(["analyze", "--database", db], { cwd: dir }).code).toBe(0);
    expect(
      cli(["report", "--database", db, "--format", "md,csv", "--out", join(dir, "o")], { cwd: dir }).code,
    ).toBe(0);
    expect(readFileSync(join(dir, "o", "costs.csv"), "utf8").split("\n")[0]).toBe(
      "cluster,namespace,workload_kind,workload_name,monthly_cost_usd,monthly_cpu_cost_usd,monthly_memory_cost_usd,monthly_storage_cost_usd,monthly_cost_scaled_usd,pods,capacity_types,price_sources",
    );
    expect(() => readFileSync(join(dir, "o", "report.html"))).toThrow();
  });
});
