/**
 * The history kept in S3, at the level of its lock and its conditional push (the real S3 client
 * against a local fake S3): who gets the lock, when a stale one is taken over, and that every
 * failure leaves the previous history in S3 as it was. The whole weekly run with it is in
 * test/e2e/delivery-s3.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withS3History } from "../../src/services/delivery/history.js";
import { S3Store } from "../../src/services/delivery/s3.js";
import { type FakeS3, startFakeS3 } from "../fixtures/fake-s3.js";
import { testContext } from "../fixtures/scenario.js";

let fake: FakeS3;
let s3: S3Store;
const saved = { ...process.env };
const location = { bucket: "org-history", prefix: "history/prod/capacity.duckdb" };
const KEY = "org-history/history/prod/capacity.duckdb";

beforeAll(async () => {
  fake = await startFakeS3();
  Object.assign(process.env, fake.env);
  s3 = new S3Store("us-east-1");
});
afterAll(async () => {
  s3.close();
  await fake.close();
  process.env = saved;
});
beforeEach(() => {
  fake.objects.clear();
  fake.calls.length = 0;
  fake.failPut = undefined;
});

let version = 0;
/** Stores an object as another writer would; its ETag is returned. */
const put = (key: string, body: string): string => {
  const etag = `"v${++version}"`;
  fake.objects.set(key, { body: Buffer.from(body), etag, contentType: undefined, lastModified: new Date() });
  return etag;
};

function local(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "capacity-history-")), "capacity.duckdb");
  writeFileSync(file, content);
  return file;
}

const ctx = (runId: string, now = "2026-11-30T05:00:00Z") => ({
  ...testContext(),
  runId,
  clock: () => new Date(now),
});

describe("the history in S3", () => {
  it("pulls the history, lets the work change it, pushes it conditionally on the version pulled, and releases the lock", async () => {
    const pulledVersion = put(KEY, "week 47");
    const file = local("stale local copy");
    const seen = await withS3History(
      ctx("run-48"),
      s3,
      location,
      file,
      async () => {
        const pulled = readFileSync(file, "utf8");
        expect(fake.text(`${KEY}.lock`)).toContain('"runId":"run-48"');
        writeFileSync(file, `${pulled} + week 48`);
        return pulled;
      },
      { write: true },
    );
    expect(seen).toBe("week 47");
    expect(fake.text(KEY)).toBe("week 47 + week 48");
    const push = fake.calls.filter((c) => c.method === "PUT" && c.key === "history/prod/capacity.duckdb");
    expect(push.map((c) => c.headers["if-match"])).toEqual([pulledVersion]);
    expect(fake.objects.has(`${KEY}.lock`)).toBe(false);
  });

  it("starts the history in S3 from the local file when S3 has none, with a create-only push", async () => {
    const file = local("first run");
    await withS3History(ctx("run-1"), s3, location, file, async () => undefined, { write: true });
    expect(fake.text(KEY)).toBe("first run");
    const push = fake.calls.find((c) => c.method === "PUT" && c.key === "history/prod/capacity.duckdb");
    expect(push?.headers["if-none-match"]).toBe("*");
  });

  it("refuses to start while another run holds a fresh lock, and changes nothing", async () => {
    put(KEY, "week 47");
    put(
      `${KEY}.lock`,
      JSON.stringify({ runId: "run-other", host: "pod-a", acquiredAt: "2026-11-30T04:30:00Z" }),
    );
    let worked = false;
    await expect(
      withS3History(
        ctx("run-48"),
        s3,
        location,
        local("x"),
        async () => {
          worked = true;
        },
        { write: true },
      ),
    ).rejects.toThrow("the history is locked by run run-other on pod-a since 2026-11-30T04:30:00Z");
    expect(worked).toBe(false);
    expect(fake.text(KEY)).toBe("week 47");
    expect(fake.text(`${KEY}.lock`)).toContain("run-other");
  });

  it("takes over a lock older than history.lockStaleHours, conditionally on that lock's version", async () => {
    put(KEY, "week 47");
    const stale = put(
      `${KEY}.lock`,
      JSON.stringify({ runId: "run-dead", host: "pod-b", acquiredAt: "2026-11-29T20:00:00Z" }),
    );
    const c = ctx("run-48");
    await withS3History(c, s3, location, local("x"), async () => undefined, { write: true });
    const takeover = fake.calls.find(
      (x) => x.method === "PUT" && x.key.endsWith(".lock") && x.headers["if-match"],
    );
    expect(takeover?.headers["if-match"]).toBe(stale);
    expect(c.logger.lines.find((l) => l.msg === "took over a stale history lock")).toMatchObject({
      heldBy: "run-dead",
      hours: 9,
    });
    expect(fake.objects.has(`${KEY}.lock`)).toBe(false);
  });

  it("pushes nothing when the work fails, and releases the lock", async () => {
    put(KEY, "week 47");
    await expect(
      withS3History(
        ctx("run-48"),
        s3,
        location,
        local("x"),
        async () => {
          throw new Error("a model failed");
        },
        { write: true },
      ),
    ).rejects.toThrow("a model failed");
    expect(fake.text(KEY)).toBe("week 47");
    expect(fake.objects.has(`${KEY}.lock`)).toBe(false);
  });

  it("leaves the previous history when the push fails", async () => {
    put(KEY, "week 47");
    fake.failPut = (path) => path === KEY;
    const file = local("x");
    await expect(
      withS3History(ctx("run-48"), s3, location, file, async () => writeFileSync(file, "week 48"), {
        write: true,
      }),
    ).rejects.toThrow("the history was not pushed, S3 keeps the previous one");
    expect(fake.text(KEY)).toBe("week 47");
    expect(fake.objects.has(`${KEY}.lock`)).toBe(false);
  });

  it("pushes nothing when its lock was taken over meanwhile, and leaves the other run's lock", async () => {
    put(KEY, "week 47");
    const file = local("x");
    await expect(
      withS3History(
        ctx("run-slow"),
        s3,
        location,
        file,
        async () => {
          writeFileSync(file, "week 48 (slow)");
          put(
            `${KEY}.lock`,
            JSON.stringify({ runId: "run-new", host: "pod-c", acquiredAt: "2026-11-30T12:00:00Z" }),
          );
        },
        { write: true },
      ),
    ).rejects.toThrow("this run lost the history lock");
    expect(fake.text(KEY)).toBe("week 47");
    expect(fake.text(`${KEY}.lock`)).toContain("run-new");
  });

  it("does not overwrite a history another writer pushed meanwhile", async () => {
    put(KEY, "week 47");
    const file = local("x");
    await expect(
      withS3History(
        ctx("run-48"),
        s3,
        location,
        file,
        async () => {
          writeFileSync(file, "week 48");
          put(KEY, "someone else's week 48");
        },
        { write: true },
      ),
    ).rejects.toThrow("changed in S3 while this run held the lock: not overwritten");
    expect(fake.text(KEY)).toBe("someone else's week 48");
  });

  it("only pulls for a command that reads, without taking the lock", async () => {
    put(KEY, "week 47");
    put(
      `${KEY}.lock`,
      JSON.stringify({ runId: "run-other", host: "pod-a", acquiredAt: "2026-11-30T04:30:00Z" }),
    );
    const file = local("x");
    const read = await withS3History(
      ctx("report"),
      s3,
      location,
      file,
      async () => readFileSync(file, "utf8"),
      {
        write: false,
      },
    );
    expect(read).toBe("week 47");
    expect(fake.calls.filter((c) => c.method === "PUT")).toEqual([]);
  });
});
