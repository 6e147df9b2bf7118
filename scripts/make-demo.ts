/**
 * Regenerates the embedded demo cluster in data/demo/ from the seeded generator.
 *   npx tsx scripts/make-demo.ts [--seed N] [--out DIR]
 * The same seed always writes the same bytes; test/unit/demo.test.ts checks the committed
 * bundle against a fresh generation.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { projectPath } from "../src/core/paths.js";
import { DEMO_SEED, generateDemo } from "./demo/generate.js";
import { readDemoInputs } from "./demo/inputs.js";

const { values } = parseArgs({ options: { seed: { type: "string" }, out: { type: "string" } } });
const out = values.out ?? projectPath("data", "demo");
const bundle = generateDemo(readDemoInputs(Number(values.seed ?? DEMO_SEED)));
rmSync(out, { recursive: true, force: true });
for (const [path, content] of bundle.files) {
  mkdirSync(dirname(join(out, path)), { recursive: true });
  writeFileSync(join(out, path), content);
}
process.stdout.write(`${JSON.stringify(bundle.facts, null, 2)}\n`);
