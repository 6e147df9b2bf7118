import { describe, expect, it } from "vitest";
import { showInvisible } from "../../src/core/text.js";
import {
  bytes,
  cell,
  cores,
  delta,
  markdownCode,
  markdownText,
  markdownTextSource,
  pct,
  usd,
  visibleControls,
} from "../../src/report/format.js";
import { markdownSafe } from "../../src/report/render.js";
import { csvField, csvText } from "../../src/services/report.js";

describe("report formatting", () => {
  it.each([
    [1234.567, "$1,234.57"],
    [-3.2, "-$3.20"],
    [-0.004, "$0.00"],
    [-0.005, "-$0.01"],
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

  it("escapes links, images, emphasis and code from a value, and leaves names as written", () => {
    expect(markdownText("![x](http://evil.example/a.png)")).toBe("\\!\\[x\\](http://evil.example/a.png)");
    expect(markdownText("**bold** ~~gone~~ _it_ `code`")).toBe(
      "\\*\\*bold\\*\\* \\~\\~gone\\~\\~ \\_it\\_ \\`code\\`",
    );
    expect(markdownText("kube-system")).toBe("kube-system");
    expect(markdownText("hpa_managed app.kubernetes.io/name 0.5vCPU")).toBe(
      "hpa_managed app.kubernetes.io/name 0.5vCPU",
    );
    expect(markdownText("a & b")).toBe("a &amp; b");
  });

  it("escapes a character that would start a block when a value leads a line", () => {
    expect(markdownText("# title")).toBe("\\# title");
    expect(markdownText("- item")).toBe("\\- item");
    expect(markdownText("+ item")).toBe("\\+ item");
    expect(markdownText("12. item")).toBe("12\\. item");
    expect(markdownText("> quote")).toBe("&gt; quote");
  });

  it("shows control and bidi characters instead of letting them split a row or reorder a name", () => {
    expect(visibleControls("a\rb\r\nc\nd\te")).toBe("a b c d e");
    expect(visibleControls("evil\u202Etxt.exe")).toBe("evil\\u202Etxt.exe");
    expect(visibleControls("nul\u0000 bell\u0007 zw\u200B")).toBe("nul\\u0000 bell\\u0007 zw\\u200B");
    expect(cell("a\rb | c")).toBe("a b \\| c");
  });

  it("shows bidi, zero-width and control characters in HTML text as code points, keeping line breaks", () => {
    expect(showInvisible("evil\u202Etxt\u200B.exe\r\nnext\tcol")).toBe(
      "evil\\u202Etxt\\u200B.exe\\u000D\nnext\tcol",
    );
  });

  it("puts a value in a code span verbatim, with a fence longer than its backticks", () => {
    const code = (raw: string) => markdownCode(markdownText(raw));
    expect(code("payments/ledger")).toBe("`payments/ledger`");
    expect(code("a*b_c <x> & [y](z)")).toBe("`a*b_c <x> & [y](z)`");
    expect(code("one`two``three")).toBe("```one`two``three```");
    expect(code("`edge")).toBe("`` `edge ``");
    expect(code("a|b")).toBe("`a\\|b`");
    expect(markdownTextSource(markdownText("\\u202E &lt; \\"))).toBe("\\u202E &lt; \\");
  });

  it("writes CSV cells that no spreadsheet runs and no line break splits", () => {
    expect(csvField("=cmd|'/C calc'!A0")).toBe("'=cmd|'/C calc'!A0");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-2")).toBe("'-2");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\tx")).toBe("'\tx");
    expect(csvField("\rx")).toBe('"\'\rx"');
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("a\rb")).toBe('"a\rb"');
    expect(csvField(-3.25, 2)).toBe("-3.25");
    expect(csvField(-7)).toBe("-7");
    expect(csvField(null)).toBe("");
    expect(
      csvText({
        file: "x.csv",
        columns: [{ name: "workloadName" }, { name: "costUsd", digits: 1 }],
        rows: [{ workloadName: "-x", costUsd: -1 }],
      }),
    ).toBe("workload_name,cost_usd\n'-x,-1.0\n");
  });
});
