/**
 * Where outputs go wrong after the work is done, and files that must not be written to: a
 * report that cannot be written leaves the saved run named and no temporary file; a database
 * file that is not DuckDB's, is damaged or is held by another process is refused with its path
 * and what to do, and is left byte for byte as it was.
 */
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import { projectPath } from "../../src/core/paths.js";
import { type CliResult, cli } from "../e2e/cli.js";

const tmp = () => mkdtempSync(join(tmpdir(), "capacity-outputs-"));
const DEMO = projectPath("data", "demo");
const errorsOf = (r: CliResult) => r.lines.filter((l) => l.level === "error");
const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

async function runIds(db: string): Promise<string[]> {
  const instance = await DuckDBInstance.create(db, { access_mode: "READ_ONLY" });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll("SELECT run_id FROM runs ORDER BY run_id");
    return reader.getRowObjectsJS().map((r) => String(r.run_id));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A block of the file holding rows of prom_usage_hourly. */
async function usageBlock(db: string): Promise<number> {
  const instance = await DuckDBInstance.create(db, { access_mode: "READ_ONLY" });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      "SELECT max(block_id) AS block FROM pragma_storage_info('prom_usage_hourly') WHERE persistent AND block_id >= 0",
    );
    return Number(reader.getRowObjectsJS()[0]!.block);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Every file under dir, recursively. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: "utf8" }).map((f) => join(dir, f));

describe("a report that cannot be written after the run is saved", () => {
  it("exits 1 naming the saved run and the file, and leaves no temporary file", async () => {
    const dir = tmp();
    const db = join(dir, "c.duckdb");
    const out = join(dir, "out");
    // report.html a folder: the write of its temporary copy succeeds, the rename fails (as root too).
    mkdirSync(join(out, "report.html"), { recursive: true });
    const r = cli(["run", "--from", DEMO, "--database", db, "--out", out], { cwd: dir });
    expect(r.code).toBe(1);
    const [error] = errorsOf(r);
    expect(error?.msg).toMatch(/^the run is saved \(run (\S+)\); writing report\.html failed: /);
    expect(String(error?.fix)).toContain("capacity report --run");
    const runId = /\(run (\S+)\)/.exec(String(error?.msg))![1]!;
    expect(await runIds(db)).toEqual([runId]);
    expect(filesUnder(out).filter((f) => /\.tmp-/.test(f))).toEqual([]);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    // The run is there to report once the folder is fixed.
    const again = cli(["report", "--database", db, "--out", join(dir, "fixed"), "--run", runId], {
      cwd: dir,
    });
    expect(again.code).toBe(0);
  });

  it("exits 1 naming the run when the output folder cannot be created", () => {
    const dir = tmp();
    writeFileSync(join(dir, "a-file"), "");
    const r = cli(
      ["run", "--from", DEMO, "--database", join(dir, "c.duckdb"), "--out", join(dir, "a-file", "out")],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(1);
    expect(errorsOf(r)[0]?.msg).toMatch(/^the run is saved \(run \S+\); writing .*a-file\/out failed: /);
  });

  it.skipIf(process.getuid?.() === 0)(
    "exits 1 on a read-only output folder, with no temporary file",
    async () => {
      const dir = tmp();
      const out = join(dir, "out");
      mkdirSync(out);
      chmodSync(out, 0o555);
      const r = cli(["run", "--from", DEMO, "--database", join(dir, "c.duckdb"), "--out", out], { cwd: dir });
      chmodSync(out, 0o755);
      expect(r.code).toBe(1);
      expect(errorsOf(r)[0]?.msg).toMatch(
        /^the run is saved \(run \S+\); writing report\.html failed: .*EACCES/,
      );
      expect(readdirSync(out)).toEqual([]);
      expect(await runIds(join(dir, "c.duckdb"))).toHaveLength(1);
    },
  );
});

describe("a database file that must not be written to", () => {
  let good: string;
  beforeAll(() => {
    good = join(tmp(), "good.duckdb");
    const r = cli(["collect", "--from", DEMO, "--database", good], { cwd: tmp() });
    if (r.code !== 0) throw new Error(r.stderr);
  }, 600_000);

  it("is refused when it is not a DuckDB file, and left as it was", () => {
    const dir = tmp();
    const db = join(dir, "notes.duckdb");
    writeFileSync(db, "these are my notes, not a database\n".repeat(200));
    const before = sha(db);
    const r = cli(["collect", "--from", DEMO, "--database", db], { cwd: dir });
    expect(r.code).toBe(1);
    expect(errorsOf(r)[0]?.msg).toBe(`${db} is not a DuckDB database file`);
    expect(String(errorsOf(r)[0]?.fix)).toMatch(/new path to start a new one/);
    expect(String(errorsOf(r)[0]?.fix)).not.toMatch(/another capacity process/);
    expect(sha(db)).toBe(before);
  });

  it("is refused when a data block fails its checksum, and no run is appended", async () => {
    const dir = tmp();
    const db = join(dir, "damaged.duckdb");
    const bytes = readFileSync(good);
    // Damage a block that holds usage rows (DuckDB: a 12 KiB header, then 256 KiB blocks, each
    // starting with its checksum).
    const at = 12_288 + (await usageBlock(good)) * 262_144 + 4096;
    bytes.fill(0xff, at, at + 64);
    writeFileSync(db, bytes);
    const before = sha(db);
    const r = cli(["collect", "--from", DEMO, "--database", db], { cwd: dir });
    expect(r.code).toBe(1);
    const [error] = errorsOf(r);
    expect(error?.msg).toMatch(
      new RegExp(`^${db.replace(/[.]/g, "\\.")} is damaged and was not changed: .*checksum`),
    );
    expect(String(error?.fix)).toMatch(/restore it from a backup, or start a new file/);
    expect(sha(db)).toBe(before);
  });

  it("is reported as held by another process when it is", async () => {
    const dir = tmp();
    const db = join(dir, "held.duckdb");
    writeFileSync(db, readFileSync(good));
    const holder = await DuckDBInstance.create(db);
    try {
      const r = cli(["collect", "--from", DEMO, "--database", db], { cwd: dir });
      expect(r.code).toBe(1);
      expect(errorsOf(r)[0]?.msg).toBe(
        `${db} is in use by another process (PID ${process.pid}): DuckDB allows one writer at a time`,
      );
    } finally {
      holder.closeSync();
    }
  });
});
