/**
 * The fault catalogue (issue 14): every case of bundle-mutations.ts is a copy of the demo bundle
 * with one small mutation, run through the real CLI (`capacity run --from`) into a copy of a
 * database that already holds one good run of the unmutated demo. Each asserts the exit code,
 * that the messages name the file, object and field, how many objects were quarantined, that
 * the good run's rows and marts are exactly as they were, and that no figure of the outputs moved
 * except the quarantined object's own share (its namespace, and the idle capacity it left).
 * The counts (cases, exit codes, wrong figures) are printed at the end for the closing note.
 */
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { capacityTypeOf } from "../../src/collect/kubernetes/map.js";
import { memoryLogger } from "../../src/core/logger.js";
import { projectPath } from "../../src/core/paths.js";
import { Store } from "../../src/store/store.js";
import { type CliResult, cli, cliAsync } from "../e2e/cli.js";
import { CASES, CLUSTER, type Effects, type FaultCase, namespacesOnNodes } from "./bundle-mutations.js";

const DEMO = projectPath("data", "demo");
const root = mkdtempSync(join(tmpdir(), "capacity-faults-"));
const goodDb = join(root, "good.duckdb");
const goodOut = join(root, "good-out");
/** Processes at once: the machine has two cores. */
const PARALLEL = 2;

interface Outcome {
  result: CliResult;
  effects: Effects | undefined;
  dir: string;
  db: string;
  out: string;
}

/** FAULTS=<regex> runs only the cases whose name matches (to re-run a few while fixing one). */
const SELECTED = process.env.FAULTS
  ? CASES.filter((c) => new RegExp(process.env.FAULTS ?? "").test(c.name))
  : CASES;

const outcomes = new Map<string, Outcome>();
let goodRun = "";
let goodFingerprint: Map<string, string>;
let goodCosts: Map<string, string>;
let goodAwsCosts: { rows: number; unblended: number };

/** Every table of the file that keeps runs: its row count and a hash of the rows of `runId`. */
async function fingerprint(store: Store, runId: string): Promise<Map<string, string>> {
  const tables = await store.all<{ table_name: string }>(
    "SELECT table_name FROM information_schema.columns WHERE column_name = 'run_id' AND table_schema = 'main' AND table_catalog = current_database() ORDER BY table_name",
  );
  const out = new Map<string, string>();
  for (const { table_name: t } of tables) {
    // Table names from DuckDB's own catalog; the run id is bound.
    const row = await store.one<{ n: bigint; h: bigint | null }>(
      `SELECT count(*) AS n, sum(hash(t)::HUGEINT % 1000000007) AS h FROM "${t}" AS t WHERE run_id = $1`,
      [runId],
    );
    out.set(t, `${row?.n}:${row?.h}`);
  }
  return out;
}

async function withStore<T>(path: string, read: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(path, memoryLogger());
  try {
    return await read(store);
  } finally {
    store.close();
  }
}

/** costs.csv as workload → monthly cost. */
function costs(out: string): Map<string, string> {
  const [header, ...lines] = readFileSync(join(out, "costs.csv"), "utf8").trim().split("\n");
  const at = header!.split(",").indexOf("monthly_cost_usd");
  return new Map(
    lines.map((line) => {
      const cells = line.split(",");
      return [cells.slice(0, 4).join("/"), cells[at]!];
    }),
  );
}

async function awsCosts(store: Store, runId: string) {
  const row = await store.one<{ n: bigint; usd: number | null }>(
    "SELECT count(*) AS n, sum(amount) FILTER (WHERE metric = 'UnblendedCost')::DOUBLE AS usd FROM aws_costs WHERE run_id = $1",
    [runId],
  );
  return { rows: Number(row?.n ?? 0), unblended: row?.usd ?? 0 };
}

async function runCase(c: FaultCase): Promise<void> {
  const dir = join(root, `case-${CASES.indexOf(c)}`);
  cpSync(DEMO, join(dir, "bundle"), { recursive: true });
  const db = join(dir, "capacity.duckdb");
  copyFileSync(goodDb, db);
  let effects: Effects | undefined;
  try {
    effects = c.mutate(join(dir, "bundle")) ?? undefined;
  } catch (error) {
    // The case fails on its own, with the reason; the others still run.
    outcomes.set(c.name, {
      result: { code: -1, stdout: "", stderr: String(error), lines: [] },
      effects,
      dir,
      db,
      out: "",
    });
    return;
  }
  const out = join(dir, "out");
  // The checks read recommendations.json and costs.csv only: the HTML and Markdown are not rendered.
  const result = await cliAsync([
    "run",
    "--from",
    join(dir, "bundle"),
    "--database",
    db,
    "--out",
    out,
    "--format",
    "json,csv",
  ]);
  outcomes.set(c.name, { result, effects, dir, db, out });
}

beforeAll(async () => {
  const good = cli(["run", "--from", DEMO, "--database", goodDb, "--out", goodOut]);
  if (good.code !== 0) throw new Error(`the good run failed (${good.code}):\n${good.stderr}`);
  await withStore(goodDb, async (store) => {
    goodRun = (await store.one<{ run_id: string }>("SELECT run_id FROM runs"))!.run_id;
    goodFingerprint = await fingerprint(store, goodRun);
    goodAwsCosts = await awsCosts(store, goodRun);
  });
  goodCosts = costs(goodOut);
  const queue = [...SELECTED];
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) await runCase(c);
    }),
  );
}, 1_800_000);

const tally = { cases: 0, exits: new Map<number, number>(), wrongFigures: 0 };

afterAll(() => {
  const exits = [...tally.exits].map(([code, n]) => `exit ${code}: ${n}`).join(", ");
  console.log(`fault catalogue: ${tally.cases} cases (${exits}); wrong figures found: ${tally.wrongFigures}`);
  rmSync(root, { recursive: true, force: true });
});

/** The namespaces whose figures a case may move (a node's or spot type's pods, resolved here). */
function movable(c: FaultCase): Set<string> {
  if (typeof c.figures !== "object" || !("namespaces" in c.figures)) return new Set();
  const out = new Set<string>(["(idle)"]);
  for (const ns of c.figures.namespaces) {
    if (ns.startsWith("pods on spot nodes"))
      for (const n of namespacesOnNodes(DEMO, (node) => capacityTypeOf(node.metadata.labels) === "spot"))
        out.add(n);
    else if (ns.startsWith("pods on "))
      for (const n of namespacesOnNodes(DEMO, (node) => node.metadata.name === ns.slice("pods on ".length)))
        out.add(n);
    else out.add(ns);
  }
  return out;
}

describe("fault catalogue: malformed bundles through the real CLI", () => {
  it("has at least 40 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of SELECTED) {
    it(`${c.name}: exit ${c.exit}, ${c.rejected} rejected, history intact, no other figure moved`, async () => {
      const o = outcomes.get(c.name)!;
      tally.cases++;
      tally.exits.set(o.result.code, (tally.exits.get(o.result.code) ?? 0) + 1);
      expect(o.result.code, o.result.stderr).toBe(c.exit);
      for (const words of c.says) expect(o.result.stderr).toContain(words);
      expect(o.result.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace

      await withStore(o.db, async (store) => {
        // The good run is exactly as it was, rows and marts.
        expect(await fingerprint(store, goodRun)).toEqual(goodFingerprint);
        const runs = await store.all<{ run_id: string }>("SELECT run_id FROM runs WHERE run_id <> $1", [
          goodRun,
        ]);
        if (c.figures === "no-run") {
          expect(runs).toEqual([]);
          return;
        }
        expect(runs).toHaveLength(1);
        const runId = runs[0]!.run_id;
        const rejected = await store.all<{ source: string; location: string; object: string; rule: string }>(
          "SELECT source, location, object, rule FROM rejected_objects WHERE run_id = $1",
          [runId],
        );
        expect(rejected, JSON.stringify(rejected)).toHaveLength(c.rejected);
        for (const r of rejected) expect(r.location).toContain(CLUSTER);
        if (typeof c.figures === "object" && "sourceMissing" in c.figures) {
          const source = await store.one<{ status: string }>(
            "SELECT status FROM run_sources WHERE run_id = $1 AND source = $2",
            [runId, c.figures.sourceMissing],
          );
          expect(source?.status).toBe("missing");
          // All or nothing: not one row of the failed source stays in the run.
          for (const table of c.figures.tables) {
            const n = await store.one<{ n: bigint }>(
              `SELECT count(*) AS n FROM "${table}" WHERE run_id = $1`,
              [runId],
            );
            expect(Number(n?.n), table).toBe(0);
          }
          return;
        }
        if (o.effects?.costRowsLost !== undefined) {
          const now = await awsCosts(store, runId);
          expect(now.rows).toBe(goodAwsCosts.rows - o.effects.costRowsLost);
          expect(now.unblended).toBeCloseTo(goodAwsCosts.unblended - (o.effects.unblendedLostUsd ?? 0), 6);
        }
      });
      if (c.figures === "no-run" || (typeof c.figures === "object" && "sourceMissing" in c.figures)) return;

      const json = JSON.parse(readFileSync(join(o.out, "recommendations.json"), "utf8"));
      // run --format json,csv wrote those and nothing else.
      expect(existsSync(join(o.out, "report.html")) || existsSync(join(o.out, "report.md"))).toBe(false);
      expect(json.rejectedObjects).toHaveLength(c.rejected);
      expect(json.unpriced.objects).toHaveLength(c.unpriced ?? 0);
      if (c.unpriced) expect(json.unpriced.hours).toBeGreaterThan(0);

      // No figure moved but the quarantined object's own share.
      const allowed = movable(c);
      const now = costs(o.out);
      const moved = [...new Set([...goodCosts.keys(), ...now.keys()])].filter(
        // Moved = a different cent: the CSV's fourth decimal follows the order DuckDB's threads add in.
        (k) =>
          !(Math.abs(Number(goodCosts.get(k) ?? Number.NaN) - Number(now.get(k) ?? Number.NaN)) < 0.005) &&
          !allowed.has(k.split("/")[1]!),
      );
      tally.wrongFigures += moved.length;
      expect(moved).toEqual([]);
    });
  }
});
