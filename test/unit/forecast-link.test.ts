import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FORECAST_FILE, readForecast } from "../../src/report/forecast-link.js";

const folder = (content?: string) => {
  const dir = mkdtempSync(join(tmpdir(), "capacity-forecast-link-"));
  if (content !== undefined) writeFileSync(join(dir, FORECAST_FILE), content);
  return dir;
};

describe("the forecast a report picks up", () => {
  it("is none when the folder holds no forecast.json", () => {
    expect(readForecast(folder(), "run-1")).toBeNull();
  });

  it("leaves out, saying why, a forecast of another run and a file that is not JSON", () => {
    const other = readForecast(folder(JSON.stringify({ runId: "run-0", clusterCpu: [] })), "run-1");
    expect(other).toEqual({ skipped: expect.stringContaining("forecasts run run-0, not run-1") });
    expect(readForecast(folder("{"), "run-1")).toEqual({ skipped: expect.stringContaining("is not JSON") });
    expect(readForecast(folder(JSON.stringify({ runId: "run-1" })), "run-1")).toEqual({
      skipped: expect.stringContaining("has no clusterCpu, event or totals"),
    });
  });
});
