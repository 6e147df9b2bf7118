/**
 * A collection killed with SIGKILL cannot remove its spool; the next one does. Only directories
 * whose process is gone are removed: a collection running beside this one keeps its spool.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Spool, sweepStaleSpools } from "../../../src/collect/prometheus/spool.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The id of a process that ran and has exited, as a killed collection's is. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
    encoding: "utf8",
  });
  return Number(child.stdout);
}

describe("stale spools", () => {
  it("removes the spool of a process that is gone and keeps a running process's and other files", () => {
    const temp = mkdtempSync(join(tmpdir(), "capacity-sweep-"));
    dirs.push(temp);
    const gone = join(temp, `capacity-spool-${deadPid()}-abc123`);
    const alive = join(temp, `capacity-spool-${process.ppid}-def456`);
    const other = join(temp, "capacity-spool-notapid");
    for (const d of [gone, alive, other]) mkdirSync(d);
    expect(sweepStaleSpools(temp)).toEqual([gone.slice(temp.length + 1)]);
    expect([existsSync(gone), existsSync(alive), existsSync(other)]).toEqual([false, true, true]);
  });

  it("sweeps when a collection starts its spool, which carries its own process id", async () => {
    const temp = mkdtempSync(join(tmpdir(), "capacity-sweep-"));
    dirs.push(temp);
    mkdirSync(join(temp, `capacity-spool-${deadPid()}-left`));
    const spool = new Spool(async () => 0, { tempDir: temp });
    expect(readdirSync(temp)).toEqual([expect.stringMatching(new RegExp(`^capacity-spool-${process.pid}-`))]);
    await spool.discard();
    expect(readdirSync(temp)).toEqual([]);
  });
});
