import { describe, expect, it } from "vitest";
import { capLength, capTables, MARKDOWN_LIMIT } from "../../src/report/markdown-cap.js";

const table = (rows: number) =>
  ["| A | B |", "| --- | ---: |", ...Array.from({ length: rows }, (_, i) => `| a${i} | ${i} |`)].join("\n");

describe("the Markdown cap", () => {
  it("keeps a table's first 25 rows and says how many more there are and where they are", () => {
    const md = capTables(`## T\n\n${table(40)}\n\nafter\n`);
    const rows = md.split("\n").filter((l) => l.startsWith("| a"));
    expect(rows).toHaveLength(25);
    expect(rows.at(-1)).toBe("| a24 | 24 |");
    expect(md).toContain(
      "15 more rows are not shown: every row is in the CSV files and recommendations.json",
    );
    expect(md).toContain("\nafter\n");
  });

  it("leaves a table of 25 rows or fewer, and anything inside a code fence, as it is", () => {
    const fenced = `\`\`\`\n${table(30)}\n\`\`\``;
    const md = `${table(25)}\n\n${fenced}\n`;
    expect(capTables(md)).toBe(md);
  });

  it("leaves out whole sections from the end to stay under the limit, and names them", () => {
    const section = (n: number) => `## Section ${n}\n\n${"x".repeat(9_000)}\n`;
    const md = Array.from({ length: 10 }, (_, i) => section(i + 1)).join("\n");
    expect(md.length).toBeGreaterThan(MARKDOWN_LIMIT);
    const capped = capLength(md);
    expect(capped.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(capped).toContain("## Section 6\n");
    expect(capped).not.toContain("## Section 7\n");
    expect(capped).toContain("Left out: Section 7, Section 8, Section 9, Section 10;");
  });

  it("keeps the data coverage section (method and caveats) and leaves out the sections before it", () => {
    const section = (title: string) => `## ${title}\n\n${"x".repeat(9_000)}\n`;
    const titles = [
      ...Array.from({ length: 8 }, (_, i) => `Section ${i + 1}`),
      "Data coverage and method",
      "Section 10",
    ];
    const md = titles.map(section).join("\n");
    const capped = capLength(md);
    expect(capped.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(capped).toContain("## Section 5\n");
    expect(capped).not.toContain("## Section 6\n");
    expect(capped).toContain("## Data coverage and method\n");
    expect(capped.indexOf("## Data coverage")).toBeLessThan(capped.indexOf("## Left out"));
    expect(capped).toContain("Left out: Section 6, Section 7, Section 8, Section 10;");
  });

  it("changes nothing under the limit", () => {
    expect(capLength("## A\n\nshort\n")).toBe("## A\n\nshort\n");
  });
});
