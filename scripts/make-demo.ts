/**
 * Regenerates the embedded demo cluster in data/demo/ from the seeded generator, and the run
 * before it in data/demo-history/ (four weeks of history for `capacity forecast`).
 *   npx tsx scripts/make-demo.ts [--seed N] [--out DIR]
 * The same seed always writes the same bytes; test/unit/demo.test.ts checks the committed
 * bundle against a fresh generation.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { projectPath } from "../src/core/paths.js";
import { historyBundle } from "./demo/forecast.js";
import { DEMO_SEED, generateDemo } from "./demo/generate.js";
import { readDemoInputs } from "./demo/inputs.js";

const { values } = parseArgs({ options: { seed: { type: "string" }, out: { type: "string" } } });
const out = values.out ?? projectPath("data", "demo");
const bundle = generateDemo(readDemoInputs(Number(values.seed ?? DEMO_SEED)));
const write = (dir: string, files: Map<string, string | Buffer>) => {
  rmSync(dir, { recursive: true, force: true });
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
};
write(out, bundle.files);
// The run before the demo's, for `capacity forecast` (scripts/demo/forecast.ts).
write(`${out}-history`, historyBundle(readDemoInputs(DEMO_SEED)).files);
process.stdout.write(`${JSON.stringify(bundle.facts, null, 2)}\n`);
