import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { codeOnly } from "../../src/analyze/runner.js";
import { modelVariables, settingsVariables } from "../../src/analyze/variables.js";
import { loadConfig } from "../../src/config/load.js";
import { projectPath } from "../../src/core/paths.js";
import { USAGE_LIMIT_VARIABLES } from "../../src/store/queries.js";

function sqlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sqlFiles(path) : path.endsWith(".sql") ? [path] : [];
  });
}

const run = {
  run_id: "r1",
  window_start: new Date("2026-11-01T00:00:00Z"),
  window_end: new Date("2026-11-15T00:00:00Z"),
};

describe("model variables", () => {
  it("are named after the setting's path, in snake_case, without the leading analyzers", () => {
    const vars = settingsVariables(loadConfig({ env: {} }));
    expect(vars.rightsizing_vpa_half_life_hours).toBe(24);
    expect(vars.rightsizing_cpu_percentile).toBe(0.95);
    expect(vars.allocation_split_method).toBe("aws-split");
    expect(vars.idle_node_utilization_threshold).toBe(0.1);
    expect(vars.allocation_label_keys).toBe("[]");
    expect(vars.allocation_scale_to_bill).toBe(false);
  });

  it("follow a changed setting, lists as JSON text", () => {
    const config = loadConfig({
      env: {},
      overrides: { "analyzers.rightsizing.vpa.margin": 0.3, "allocation.labelKeys": ["team"] },
    });
    const vars = settingsVariables(config);
    expect(vars.rightsizing_vpa_margin).toBe(0.3);
    expect(vars.allocation_label_keys).toBe('["team"]');
  });

  it("name every getvariable() in queries/, so a renamed setting cannot silently read NULL", () => {
    const names = new Set([
      ...Object.keys(modelVariables(loadConfig({ env: {} }), run)),
      // The usage limits the store sets for queries/store/*_prom_usage.sql.
      ...Object.keys(USAGE_LIMIT_VARIABLES),
    ]);
    const used = new Map<string, string>();
    for (const file of sqlFiles(projectPath("queries"))) {
      const sql = readFileSync(file, "utf8");
      // String literals are blanked by codeOnly, so read the names from the text with comments dropped.
      const code = sql.replace(/--[^\n]*/g, " ");
      for (const m of code.matchAll(/getvariable\(\s*'([^']+)'\s*\)/gi)) used.set(m[1]!, file);
    }
    expect(codeOnly("getvariable('x')")).toBe("getvariable('')"); // why the text is read above
    expect(used.size).toBeGreaterThan(20);
    const unknown = [...used].filter(([name]) => !names.has(name)).map(([name, file]) => `${name} (${file})`);
    expect(unknown).toEqual([]);
  });
});
