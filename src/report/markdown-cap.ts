/**
 * The Markdown report fits a pull-request comment whatever the cluster's size: each table shows
 * its first rows (they come sorted by what matters most) and says how many more there are and
 * where they are; if the text is still over the limit, whole sections are left out from the end,
 * named in a closing note. GitHub refuses a comment over 65,536 characters.
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

/** The text under `limit` characters: sections (`## `) left out from the end, and named. */
export function capLength(markdown: string, limit = MARKDOWN_LIMIT): string {
  if (markdown.length <= limit) return markdown;
  const starts = [...markdown.matchAll(/^## (.*)$/gm)].map((m) => ({ at: m.index, title: m[1]! }));
  for (let keep = starts.length - 1; keep >= 0; keep--) {
    const cut = starts[keep]!.at;
    const left = starts.slice(keep).map((s) => s.title);
    const note = `\n## Left out\n\nThis report stops here to stay under ${limit.toLocaleString("en-US")} characters (a GitHub comment holds 65,536). Left out: ${left.join(", ")}; ${WHERE}.\n`;
    if (cut + note.length <= limit) return `${markdown.slice(0, cut).trimEnd()}\n${note}`;
  }
  const note = `\n\nThe report was cut at ${limit.toLocaleString("en-US")} characters; ${WHERE}.\n`;
  return `${markdown.slice(0, limit - note.length)}${note}`;
}

export function capMarkdown(markdown: string): string {
  return capLength(capTables(markdown));
}
