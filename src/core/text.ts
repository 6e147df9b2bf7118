/**
 * Text from the cluster (names, labels, annotations, and messages that quote them) shown to
 * people: in the Markdown report, in log lines on a terminal. Pure.
 */

/** Control characters, and the invisible ones that reorder or hide text: bidi marks, overrides and isolates, zero-width characters, line and paragraph separators, the BOM. */
const INVISIBLE = /[\p{Cc}\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/gu;

/** U+202E as `\u202E`. */
const codePoint = (c: string): string => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * Line breaks and tabs become spaces; every other control or invisible character is shown as its
 * code point (`\u202E`), so no value can split a line or a table row, or make a name read as
 * another.
 */
export function visibleControls(text: string): string {
  return text.replace(/\r\n|[\r\n\t\v\f]/g, " ").replace(INVISIBLE, codePoint);
}

/** As visibleControls, but line breaks and tabs are shown too (`\n`): for one log line on a terminal. */
export function escapeControls(text: string): string {
  return text.replace(INVISIBLE, (c) =>
    c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : codePoint(c),
  );
}

/** `https://user:password@host` → `https://***@host`, wherever a URL with credentials stands in the text. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, "$1***@");
}

/** A copy of a view model (strings, arrays, plain objects) with `fn` applied to every string in it. */
export function mapStrings<T>(value: T, fn: (text: string) => string): T {
  if (typeof value === "string") return fn(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn)) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)])) as T;
  }
  return value;
}

/** A string, array or object with every string in it redacted (redactUrlCredentials). */
export const redactDeep = <T>(value: T): T => mapStrings(value, redactUrlCredentials);

/**
 * As escapeControls, but line breaks and tabs are kept: for HTML, where they are whitespace, and
 * where a bidi override or a zero-width character would still reorder or hide a name.
 */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => (c === "\n" || c === "\t" ? c : codePoint(c)));
}
