/**
 * A password written inside prometheus.url never gets anywhere: the config check refuses it
 * (saying where credentials go), from a file, a variable or a flag, before anything is written;
 * and a URL without its scheme fails the check naming the key.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectPath } from "../../src/core/paths.js";
import { cli } from "./cli.js";

const SECRET = "s3cret-Pa55word";
const URL_WITH_SECRET = `https://capacity:${SECRET}@prometheus.example:9090`;
const DEMO = projectPath("data", "demo");

/** Every byte the run left behind (stderr, stdout, each file under dir), as text. */
function everything(dir: string, output: string): string {
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).map((f) => join(dir, f));
  return [
    output,
    ...files.filter((f) => !f.endsWith("capacity.yaml")).map((f) => readFileSync(f).toString("latin1")),
  ].join("\n");
}

describe("a password inside prometheus.url", () => {
  for (const [how, args, env, yaml] of [
    ["a flag", ["--prometheus.url", URL_WITH_SECRET], {}, undefined],
    ["a CAPACITY_* variable", [], { CAPACITY_PROMETHEUS__URL: URL_WITH_SECRET }, undefined],
    ["the config file", [], {}, `prometheus:\n  url: ${URL_WITH_SECRET}\n`],
  ] as const) {
    it(`is refused from ${how}, pointing to basicAuth.passwordFile, and appears nowhere`, () => {
      const dir = mkdtempSync(join(tmpdir(), "capacity-secrets-"));
      if (yaml) writeFileSync(join(dir, "capacity.yaml"), yaml);
      const r = cli(
        ["run", "--from", DEMO, "--database", join(dir, "c.duckdb"), "--out", join(dir, "out"), ...args],
        {
          cwd: dir,
          env,
        },
      );
      expect(r.code).toBe(2);
      const error = r.lines.find((l) => l.level === "error");
      expect(String(error?.msg)).toContain("prometheus.url: must not hold credentials");
      expect(String(error?.msg)).toContain("prometheus.basicAuth.passwordFile");
      expect(String(error?.msg)).toContain("prometheus.bearerTokenFile");
      expect(existsSync(join(dir, "c.duckdb"))).toBe(false);
      expect(everything(dir, r.stdout + r.stderr)).not.toContain(SECRET);
    });
  }
});

describe("a prometheus.url without its scheme", () => {
  it("fails the config check naming the key and the flag, before anything runs", () => {
    const dir = mkdtempSync(join(tmpdir(), "capacity-secrets-"));
    const r = cli(
      ["collect", "--from", DEMO, "--database", join(dir, "c.duckdb"), "--prometheus.url", "prometheus:9090"],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(2);
    expect(String(r.lines.find((l) => l.level === "error")?.msg)).toMatch(
      /prometheus\.url: must start with http:\/\/ or https:\/\/.*\(set by --prometheus\.url\)/,
    );
    expect(existsSync(join(dir, "c.duckdb"))).toBe(false);
  });
});
