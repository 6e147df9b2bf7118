import { describe, expect, it } from "vitest";
import { routeWarnings } from "../../src/cli/main.js";
import { createLogger, memoryLogger } from "../../src/core/logger.js";

function lines(format: "json" | "pretty") {
  const out: string[] = [];
  const logger = createLogger({ format, level: "debug", write: (line) => out.push(line) });
  return { logger, out };
}

describe("the logger", () => {
  it("never writes the credentials of a URL, in the message or a field", () => {
    const { logger, out } = lines("json");
    logger.error("cannot reach https://alice:s3cret@prom.example:9090/api/v1", {
      url: "http://bob:hunter2@thanos.internal/",
    });
    expect(out.join("\n")).not.toMatch(/s3cret|hunter2|alice|bob/);
    const line = JSON.parse(out[0]!);
    expect(line.msg).toBe("cannot reach https://***@prom.example:9090/api/v1");
    expect(line.url).toBe("http://***@thanos.internal/");
  });

  it("never writes a field whose name says it holds a secret", () => {
    const { logger, out } = lines("json");
    logger.info("configured", { password: "p", bearerToken: "t", secretAccessKey: "k", rows: 3 });
    expect(JSON.parse(out[0]!)).toMatchObject({
      password: "[redacted]",
      bearerToken: "[redacted]",
      secretAccessKey: "[redacted]",
      rows: 3,
    });
  });

  it("writes one JSON line per message whatever the cluster's names hold", () => {
    const { logger, out } = lines("json");
    logger.warn('pod evil\n{"level":"error"}\r\u202E', { pod: "a\nb" });
    expect(out).toHaveLength(1);
    expect(out[0]).not.toMatch(/[\n\r]/);
    expect(JSON.parse(out[0]!).pod).toBe("a\nb");
  });

  it("shows control characters escaped on a terminal, and a line break as an indented continuation", () => {
    const { logger, out } = lines("pretty");
    logger.warn("pod evil\nERROR forged line\r\u001b[31mred\u202E", { pod: "x\ty" });
    const [line] = out;
    expect(line).toBe("WARN pod evil\n    ERROR forged line\\r\\u001B[31mred\\u202E  pod=x\\ty");
    expect(
      line!
        .split("\n")
        .slice(1)
        .every((l) => l.startsWith("    ")),
    ).toBe(true);
  });
});

describe("the logger's levels and colours", () => {
  it("drops lines below its level and keeps the child's bound fields on each line", () => {
    const out: string[] = [];
    const logger = createLogger({ format: "json", level: "warn", write: (l) => out.push(l) }).child({
      command: "run",
    });
    logger.info("not shown");
    logger.warn("shown", { rows: 2 });
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0]!)).toMatchObject({ level: "warn", msg: "shown", command: "run", rows: 2 });
  });

  it("colours the WARN and ERROR tags on a terminal, and nothing when colour is off", () => {
    const coloured: string[] = [];
    createLogger({ format: "pretty", color: true, write: (l) => coloured.push(l) }).error("bad");
    expect(coloured[0]).toBe("\u001b[31mERROR \u001b[0mbad");
    const plain: string[] = [];
    createLogger({ format: "pretty", color: false, write: (l) => plain.push(l) }).error("bad");
    expect(plain[0]).toBe("ERROR bad");
  });
});

describe("warnings from Node and libraries", () => {
  it("go through the logger as one line each, multi-line ones included", async () => {
    const logger = memoryLogger();
    const restore = routeWarnings(logger);
    try {
      process.emitWarning("The AWS SDK for JavaScript (v3)\nversions published after …\n\nplease upgrade", {
        type: "NodeVersionSupportWarning",
      });
      console.warn("@aws-sdk - WARN - default STS region\nused");
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      restore();
    }
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: "warn",
        msg: "NodeVersionSupportWarning: The AWS SDK for JavaScript (v3)",
        detail: "versions published after … please upgrade",
      }),
    );
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: "warn", msg: "@aws-sdk - WARN - default STS region used" }),
    );
  });
});
