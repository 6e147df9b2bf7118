/**
 * The live Kubernetes API, through @kubernetes/client-node: kubeconfig as kubectl finds it
 * (KUBECONFIG, ~/.kube/config, the in-cluster service account), exec-plugin auth as the client
 * supports it (`aws eks get-token`). Every list is paged (limit + continue), restarted when the
 * continue token expired (410), and retried with backoff and jitter on 429/5xx and network
 * errors, honouring Retry-After. Items come back as plain JSON, as kubectl -o json prints them.
 */
import * as k8s from "@kubernetes/client-node";
import { ObjectSerializer } from "@kubernetes/client-node/dist/serializer.js";
import pRetry, { AbortError } from "p-retry";
import { SourceError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { escapeControls } from "../../core/text.js";
import { CollectError, isNetworkError } from "../errors.js";
import type { K8sObject } from "./map.js";
import { type Apis, type Page, type PageParams, type ResourceSpec, ruleFor } from "./resources.js";

export { isNotInstalled, RESOURCE_SPECS, type ResourceSpec, ruleFor } from "./resources.js";

export interface ClientOptions {
  pageSize?: number;
  retries?: number;
  /** First retry delay in ms (doubles each time, with jitter). */
  minRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** How often an expired continue token may restart one list. */
  maxRestarts?: number;
  /** Aborts in-flight requests (and the waits between retries). */
  signal?: AbortSignal | undefined;
  /** The current time (ctx.clock), for a Retry-After given as a date. */
  clock?: (() => Date) | undefined;
}

export interface ListStats {
  pages: number;
  restarts: number;
  retries: number;
}

function statusCode(error: unknown): number | undefined {
  return error instanceof k8s.ApiException ? error.code : undefined;
}

/** The API server's own words: a Status object's `message`, else the start of the body, controls shown escaped. */
function serverMessage(error: unknown): string | undefined {
  if (!(error instanceof k8s.ApiException)) return undefined;
  let body: unknown = error.body;
  if (typeof body === "string") {
    const text = body.trim();
    try {
      body = JSON.parse(text);
    } catch {
      return text ? escapeControls(text.slice(0, 300)) : undefined;
    }
  }
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === "string" && message !== "" ? escapeControls(message.slice(0, 500)) : undefined;
}

function retryAfterMs(error: unknown, now: Date): number | undefined {
  if (!(error instanceof k8s.ApiException)) return undefined;
  const header = Object.entries(error.headers ?? {}).find(([k]) => k.toLowerCase() === "retry-after")?.[1];
  if (header === undefined) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.min(seconds, 120) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.min(date - now.getTime(), 120_000));
}

export class KubernetesClient {
  private readonly apis: Apis;
  private readonly options: Required<Omit<ClientOptions, "signal" | "clock">>;
  private readonly clock: () => Date;
  private readonly signal: AbortSignal | undefined;

  constructor(
    readonly kubeConfig: k8s.KubeConfig,
    readonly clusterName: string,
    private readonly logger: Logger,
    options: ClientOptions = {},
  ) {
    this.signal = options.signal;
    this.clock = options.clock ?? (() => new Date());
    // As KubeConfig.makeApiClient builds them, plus a middleware that hands every request the
    // run's abort signal, so an abort cancels the request in flight.
    const signal = options.signal;
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster)
      throw new SourceError("kubernetes", `${clusterName}: the kubeconfig has no current cluster`);
    const configuration = k8s.createConfiguration({
      baseServer: new k8s.ServerConfiguration(cluster.server, {}),
      authMethods: { default: kubeConfig },
      promiseMiddleware: [
        {
          pre: async (context) => {
            if (signal) context.setSignal(signal);
            return context;
          },
          post: async (response) => response,
        },
      ],
    });
    this.apis = {
      core: new k8s.CoreV1Api(configuration),
      apps: new k8s.AppsV1Api(configuration),
      batch: new k8s.BatchV1Api(configuration),
      autoscaling: new k8s.AutoscalingV2Api(configuration),
      policy: new k8s.PolicyV1Api(configuration),
      discovery: new k8s.DiscoveryV1Api(configuration),
      networking: new k8s.NetworkingV1Api(configuration),
      storage: new k8s.StorageV1Api(configuration),
      custom: new k8s.CustomObjectsApi(configuration),
    };
    this.options = {
      pageSize: options.pageSize ?? 500,
      retries: options.retries ?? 5,
      minRetryDelayMs: options.minRetryDelayMs ?? 500,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 15_000,
      maxRestarts: options.maxRestarts ?? 3,
    };
  }

  get server(): string {
    return this.kubeConfig.getCurrentCluster()?.server ?? "(unknown server)";
  }

  /**
   * Lists a resource page by page, handing each page's items (as plain JSON) to `onPage`. When an
   * expired continue token forces a fresh list, `onRestart` is called first: whatever the pages
   * before it produced must be dropped.
   */
  async listPages(
    spec: ResourceSpec,
    onPage: (items: K8sObject[]) => void,
    onRestart: () => void,
  ): Promise<ListStats> {
    const signal = this.signal;
    let restarts = 0;
    let retries = 0;
    for (;;) {
      let token: string | undefined;
      let pages = 0;
      try {
        do {
          const params: PageParams = { limit: this.options.pageSize, ...(token ? { _continue: token } : {}) };
          const page = await pRetry(() => this.page(spec, params), {
            retries: this.options.retries,
            minTimeout: this.options.minRetryDelayMs,
            maxTimeout: this.options.maxRetryDelayMs,
            randomize: true,
            ...(signal ? { signal } : {}),
            shouldRetry: ({ error }) => {
              const code = statusCode(error);
              return code === 429 || (code !== undefined && code >= 500) || isNetworkError(error);
            },
            onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
              retries++;
              const wait = retryAfterMs(error, this.clock());
              this.logger.debug("retrying a list", {
                cluster: this.clusterName,
                resource: spec.resource,
                attempt: attemptNumber,
                retriesLeft,
                status: statusCode(error) ?? "network",
                retryAfterMs: wait,
              });
              if (wait !== undefined && retriesLeft > 0) await new Promise((r) => setTimeout(r, wait));
            },
          });
          pages++;
          const apiVersion = spec.group ? `${spec.group}/${spec.version}` : spec.version;
          const itemType = spec.serializerType?.replace(/List$/, "");
          onPage(
            (page.items ?? []).map((item) => ({
              apiVersion,
              kind: spec.kind,
              ...((itemType ? ObjectSerializer.serialize(item, itemType, "") : item) as K8sObject),
            })),
          );
          token = page.metadata?._continue ?? page.metadata?.continue ?? undefined;
        } while (token);
        return { pages, restarts, retries };
      } catch (error) {
        if (statusCode(error) === 410 && token !== undefined && restarts < this.options.maxRestarts) {
          restarts++;
          this.logger.warn("continue token expired; listing again from the start", {
            cluster: this.clusterName,
            resource: spec.resource,
          });
          onRestart();
          continue;
        }
        throw this.explain(spec, error);
      }
    }
  }

  private async page(spec: ResourceSpec, params: PageParams): Promise<Page> {
    try {
      return await spec.list(this.apis, params);
    } catch (error) {
      // 4xx other than 429 will not get better by asking again.
      const code = statusCode(error);
      if (code !== undefined && code < 500 && code !== 429) throw new AbortError(error as Error);
      throw error;
    }
  }

  /** Turns an API failure into a message that names the verb, the resource and the fix. */
  explain(spec: ResourceSpec, error: unknown): CollectError {
    const cause = error instanceof AbortError ? error.cause : error;
    const code = statusCode(cause);
    const what = `list ${spec.resource}${spec.group ? `.${spec.group}` : ""} (cluster scope)`;
    if (code === 403) {
      return new CollectError("kubernetes", "denied", `${this.clusterName}: forbidden to ${what}`, {
        hint: `grant the ClusterRole bound to capacity's identity the rule ${ruleFor(spec)} (deploy/ has the full read-only role)`,
        cause,
      });
    }
    if (code === 401) {
      return new CollectError(
        "kubernetes",
        "unauthenticated",
        `${this.clusterName}: the API server ${this.server} rejected the credentials (401) to ${what}`,
        {
          hint: "refresh the kubeconfig (aws eks update-kubeconfig), or check the service account token / EKS access entry",
          cause,
        },
      );
    }
    if (code === 404 && spec.optional) {
      return new CollectError(
        "kubernetes",
        "not-installed",
        `${this.clusterName}: ${spec.resource}.${spec.group} is not installed`,
        { cause },
      );
    }
    if (code !== undefined) {
      const said = serverMessage(cause);
      const retried = code === 429 || code >= 500 ? ` after ${this.options.retries} retries` : "";
      return new CollectError(
        "kubernetes",
        code === 429 ? "throttled" : "failed",
        `${this.clusterName}: ${what} failed with HTTP ${code}${retried}${said ? `: ${said}` : ""}`,
        {
          ...(code === 429
            ? {
                hint: `the API server's priority and fairness limits kept refusing: run again later, or lower kubernetes.pageSize (now ${this.options.pageSize}) so each request weighs less`,
              }
            : code >= 500
              ? {
                  hint: `the API server kept failing: a large list can time out in etcd, so lower kubernetes.pageSize (now ${this.options.pageSize}); if it persists, the control plane's health is for its operator (EKS: the cluster's control plane logs)`,
                }
              : {}),
          cause,
        },
      );
    }
    return new CollectError(
      "kubernetes",
      isNetworkError(cause) ? "unreachable" : "failed",
      `${this.clusterName}: cannot reach the API server ${this.server}: ${(cause as Error)?.message ?? cause}`,
      {
        hint: "check the kube context, the network path to the cluster endpoint and the credentials plugin (aws eks get-token)",
        cause,
      },
    );
  }
}

export interface ConnectOptions {
  /** The kube context to use; default: the current one (or the in-cluster service account). */
  context?: string | undefined;
  /** A kubeconfig to read instead of the default places (tests). */
  kubeconfigYaml?: string;
  /** A kubeconfig file to read instead of the default places (`--kubeconfig`). */
  kubeconfigFile?: string | undefined;
}

/** Loads the kubeconfig as kubectl would and selects the context. */
export function loadKubeConfig(options: ConnectOptions): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  try {
    if (options.kubeconfigYaml !== undefined) kc.loadFromString(options.kubeconfigYaml);
    else if (options.kubeconfigFile !== undefined) kc.loadFromFile(options.kubeconfigFile);
    else kc.loadFromDefault();
  } catch (error) {
    throw new SourceError("kubernetes", `cannot load the kubeconfig: ${(error as Error).message}`, {
      hint: "set KUBECONFIG or run `aws eks update-kubeconfig --name <cluster>`",
    });
  }
  if (options.context !== undefined) {
    const contexts = kc.getContexts().map((c) => c.name);
    if (!contexts.includes(options.context)) {
      throw new SourceError("kubernetes", `the kubeconfig has no context named ${options.context}`, {
        hint: contexts.length ? `contexts there: ${contexts.join(", ")}` : "it has no contexts at all",
      });
    }
    kc.setCurrentContext(options.context);
  }
  if (!kc.getCurrentCluster()) {
    throw new SourceError(
      "kubernetes",
      "no Kubernetes cluster configured (no kubeconfig and not running in a pod)",
      {
        hint: "set KUBECONFIG, pass --context, or run in-cluster with a service account",
      },
    );
  }
  return kc;
}

/** The cluster name and region an EKS context ARN tells: arn:aws:eks:us-east-1:123:cluster/prod. */
export function describeContext(context: string): { name: string; region?: string } {
  const arn = /^arn:aws[a-z-]*:eks:([a-z0-9-]+):\d+:cluster\/(.+)$/.exec(context);
  if (arn) return { name: arn[2]!, region: arn[1]! };
  return { name: context.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "") || "cluster" };
}
