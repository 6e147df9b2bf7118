/**
 * What a signal does to a running command: the first aborts the run (which then rolls back and
 * exits 130/143, see test/faults/signals.test.ts), a second exits at once. The second signal is
 * pinned here rather than end to end: every live request now stops on the first signal, so a run
 * that is still busy when a second one arrives cannot be produced on demand.
 */
import { describe, expect, it } from "vitest";
import { signalHandler } from "../../src/cli/main.js";
import { EXIT, Interrupted } from "../../src/core/errors.js";
import { memoryLogger } from "../../src/core/logger.js";

describe("signalHandler", () => {
  it("aborts the run on the first signal, with the signal as the reason, and exits nothing yet", () => {
    const stop = new AbortController();
    const exits: number[] = [];
    const logger = memoryLogger();
    signalHandler(stop, logger, (c) => exits.push(c))("SIGTERM");
    expect(stop.signal.aborted).toBe(true);
    expect(stop.signal.reason).toBeInstanceOf(Interrupted);
    expect((stop.signal.reason as Interrupted).exitCode).toBe(EXIT.terminated);
    expect(exits).toEqual([]);
  });

  it.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)("exits at once with %s's code (%i) on a second signal", (signal, code) => {
    const stop = new AbortController();
    const exits: number[] = [];
    const handle = signalHandler(stop, memoryLogger(), (c) => exits.push(c));
    handle(signal);
    handle(signal);
    expect(exits).toEqual([code]);
  });
});
