/**
 * Hostile strings for names, labels and annotations: HTML and script, Handlebars, Markdown,
 * CSV formulas, control and bidi characters, and one of 100,000 characters. A payload that runs
 * sets `window.__pwned` (or asks for an outside host, or opens a dialog): the injection test
 * watches for all three.
 */
const OUTSIDE = "http://evil.example";

export const PAYLOADS: readonly string[] = [
  // HTML and script
  "<script>window.__pwned=1</script>",
  '"><script>window.__pwned=2</script>',
  "'><script>window.__pwned=3</script>",
  `<img src=x onerror="window.__pwned=4">`,
  `<img src="${OUTSIDE}/img.png">`,
  "<svg onload=window.__pwned=5>",
  "<svg><script>window.__pwned=6</script></svg>",
  "<iframe src=javascript:window.parent.__pwned=7></iframe>",
  `<a href="javascript:window.__pwned=8">click</a>`,
  "<body onload=window.__pwned=9>",
  `<link rel=stylesheet href=${OUTSIDE}/x.css>`,
  `<style>@import url(${OUTSIDE}/y.css)</style>`,
  `<object data=${OUTSIDE}/o></object>`,
  "</td></tr></table><script>window.__pwned=10</script>",
  "<!--",
  "]]><script>window.__pwned=11</script>",
  "&lt;script&gt;window.__pwned=12&lt;/script&gt;",
  "<details open ontoggle=window.__pwned=13>",
  "javascript:window.__pwned=14",
  `<meta http-equiv="refresh" content="0;url=${OUTSIDE}/">`,
  // Handlebars
  "{{constructor.constructor('window.__pwned=15')()}}",
  "{{{raw}}}",
  "{{> partial}}",
  "}}{{",
  "{{#each this}}x{{/each}}",
  // Markdown
  `![x](${OUTSIDE}/md.png)`,
  `[click](${OUTSIDE}/link)`,
  `<${OUTSIDE}/autolink>`,
  "**bold** and __bold__",
  "~~struck~~",
  "_emphasis_ *emphasis*",
  "`code` ``more``",
  "| a | b |",
  "# heading",
  "> quote",
  "- item",
  "+ item",
  "1. item",
  "---",
  "[ref]: http://evil.example/ref",
  `![ref][r]\n\n[r]: ${OUTSIDE}/r.png`,
  "\\|escaped pipe\\",
  // CSV formulas
  "=cmd|'/C calc'!A0",
  '=HYPERLINK("http://evil.example","x")',
  "+SUM(1,2)",
  "-2+3",
  "@SUM(A1:A2)",
  "\t=1+1",
  "\r=1+1",
  'a,b,"c"',
  // control characters, bidi, invisible
  "line\nbreak",
  "lone\rreturn",
  "crlf\r\nrow",
  "nul\u0000byte",
  "bell\u0007esc\u001b[31mred",
  "evil\u202Etxt.exe",
  "\u2066isolate\u2069 \u200Bzero-width\uFEFF",
  "del\u007Fc1\u0085",
  "para\u2029sep\u2028line",
  // length
  "A".repeat(100_000),
];

/** What a payload sets when it runs, and the host it would reach. */
export const PWNED_FLAG = "__pwned";
export const OUTSIDE_HOST = "evil.example";

/**
 * Payloads that can stand in an object's name in every file of the bundle: the usage CSV is read
 * line by line and split at commas, so no separator, quote or control character, and short.
 */
export const nameSafe = (payload: string): boolean =>
  !/[,"\p{Cc}\u2028\u2029]/u.test(payload) && payload.length < 200;
