/**
 * The Prometheus HTTP API through `prometheus-query`, for Prometheus, Thanos, Mimir,
 * VictoriaMetrics and Amazon Managed Service for Prometheus (the same API). Bearer token, basic
 * auth, extra headers, a custom CA or no TLS verification, a per-query timeout; for AMP every
 * request is signed with SigV4 (service `aps`) by the AWS SDK's signer with the default
 * credential chain. Each query is retried with jittered backoff on 5xx, 429 and time-outs, and
 * counted: queries, bytes and the time Prometheus took to answer.
 */
import { readFileSync } from "node:fs";
import { Agent } from "node:https";
import { Sha256 } from "@aws-crypto/sha256-js";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { SignatureV4 } from "@smithy/signature-v4";
import pRetry, { AbortError } from "p-retry";
import { PrometheusDriver } from "prometheus-query";
import { SourceError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { CollectError, isNetworkError } from "../errors.js";
import {
  COMPACT,
  compactMatrix,
  encodeQuery,
  execTotalTime,
  keepMatrixText,
  NotJsonAnswer,
  pairsOf,
  queryObject,
} from "./answers.js";

export interface PrometheusOptions {
  url: string;
  bearerToken?: string | undefined;
  basicAuth?: { username: string; password: string } | undefined;
  headers?: Record<string, string> | undefined;
  caFile?: string | undefined;
  insecureSkipVerify?: boolean | undefined;
  timeoutSeconds: number;
  /** Ask for gzip-compressed answers (else `identity`). */
  compression?: boolean | undefined;
  /** Sign for Amazon Managed Service for Prometheus in this region. */
  sigv4Region?: string | undefined;
  /** Called after each query answered, with the counts so far (progress). */
  onQuery?: ((stats: Readonly<QueryStats>) => void) | undefined;
  /** The AWS profile SigV4 signing takes its credentials from (`--profile`). */
  awsProfile?: string | undefined;
  retries: number;
  minRetryDelayMs?: number;
  /** Aborts in-flight queries and the waits between retries. */
  signal?: AbortSignal | undefined;
}

export interface Series {
  labels: Record<string, string>;
  /** [unix seconds, value] */
  values: Array<[number, number]>;
}

export interface QueryStats {
  queries: number;
  failures: number;
  retries: number;
  bytes: number;
  /** Sum of the time each answered request took, as seen from here (transfer and parsing included). */
  serverMs: number;
  /** Sum of Prometheus' own execution time for the queries (its `stats=all` timings), when it reports them. */
  prometheusExecSeconds: number;
}

export class PrometheusApi {
  readonly stats: QueryStats = {
    queries: 0,
    failures: 0,
    retries: 0,
    bytes: 0,
    serverMs: 0,
    prometheusExecSeconds: 0,
  };
  private readonly driver: PrometheusDriver;
  /** The same connection, for answers kept as the JSON text Prometheus sent (rangeText). */
  private readonly textDriver: PrometheusDriver;

  constructor(
    private readonly options: PrometheusOptions,
    private readonly logger: Logger,
  ) {
    const url = new URL(options.url);
    const endpoint = `${url.protocol}//${url.host}`;
    const basePath = `${url.pathname.replace(/\/$/, "")}/api/v1`;
    const agent =
      url.protocol === "https:" && (options.caFile || options.insecureSkipVerify)
        ? new Agent({
            ...(options.caFile ? { ca: readFileSync(options.caFile) } : {}),
            rejectUnauthorized: !options.insecureSkipVerify,
          })
        : undefined;
    const signer = options.sigv4Region
      ? new SignatureV4({
          credentials: fromNodeProviderChain(options.awsProfile ? { profile: options.awsProfile } : {}),
          region: options.sigv4Region,
          service: "aps",
          sha256: Sha256,
        })
      : undefined;
    const headers: Record<string, string> = {
      "Accept-Encoding": options.compression ? "gzip" : "identity",
      ...(options.headers ?? {}),
    };
    if (options.bearerToken) headers.Authorization = `Bearer ${options.bearerToken}`;
    const driver = (text: boolean) =>
      new PrometheusDriver({
        endpoint,
        baseURL: basePath,
        headers,
        ...(options.basicAuth ? { auth: options.basicAuth } : {}),
        timeout: options.timeoutSeconds * 1000,
        requestInterceptor: {
          onFulfilled: async (config) => {
            // Put the query string in the URL ourselves, so what is signed is what is sent.
            const path = config.url ?? "";
            const target = new URL(
              /^https?:/.test(path)
                ? path
                : `${(config.baseURL ?? "").replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`,
            );
            const pairs = pairsOf(config.params);
            // Ask Prometheus for its own timings of query evaluations (ignored by APIs without them).
            if (/\/query(_range)?$/.test(target.pathname)) pairs.push(["stats", "all"]);
            const query = encodeQuery(pairs);
            config.baseURL = undefined;
            config.url = `${target.origin}${target.pathname}${query ? `?${query}` : ""}`;
            config.params = undefined;
            if (agent) config.httpsAgent = agent;
            if (options.signal) config.signal = options.signal;
            if (text) config.transformResponse = [keepMatrixText];
            if (signer) {
              const signed = await signer.sign({
                method: (config.method ?? "get").toUpperCase(),
                protocol: target.protocol,
                hostname: target.hostname,
                ...(target.port ? { port: Number(target.port) } : {}),
                path: target.pathname,
                query: queryObject(pairs),
                headers: { host: target.host },
              });
              for (const [k, v] of Object.entries(signed.headers)) if (k !== "host") config.headers.set(k, v);
            }
            (config as { startedAt?: number }).startedAt = performance.now();
            return config;
          },
        },
        responseInterceptor: {
          onFulfilled: (response) => {
            // A body that did not parse is still a string here (axios parses quietly).
            if (typeof response.data === "string")
              throw new NotJsonAnswer(response.status, response.headers, response.data);
            const started = (response.config as { startedAt?: number }).startedAt;
            if (started) this.stats.serverMs += performance.now() - started;
            const data = (
              response.data as {
                data?: { result?: unknown; stats?: { timings?: { execTotalTime?: number } } };
              }
            )?.data;
            // What came over the wire (compressed, when it was), else the answer's JSON length.
            const length = Number(response.headers["content-length"]);
            this.stats.bytes += Number.isFinite(length)
              ? length
              : typeof data?.result === "string"
                ? data.result.length
                : JSON.stringify(response.data).length;
            const exec =
              typeof data?.result === "string"
                ? execTotalTime(data.result)
                : data?.stats?.timings?.execTotalTime;
            if (typeof exec === "number") this.stats.prometheusExecSeconds += exec;
            compactMatrix(response.data);
            return response;
          },
          // Gateways in front of Prometheus (AMP, an auth proxy) answer errors in their own shape;
          // give them the Prometheus shape so the HTTP status and message survive.
          onRejected: (error: { response?: { status: number; statusText?: string; data?: unknown } }) => {
            const response = error?.response;
            if (
              response &&
              !(typeof response.data === "object" && response.data !== null && "status" in response.data)
            ) {
              const body = response.data as { message?: string; Message?: string } | string | undefined;
              const message =
                typeof body === "string"
                  ? body.slice(0, 300)
                  : (body?.message ?? body?.Message ?? response.statusText ?? "");
              response.data = { status: "error", errorType: "http", error: message };
            }
            return Promise.reject(error);
          },
        },
      });
    this.driver = driver(false);
    this.textDriver = driver(true);
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return pRetry(
      async () => {
        this.stats.queries++;
        try {
          const answer = await fn();
          this.options.onQuery?.(this.stats);
          return answer;
        } catch (error) {
          const status = (error as { httpStatus?: number })?.httpStatus;
          // A bad query or a refusal will not get better by asking again.
          if (status !== undefined && status >= 400 && status < 500 && status !== 429 && status !== 408) {
            throw new AbortError(this.explain(what, error));
          }
          throw this.explain(what, error);
        }
      },
      {
        retries: this.options.retries,
        ...(this.options.signal ? { signal: this.options.signal } : {}),
        minTimeout: this.options.minRetryDelayMs ?? 500,
        maxTimeout: 10_000,
        randomize: true,
        onFailedAttempt: ({ attemptNumber, retriesLeft, error }) => {
          if (retriesLeft > 0) this.stats.retries++;
          this.logger.debug("prometheus query failed", {
            what,
            attempt: attemptNumber,
            retriesLeft,
            error: error.message.slice(0, 200),
          });
        },
      },
    ).catch((error: unknown) => {
      this.stats.failures++;
      throw error;
    });
  }

  private explain(what: string, error: unknown): CollectError {
    const e = error as {
      httpStatus?: number;
      error?: string;
      errorType?: string;
      message?: string;
      original?: unknown;
    };
    if (e?.original instanceof NotJsonAnswer) {
      const answer = e.original;
      return new CollectError("prometheus", "failed", `${what}: ${answer.message}`, {
        hint: answer.cutOff
          ? "the answer was cut off on the way (a proxy's size or time limit?): lower prometheus.podBatchSize so each answer is smaller, or raise the proxy's limits"
          : "check prometheus.url: it is the query API's base (capacity adds /api/v1), not a web page, a login page or a proxy's error page",
        cause: answer,
      });
    }
    const status = e?.httpStatus;
    const detail = e?.error ?? e?.message ?? String(error);
    if (status === 401 || status === 403) {
      const kind = status === 401 ? "unauthenticated" : "denied";
      return new CollectError(
        "prometheus",
        kind,
        `${this.options.url} refused ${what} (${status}): ${detail}`,
        {
          hint: this.options.sigv4Region
            ? "grant aps:QueryMetrics on the workspace to capacity's role"
            : "check prometheus.bearerTokenFile / basicAuth / headers",
          cause: error,
        },
      );
    }
    const kind =
      status === 429 ? "throttled" : status === undefined && isNetworkError(error) ? "unreachable" : "failed";
    const persistent = status === 429 || (status !== undefined && status >= 500);
    return new CollectError(
      "prometheus",
      kind,
      `${what} failed${status ? ` (HTTP ${status}${persistent ? `, after ${this.options.retries} retries` : ""})` : ""}: ${detail}`,
      {
        ...(persistent
          ? {
              hint: "the server's own message is above: lower prometheus.concurrency and prometheus.podBatchSize so each query asks for less, or run again when the server is less loaded",
            }
          : {}),
        cause: error,
      },
    );
  }

  async range(query: string, start: Date, end: Date, stepSeconds: number): Promise<Series[]> {
    const result = await this.call("a range query", () =>
      this.driver.rangeQuery(query, start, end, stepSeconds),
    );
    if (result.resultType !== COMPACT)
      throw new SourceError("prometheus", `a range query answered ${result.resultType}, not a matrix`);
    return result.result as Series[];
  }

  /**
   * A range query whose matrix answer is returned as the JSON text Prometheus sent, unparsed (for
   * the store to read: see spool.ts). Errors are raised as range() raises them.
   */
  async rangeText(query: string, start: Date, end: Date, stepSeconds: number): Promise<string> {
    const result = await this.call("a range query", () =>
      this.textDriver.rangeQuery(query, start, end, stepSeconds),
    );
    if (typeof result.result === "string") return result.result;
    // An answer in another layout (spacing, key order) was parsed as usual: written back as a matrix.
    if (Array.isArray(result.result))
      return JSON.stringify({
        status: "success",
        data: {
          resultType: "matrix",
          result: (result.result as Series[]).map((s) => ({ metric: s.labels, values: s.values })),
        },
      });
    throw new SourceError("prometheus", `a range query answered ${result.resultType}, not a matrix`);
  }

  async instant(query: string, time: Date): Promise<Series[]> {
    const result = await this.call("an instant query", () => this.driver.instantQuery(query, time));
    return (
      result.result as Array<{
        metric: { labels?: Record<string, string> };
        value: { time: Date; value: number };
      }>
    ).map((s) => ({
      labels: s.metric.labels ?? {},
      values: [[Math.round(s.value.time.getTime() / 1000), s.value.value]],
    }));
  }

  async labelValues(label: string, match: string, start: Date, end: Date): Promise<string[]> {
    return this.call(`the ${label} values`, () => this.driver.labelValues(label, [match], start, end));
  }

  /** What answered: Prometheus' build info, or the absence of it (Thanos, Mimir, VictoriaMetrics, AMP answer differently). */
  async describe(): Promise<string> {
    try {
      const info = (await this.driver.statusBuildinfo()) as { version?: string };
      return info?.version ? `Prometheus-compatible API, build ${info.version}` : "Prometheus-compatible API";
    } catch {
      return "Prometheus-compatible API (no build info)";
    }
  }
}
