/**
 * Compiles the CLI once before the tests, into `.test-dist/` (beside `src/`, so that the compiled
 * `core/paths.js` finds the project root as `src/core/paths.ts` does). The tests that run the CLI
 * in a child process start this JavaScript instead of the TypeScript through tsx: the suite starts
 * a few hundred of them, and tsx's loader cost each one about 1.5 CPU-seconds more.
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { projectPath } from "../src/core/paths.js";

export const TEST_DIST = ".test-dist";

export default function setup(): void {
  const out = projectPath(TEST_DIST);
  rmSync(out, { recursive: true, force: true });
  // typescript/lib/typescript.js; tsc.js beside it (the package exports no bin path).
  const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript")), "tsc.js");
  const build = spawnSync(
    process.execPath,
    [tsc, "-p", projectPath("tsconfig.build.json"), "--outDir", out, "--sourceMap", "false"],
    { encoding: "utf8", timeout: 600_000 },
  );
  if (build.status !== 0)
    throw new Error(
      `compiling the CLI for the tests failed:\n${build.stdout}${build.stderr}${build.error ?? ""}`,
    );
}
