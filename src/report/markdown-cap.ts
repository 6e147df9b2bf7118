/**
 * The Markdown report fits a pull-request comment whatever the cluster's size: each table shows
 * its first rows (they come sorted by what matters most) and says how many more there are and
 * where they are; if the text is still over the limit, whole sections are left out from the end
 * (the data coverage section, method and caveats, always stays), named in a closing note. GitHub refuses a comment over 65,536 characters.
 */

/** Rows a Markdown table shows. */
export const MARKDOWN_TABLE_ROWS = 25;
/** Characters the Markdown report stays under (GitHub's comment limit is 65,536). */
export const MARKDOWN_LIMIT = 60_000;

const WHERE = "every row is in the CSV files and recommendations.json beside this report, and in report.html";

const isRow = (line: string) => line.startsWith("|");
const isDelimiter = (line: string) => /^\|(\s*:?-{3,}:?\s*\|)+\s*$/.test(line);

/** Each table cut to its first `rows` body rows, with a line saying how many more there are. */
export function capTables(markdown: string, rows = MARKDOWN_TABLE_ROWS): string {
  const lines = markdown.split("\n");
  const out: string[] = [];
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const opens = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== null) {
      if (line.startsWith(fence) && line.trim() === fence) fence = null;
      out.push(line);
      continue;
    }
    if (opens) {
      fence = opens;
      out.push(line);
      continue;
    }
    if (isRow(line) && isDelimiter(lines[i + 1] ?? "")) {
      let end = i + 2;
      while (end < lines.length && isRow(lines[end]!)) end++;
      const body = end - (i + 2);
      out.push(...lines.slice(i, i + 2 + Math.min(body, rows)));
      if (body > rows)
        out.push("", `${(body - rows).toLocaleString("en-US")} more rows are not shown: ${WHERE}.`);
      i = end - 1;
      continue;
    }
    out.push(line);
  }
  return out.join("\n");
}

/** Sections never left out: what the figures rest on (coverage, method and caveats). */
const KEPT = /^Data coverage/;

/**
 * The text under `limit` characters: sections (`## `) left out from the end, and named; the data
 * coverage section is kept whatever is left out before it.
 */
export function capLength(markdown: string, limit = MARKDOWN_LIMIT): string {
  if (markdown.length <= limit) return markdown;
  const starts = [...markdown.matchAll(/^## (.*)$/gm)].map((m) => ({ at: m.index, title: m[1]! }));
  const sections = starts.map((s, i) => ({
    ...s,
    text: markdown.slice(s.at, starts[i + 1]?.at ?? markdown.length),
  }));
  for (let keep = sections.length - 1; keep >= 0; keep--) {
    const tail = sections.slice(keep);
    const kept = tail.filter((s) => KEPT.test(s.title)).map((s) => s.text.trimEnd());
    const left = tail.filter((s) => !KEPT.test(s.title)).map((s) => s.title);
    if (left.length === 0) continue;
    const note = `## Left out\n\nThis report leaves out sections to stay under ${limit.toLocaleString("en-US")} characters (a GitHub comment holds 65,536). Left out: ${left.join(", ")}; ${WHERE}.\n`;
    const text = [markdown.slice(0, sections[keep]!.at).trimEnd(), ...kept, note].join("\n\n");
    if (text.length <= limit) return text;
  }
  const note = `\n\nThe report was cut at ${limit.toLocaleString("en-US")} characters; ${WHERE}.\n`;
  return `${markdown.slice(0, limit - note.length)}${note}`;
}

export function capMarkdown(markdown: string): string {
  return capLength(capTables(markdown));
}
