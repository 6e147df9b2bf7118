/**
 * Every flag a message or help text tells the user to pass exists: a hint naming `--context`
 * when there was none is how this test came to be.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/main.js";
import { projectPath } from "../../src/core/paths.js";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

function flagsOf(command: Command): string[] {
  return [
    ...command.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f))),
    ...command.commands.flatMap(flagsOf),
  ];
}

/** Flags of other programs that our messages quote (aws, kubectl, node). */
const OTHERS = new Set([
  "--help",
  "--nodegroup-name",
  "--scaling-config",
  "--query",
  "--requests",
  "--limits",
  "--horizontal-pod-autoscaler-tolerance",
  "--type",
  "--patch",
  "--name",
  "--cluster-name",
  "--addon-name",
  "--addon-version",
  "--resolve-conflicts",
  "--service-account-role-arn",
  "--configuration-values",
  "--import",
  "--no-sandbox",
  "--from-literal",
  "--dry-run",
  "--server-side",
  "--field-manager",
  "--replicas",
  "--skip-nodes-with-local-storage",
  "--ignore-not-found",
  // Not a flag: the report's HTML comment marking where the table of contents goes (<!--toc-->).
  "--toc",
]);

describe("flags named in messages", () => {
  it("exist on some command, one name each", () => {
    const program = buildProgram(() => {});
    const known = new Set(flagsOf(program));
    const named = new Map<string, string>();
    for (const file of files(projectPath("src"))) {
      const text = readFileSync(file, "utf8");
      // Flags inside strings and template literals (messages, hints, help), not comments.
      for (const literal of text.match(/"[^"\n]*"|`[^`]*`/g) ?? []) {
        for (const flag of literal.match(/(?<![\w-])--[a-z][a-z0-9.-]*[a-z0-9]/g) ?? [])
          named.set(flag, file);
      }
    }
    const unknown = [...named].filter(([flag]) => !known.has(flag) && !OTHERS.has(flag));
    expect(unknown.map(([flag]) => flag)).toEqual([]);
    expect(known.has("--output-dir")).toBe(false);
  });
});
