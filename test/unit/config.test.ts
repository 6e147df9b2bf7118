import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ANALYZERS } from "../../src/analyze/registry.js";
import { configFlags, flagValue } from "../../src/config/flags.js";
import { envOverrides, loadConfig } from "../../src/config/load.js";
import { buildConfigSchema } from "../../src/config/schema.js";
import { ConfigError } from "../../src/core/errors.js";

function yamlFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "capacity-config-"));
  const file = join(dir, "capacity.yaml");
  writeFileSync(file, text);
  return file;
}

describe("configuration", () => {
  it("fills every default when there is no file", () => {
    const config = loadConfig({ env: {} });
    expect(config.historyDays).toBe(14);
    expect(config.database).toBe("capacity.duckdb");
    expect(config.allocation.splitMethod).toBe("aws-split");
    expect(config.prometheus.concurrency).toBe(4);
  });

  it("layers file < environment < flags", () => {
    const file = yamlFile("historyDays: 30\nprometheus:\n  url: http://prom:9090\n  concurrency: 2\n");
    const config = loadConfig({
      file,
      env: { CAPACITY_PROMETHEUS__CONCURRENCY: "8", CAPACITY_HISTORY_DAYS: "21" },
      overrides: { historyDays: 7 },
    });
    expect(config.historyDays).toBe(7);
    expect(config.prometheus.concurrency).toBe(8);
    expect(config.prometheus.url).toBe("http://prom:9090");
  });

  it("is frozen", () => {
    const config = loadConfig({ env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.allocation)).toBe(true);
  });

  it("lists every problem as dot.path: message", () => {
    const file = yamlFile(
      "historyDays: 400\nclusters:\n  - name: prod\n    region: mars-1\nallocation:\n  splitMethod: evenly\n  labelKeys: [team, 'bad key!']\nunknownKey: 1\n",
    );
    try {
      loadConfig({ file, env: {} });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const { issues, exitCode } = error as ConfigError;
      expect(exitCode).toBe(2);
      expect(issues).toContainEqual(expect.stringMatching(/^historyDays: /));
      expect(issues).toContainEqual(
        expect.stringMatching(/^clusters\.0\.region: must be an AWS region code/),
      );
      expect(issues).toContainEqual(expect.stringMatching(/^allocation\.splitMethod: /));
      expect(issues).toContainEqual(
        "allocation.labelKeys.1: must be a Kubernetes label key, e.g. team or example.com/cost-center",
      );
      expect(issues).toContainEqual(expect.stringMatching(/^\(root\): .*unknownKey/));
    }
  });

  it("names the file and line of a YAML syntax error", () => {
    const file = yamlFile("historyDays: [1,\n");
    expect(() => loadConfig({ file, env: {} })).toThrow(/capacity\.yaml:\d+:\d+: not valid YAML/);
  });

  it("says in words what is wrong with the YAML, at its line and column", () => {
    const file = yamlFile("prometheus:\n  url: http://p:9090\n concurrency 2\n  retries: 1\n");
    expect(() => loadConfig({ file, env: {} })).toThrow(
      /capacity\.yaml:3:\d+: not valid YAML: [A-Z][a-z]+ [a-z].* \([A-Z_]+\)$/,
    );
  });

  it("refuses credentials in prometheus.url, says where they go, and never repeats them", () => {
    for (const [how, load] of [
      [
        "file",
        () =>
          loadConfig({ file: yamlFile("prometheus:\n  url: https://alice:s3cret@prom.example\n"), env: {} }),
      ],
      [
        "variable",
        () => loadConfig({ env: { CAPACITY_PROMETHEUS__URL: "https://alice:s3cret@prom.example" } }),
      ],
      [
        "flag",
        () => loadConfig({ env: {}, overrides: { "prometheus.url": "https://alice:s3cret@prom.example" } }),
      ],
    ] as const) {
      let message = "";
      try {
        load();
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, how).toMatch(/prometheus\.url: must not hold credentials/);
      expect(message, how).toContain("prometheus.basicAuth.passwordFile");
      expect(message, how).toContain("prometheus.bearerTokenFile");
      expect(message, how).not.toContain("s3cret");
      expect(message, how).not.toContain("alice");
    }
  });

  it("refuses a URL without its scheme, naming the key", () => {
    for (const url of ["prom.example:9090", "prom.example", "ftp://prom.example"]) {
      expect(() => loadConfig({ env: {}, overrides: { "prometheus.url": url } }), url).toThrow(
        /prometheus\.url: must (start with http:\/\/ or https:\/\/|be a URL with its scheme)/,
      );
    }
    expect(
      loadConfig({ env: {}, overrides: { "prometheus.url": "https://prom.example/prefix" } }).prometheus.url,
    ).toBe("https://prom.example/prefix");
  });

  it("names the flag or the variable that set a bad value, not the defaults", () => {
    const fromEnv = () => loadConfig({ env: { CAPACITY_PROMETHEUS__CONCURRENCY: "99" } });
    expect(fromEnv).toThrow(/invalid configuration \(CAPACITY_PROMETHEUS__CONCURRENCY\)/);
    expect(fromEnv).toThrow(/prometheus\.concurrency: .* \(set by CAPACITY_PROMETHEUS__CONCURRENCY\)/);
    const fromFlag = () => loadConfig({ env: {}, overrides: { historyDays: 400 } });
    expect(fromFlag).toThrow(/historyDays: .* \(set by --history-days\)/);
    expect(fromFlag).not.toThrow(/built-in defaults/);
    const file = yamlFile("historyDays: 400\n");
    expect(() => loadConfig({ file, env: {} })).toThrow(
      /invalid configuration \(.*capacity\.yaml\):\n {2}- historyDays: [^(]*$/,
    );
  });

  it("takes a value for a boolean flag, and true when the flag stands alone", () => {
    const incremental = configFlags().find((f) => f.path === "prometheus.incremental")!;
    expect(incremental.kind).toBe("boolean");
    expect(flagValue(incremental, true)).toBe(true);
    expect(flagValue(incremental, "false")).toBe(false);
    expect(flagValue(incremental, "no")).toBe(false);
    expect(flagValue(incremental, "true")).toBe(true);
    expect(() =>
      loadConfig({ env: {}, overrides: { "prometheus.incremental": flagValue(incremental, "maybe") } }),
    ).toThrow(/prometheus\.incremental: .*boolean.*\(set by --prometheus\.incremental\)/);
  });

  it("says when an explicitly named config file cannot be read", () => {
    expect(() => loadConfig({ file: "/nonexistent/capacity.yaml", env: {} })).toThrow(
      /cannot read the config file \/nonexistent\/capacity.yaml: ENOENT/,
    );
  });

  it("maps CAPACITY_* variables to nested camelCase keys", () => {
    expect(envOverrides({ CAPACITY_ALLOCATION__SPLIT_METHOD: "opencost-ratio", HOME: "/root" })).toEqual([
      [["allocation", "splitMethod"], "opencost-ratio", "CAPACITY_ALLOCATION__SPLIT_METHOD"],
    ]);
  });

  it("derives one flag per scalar key, with the schema's description", () => {
    const flags = configFlags();
    const byPath = new Map(flags.map((f) => [f.path, f]));
    expect(byPath.get("historyDays")?.flag).toBe("--history-days");
    expect(byPath.get("historyDays")?.kind).toBe("number");
    expect(byPath.get("prometheus.url")?.flag).toBe("--prometheus.url");
    expect(byPath.get("allocation.splitMethod")?.choices).toEqual(["aws-split", "opencost-ratio"]);
    expect(byPath.get("database")?.description).toMatch(/DuckDB/);
    expect(byPath.has("clusters")).toBe(false);
    expect(flagValue(byPath.get("historyDays")!, "30")).toBe(30);
  });
});

describe("analyzer settings", () => {
  it("sit under analyzers.<name> for each analyzer of the registry that has settings", () => {
    const config = loadConfig({ env: {} });
    expect(Object.keys(config.analyzers).sort()).toEqual(
      ANALYZERS.filter((a) => a.settings)
        .map((a) => a.name)
        .sort(),
    );
    expect(config.analyzers.rightsizing.vpa.halfLifeHours).toBe(24);
    expect(config.analyzers.idle.nodeUtilizationThreshold).toBe(0.1);
    expect(config.history.keepRuns).toBe(26);
  });

  it("are refused under the name of an analyzer the registry does not have", () => {
    const withoutIdle = buildConfigSchema(ANALYZERS.filter((a) => a.name !== "idle"));
    expect(withoutIdle.safeParse({ analyzers: { idle: { nodeUtilizationThreshold: 0.2 } } }).success).toBe(
      false,
    );
    expect(() => loadConfig({ env: {}, overrides: { "analyzers.spotMix.x": 1 } })).toThrow(ConfigError);
  });

  it("give each of their keys a flag with the settings' own description", () => {
    const byPath = new Map(configFlags().map((f) => [f.path, f]));
    expect(byPath.get("analyzers.rightsizing.vpa.halfLifeHours")?.flag).toBe(
      "--analyzers.rightsizing.vpa.half-life-hours",
    );
    expect(byPath.get("analyzers.rightsizing.strategy")?.choices).toEqual([
      "simple",
      "vpa",
      "target-utilization",
    ]);
    expect(byPath.get("analyzers.idle.nodeUtilizationThreshold")?.description).toMatch(/nearly idle/);
    expect(byPath.get("history.keepRuns")?.kind).toBe("number");
  });
});

describe("capacity.example.yaml", () => {
  it("is a valid configuration", () => {
    const config = loadConfig({ file: "capacity.example.yaml", env: {} });
    expect(config.clusters[0]?.region).toBe("us-east-1");
    expect(Object.keys(config.events)).toEqual(["black-friday", "sale"]);
  });

  it("documents every key of the schema", () => {
    const text = readFileSync("capacity.example.yaml", "utf8");
    for (const flag of configFlags()) {
      const leaf = flag.path.split(".").at(-1)!;
      // A key may be shown commented out when setting it would contradict another (basicAuth beside a token).
      expect(text, `${flag.path} is not in capacity.example.yaml`).toMatch(
        new RegExp(`^\\s*(#\\s*)?${leaf}:`, "m"),
      );
    }
  });
});
