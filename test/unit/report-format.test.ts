import { describe, expect, it } from "vitest";
import { bytes, cell, cores, delta, pct, usd } from "../../src/report/format.js";
import { markdownSafe } from "../../src/report/render.js";

describe("report formatting", () => {
  it.each([
    [1234.567, "$1,234.57"],
    [-3.2, "-$3.20"],
    [null, "—"],
    [Number.NaN, "—"],
  ])("usd(%s) is %s", (v, text) => {
    expect(usd(v)).toBe(text);
  });

  it("writes a gap with its sign, and a rounding residue as zero", () => {
    expect(delta(24.8638)).toBe("+$24.86");
    expect(delta(-4.2)).toBe("-$4.20");
    expect(delta(-0.000001)).toBe("$0.00");
  });

  it("writes cores, bytes and shares the way engineers read them", () => {
    expect(cores(0.25)).toBe("250m");
    expect(cores(2)).toBe("2");
    expect(bytes(8n * 1024n ** 3n)).toBe("8 GiB");
    expect(bytes(536870912)).toBe("512 MiB");
    expect(pct(0.4206)).toBe("42.1%");
  });

  it("keeps Markdown tables and text safe from what the cluster names things", () => {
    expect(markdownSafe({ a: ["<b>x</b> | y\nz", 3] })).toEqual({ a: ["&lt;b&gt;x&lt;/b&gt; \\| y z", 3] });
    expect(cell("a | b")).toBe("a \\| b");
    expect(cell("already \\| escaped")).toBe("already \\| escaped");
  });
});
