import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Spool } from "../../../src/collect/prometheus/spool.js";

const answer = (value: string) =>
  `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"pod":"p"},"values":[[1,"${value}"]]}]}}`;

describe("the spool of answers", () => {
  it("hands the store one piece at a time, in order, each answer on one line", async () => {
    const seen: string[][] = [];
    let loading = 0;
    const spool = new Spool(
      async (files) => {
        loading++;
        expect(loading).toBe(1); // never two loads at once
        await new Promise((r) => setTimeout(r, 5));
        const lines = readFileSync(files.usage, "utf8").trim().split("\n");
        seen.push(lines.map((l) => JSON.parse(l).answer.data.result[0].values[0][1]));
        expect(readFileSync(files.pods, "utf8")).toContain('"workload_name":"web"');
        loading--;
        return lines.length;
      },
      { maxBytes: 300 },
    );
    spool.pods([{ namespace: "shop", pod: "p", workload_kind: "Deployment", workload_name: "web" }]);
    // A pretty-printed answer (another server's layout) still takes one line.
    spool.add(100, [["cpu_avg_cores", answer("1").replace(",", ",\n  ")]], []);
    for (const v of ["2", "3", "4", "5"]) spool.add(100, [["cpu_avg_cores", answer(v)]], []);
    expect(await spool.finish()).toBe(5);
    expect(seen.flat()).toEqual(["1", "2", "3", "4", "5"]);
    expect(seen.length).toBeGreaterThan(1);
  });

  it("stops the collection at the next answer after a failed load, and loads nothing after it", async () => {
    const loads: number[] = [];
    const spool = new Spool(
      async () => {
        loads.push(loads.length);
        throw new Error("the store refused the piece");
      },
      { maxBytes: 10 },
    );
    spool.pods([]);
    spool.add(100, [["samples", answer("1")]], []);
    await new Promise((r) => setTimeout(r, 5));
    // The collection stops at its next answer rather than asking Prometheus for nothing.
    expect(() => spool.add(100, [["samples", answer("2")]], [])).toThrow("the store refused the piece");
    await expect(spool.finish()).rejects.toThrow("the store refused the piece");
    expect(loads).toEqual([0]);
  });
});
