/**
 * What Prometheus answers, as the client handles it before the driver sees it: matrix answers
 * kept as the text Prometheus sent (the spool loads them), the server's own query time read from
 * the text, query strings encoded for SigV4 signing, and an answer that is not JSON named as such.
 */
import { escapeControls } from "../../core/text.js";
import type { Series } from "./client.js";

/** The request's parameters as pairs (repeated keys kept, e.g. match[]). */
export function pairsOf(params: unknown): Array<[string, string]> {
  if (params instanceof URLSearchParams) return [...params.entries()];
  return Object.entries((params as Record<string, unknown>) ?? {})
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => [k, v instanceof Date ? (v.getTime() / 1000).toString() : String(v)]);
}

/** What a matrix answer becomes once compacted (see compactMatrix). */
export const COMPACT = "string";

/**
 * Turns a matrix answer, as parsed from the JSON, into Series in place: labels without
 * `__name__`, values as [unix seconds, number] pairs reusing the parsed arrays, non-finite values
 * dropped. prometheus-query would make a Date and an object of every point (millions on a big
 * cluster); marked as a "string" result, which it passes through untouched, the answer reaches
 * range() as it is.
 */
export function compactMatrix(body: unknown): void {
  const data = (body as { data?: { resultType?: string; result?: unknown } } | undefined)?.data;
  if (data?.resultType !== "matrix" || !Array.isArray(data.result)) return;
  const series: Series[] = [];
  for (const s of data.result as Array<{
    metric?: Record<string, string>;
    values?: Array<[number, unknown]>;
  }>) {
    const { __name__: _, ...labels } = s.metric ?? {};
    const values = (s.values ?? []) as Array<[number, number]>;
    let finite = true;
    for (const point of values) {
      point[0] = Math.round(point[0]);
      point[1] = Number(point[1]);
      finite &&= Number.isFinite(point[1]);
    }
    series.push({ labels, values: finite ? values : values.filter(([, v]) => Number.isFinite(v)) });
  }
  data.resultType = COMPACT;
  data.result = series;
}

/**
 * axios' response transform for rangeText: a successful matrix answer is kept as its text, wrapped
 * as a "string" result that prometheus-query passes through; anything else (an error, another
 * shape) is parsed as usual, so errors keep their path.
 */
export function keepMatrixText(body: unknown): unknown {
  if (typeof body !== "string") return body;
  if (body.startsWith('{"status":"success","data":{"resultType":"matrix"'))
    return { status: "success", data: { resultType: COMPACT, result: body } };
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/**
 * An answer with a success status whose body is not JSON (an HTML login page, a proxy's error
 * page, a cut-off body): said as such, with its first bytes, never as a network error.
 */
export class NotJsonAnswer extends Error {
  /** The body starts as JSON does: an answer cut off on the way, not another kind of page. */
  readonly cutOff: boolean;
  constructor(status: number, headers: Record<string, unknown>, body: string) {
    const type = typeof headers["content-type"] === "string" ? `, ${headers["content-type"]}` : "";
    const start = escapeControls(body.slice(0, 80));
    const cutOff = /^\s*[[{]/.test(body);
    super(
      `the server answered with something that is not JSON${cutOff ? ` (JSON cut off after ${body.length} characters)` : ""} (HTTP ${status}${type}; first bytes: ${JSON.stringify(start)}${body.length > 80 ? "…" : ""})`,
    );
    this.name = "NotJsonAnswer";
    this.cutOff = cutOff;
  }
}

/** Prometheus' own evaluation time from an answer's text (its `stats` come last). */
export function execTotalTime(body: string): number | undefined {
  const at = body.lastIndexOf('"execTotalTime":');
  if (at < 0) return undefined;
  const value = Number.parseFloat(body.slice(at + 16, at + 40));
  return Number.isFinite(value) ? value : undefined;
}

/** RFC 3986 query string, the encoding SigV4 canonicalises. */
export function encodeQuery(pairs: Array<[string, string]>): string {
  const enc = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join("&");
}

/** The same pairs as SigV4 wants them: a key with several values gets them all. */
export function queryObject(pairs: Array<[string, string]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of pairs) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
