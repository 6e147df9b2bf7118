/**
 * The package as users and the image get it: `npm pack` (its prepack builds dist/), then the
 * tarball installed globally into an empty prefix, and the installed `capacity` binary run from
 * an unrelated folder. A file missing from `files` (a query, a template, the reference data, the
 * demo bundle) or a broken `bin` fails here, not on a user's machine. The Dockerfile runs the
 * same entry point (dist/cli/bin.js) over the same files.
 */
import { type SpawnSyncOptions, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectPath } from "../../src/core/paths.js";

const work = mkdtempSync(join(tmpdir(), "capacity-package-"));
const prefix = join(work, "global");
const elsewhere = join(work, "elsewhere");
const bin = join(prefix, "bin", "capacity");
const version = (JSON.parse(readFileSync(projectPath("package.json"), "utf8")) as { version: string })
  .version;

/** The environment without npm's own variables (set when the suite runs under `npm test`). */
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_")),
) as NodeJS.ProcessEnv;

function run(command: string, args: string[], options: SpawnSyncOptions = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", env, timeout: 240_000, ...options });
  if (result.error) throw result.error;
  return { code: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

function ok(result: ReturnType<typeof run>, what: string) {
  if (result.code !== 0) throw new Error(`${what} failed (${result.code}):\n${result.stderr}`);
  return result;
}

let tarball = "";

beforeAll(() => {
  mkdirSync(elsewhere);
  ok(run("npm", ["pack", "--pack-destination", work], { cwd: projectPath() }), "npm pack");
  tarball = readdirSync(work).find((f) => f.endsWith(".tgz")) ?? "";
  ok(
    run(
      "npm",
      [
        "install",
        "--global",
        "--prefix",
        prefix,
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        join(work, tarball),
      ],
      { cwd: elsewhere },
    ),
    "npm install --global",
  );
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the packed capacity package", () => {
  it("is named after the package and version", () => {
    expect(tarball).toBe(`capacity-${version}.tgz`);
  });

  it("installs a capacity binary that prints the package's version", () => {
    const result = ok(run(bin, ["--version"], { cwd: elsewhere }), "capacity --version");
    expect(result.stdout.trim()).toBe(version);
  });

  it("runs the demo from any folder with only the files it ships, to the pinned figures", () => {
    const out = join(elsewhere, "out");
    ok(run(bin, ["demo", "--out", out], { cwd: elsewhere }), "capacity demo");
    for (const file of ["report.html", "report.md", "recommendations.json", "costs.csv", "capacity.duckdb"]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const summary = (path: string) =>
      (JSON.parse(readFileSync(path, "utf8")) as { summary: unknown }).summary;
    expect(summary(join(out, "recommendations.json"))).toEqual(
      summary(projectPath("test", "fixtures", "golden", "recommendations.json")),
    );
  }, 600_000);

  it("ships no sources, tests or development files", () => {
    const root = join(prefix, "lib", "node_modules", "capacity");
    expect(readdirSync(root).sort()).toEqual(
      [
        "README.md",
        "capacity.example.yaml",
        "data",
        "dist",
        "docs",
        "node_modules",
        "package.json",
        "queries",
        "reports",
      ].sort(),
    );
  });
});
