/**
 * What went wrong with a source, as a kind the collectors decide on (never by reading the
 * message): set where the failure is first understood, from an HTTP status, an SDK error's
 * `name` or `$metadata.httpStatusCode`, or a Node.js system error `code`.
 */
import { SourceError } from "../core/errors.js";

export type FailureKind =
  /** The identity may not do this (HTTP 403, AccessDenied…). */
  | "denied"
  /** The credentials were rejected (HTTP 401) or there are none. */
  | "unauthenticated"
  /** Still throttled after the retries. */
  | "throttled"
  /** No answer: refused, reset, DNS, time-out. */
  | "unreachable"
  /** An optional API (a CRD) that is not installed (HTTP 404). */
  | "not-installed"
  /** The service has no data to give (e.g. too little history for a forecast). */
  | "no-data"
  /** Anything else. */
  | "failed";

export class CollectError extends SourceError {
  constructor(
    source: string,
    readonly kind: FailureKind,
    message: string,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(source, message, options);
  }
}

/** The kind of a failure a collector classified; undefined for any other error. */
export function failureKind(error: unknown): FailureKind | undefined {
  return error instanceof CollectError ? error.kind : undefined;
}

/** Node.js system error codes that mean the request got no answer. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ECONNABORTED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** A network failure (refused, reset, DNS, time-out): by the `code` of the error or of its causes. */
export function isNetworkError(error: unknown): boolean {
  for (let e = error, depth = 0; e !== null && typeof e === "object" && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
