/**
 * The Dockerfile, read as text (no Docker engine runs here): a pinned base, a final stage with
 * production dependencies only, a non-root numeric user, tini in front of the compiled entry
 * point, and the same files as the npm package. test/e2e/package.test.ts runs that entry point
 * from a packed install.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { projectPath } from "../../src/core/paths.js";

interface Instruction {
  op: string;
  args: string;
}

interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Dockerfile instructions (continuation lines joined, comments dropped), grouped by stage. */
function stages(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  const result: Stage[] = [];
  for (const line of lines) {
    const [, op = "", args = ""] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === "FROM") {
      const [from = "", , name] = args.split(/\s+/);
      result.push({ from, ...(name ? { name } : {}), instructions: [] });
    } else {
      result.at(-1)?.instructions.push({ op: op.toUpperCase(), args });
    }
  }
  return result;
}

const all = stages(readFileSync(projectPath("Dockerfile"), "utf8"));
const final = all.at(-1)!;
const pkg = JSON.parse(readFileSync(projectPath("package.json"), "utf8")) as {
  bin: Record<string, string>;
  files: string[];
};
const of = (op: string) => final.instructions.filter((i) => i.op === op);

describe("Dockerfile", () => {
  it("builds in one stage and runs from another", () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(of("COPY").some((c) => /--from=\S+\s+\S*dist\s/.test(c.args))).toBe(true);
  });

  it("pins every base image by an exact version tag or a digest", () => {
    for (const stage of all) {
      expect(stage.from, stage.from).toMatch(
        /^[\w./-]+(:[\w.-]*\d+\.\d+\.\d+[\w.-]*)(@sha256:[0-9a-f]{64})?$|@sha256:[0-9a-f]{64}$/,
      );
    }
  });

  it("installs production dependencies only in the final stage, and copies none from the build", () => {
    const installs = of("RUN").filter((r) => /\bnpm (ci|install|i)\b/.test(r.args));
    expect(installs.length).toBe(1);
    expect(installs[0]!.args).toMatch(/\bnpm ci\b.*--omit=dev/);
    expect(of("COPY").some((c) => c.args.includes("node_modules"))).toBe(false);
  });

  it("runs as a numeric, non-root user", () => {
    const user = of("USER").at(-1)?.args ?? "";
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(
      user
        .split(":")
        .map(Number)
        .every((id) => id > 0),
    ).toBe(true);
  });

  it("starts the package's compiled bin through tini, so that SIGTERM reaches the run", () => {
    const entrypoint = JSON.parse(of("ENTRYPOINT").at(-1)?.args ?? "[]") as string[];
    expect(entrypoint.slice(0, 3)).toEqual(["/usr/bin/tini", "--", "node"]);
    expect(entrypoint[3]).toBe(`/app/${pkg.bin.capacity}`);
    expect(of("RUN").some((r) => /apt-get install .*\btini\b/.test(r.args))).toBe(true);
  });

  it("works in /data with TMPDIR in /tmp, the two places a read-only root may write", () => {
    expect(of("WORKDIR").at(-1)?.args).toBe("/data");
    expect(of("ENV").some((e) => /\bTMPDIR=\/tmp\b/.test(e.args))).toBe(true);
  });

  it("copies into the image the files the npm package ships, and .dockerignore lets them through", () => {
    const ignore = readFileSync(projectPath(".dockerignore"), "utf8").split("\n");
    const copied = of("COPY")
      .filter((c) => !c.args.startsWith("--from"))
      .flatMap((c) => c.args.split(/\s+/).slice(0, -1));
    const shipped = pkg.files.filter((f) => f !== "dist");
    expect(copied.filter((f) => !f.startsWith("package"))).toEqual(expect.arrayContaining(shipped));
    for (const path of copied)
      expect(ignore, path).toEqual(expect.arrayContaining([expect.stringMatching(`^!${path}/?$`)]));
  });
});
