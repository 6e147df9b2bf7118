/**
 * The one configuration schema. The YAML file, `CAPACITY_*` environment variables and CLI flags
 * are all parsed by it; flags and their help text are derived from it (see flags.ts), and
 * `capacity.example.yaml` documents the same keys. Its `analyzers` object is built from the
 * analyzer registry: each analyzer's own settings schema under its name.
 */
import { z } from "zod";
import type { Analyzer } from "../analyze/analyzer.js";
import { ANALYZERS } from "../analyze/registry.js";
import { eventsSchema, forecastSettings } from "../forecast/settings.js";
import { clusterSchema } from "./cluster.js";
import { deliverySchema, historySchema, S3_PREFIX } from "./delivery.js";

export { clusterSchema };

/**
 * An http(s) URL with its scheme (`prometheus:9090` parses as a URL of scheme `prometheus:`) and
 * without credentials: a password in a URL ends up in logs, reports and the database, so it is
 * refused and the message says where it goes instead. Messages never repeat the value.
 */
const httpUrl = (key: string) =>
  z.string().superRefine((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      ctx.addIssue({
        code: "custom",
        message: "must be a URL with its scheme, e.g. https://prometheus.example:9090",
      });
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      ctx.addIssue({
        code: "custom",
        message: "must start with http:// or https:// (host:9090 alone reads its host as the scheme)",
      });
    }
    if (url.username !== "" || url.password !== "") {
      ctx.addIssue({
        code: "custom",
        message: `must not hold credentials (user:password@): put the user in ${key}.basicAuth.username and the password in a file named by ${key}.basicAuth.passwordFile, or a token in a file named by ${key}.bearerTokenFile`,
      });
    }
  });

type SettingsShape<A extends readonly Analyzer[]> = {
  [X in A[number] as X["settings"] extends z.ZodType ? X["name"] : never]: Exclude<X["settings"], undefined>;
};

/** `analyzers`: each analyzer's settings under its name (analyzers without settings have no key). */
export function analyzersSchema<const A extends readonly Analyzer[]>(analyzers: A) {
  const shape = Object.fromEntries(analyzers.flatMap((a) => (a.settings ? [[a.name, a.settings]] : [])));
  // Every analyzer's settings have defaults for every key, so {} is a valid input.
  return z.strictObject(shape as SettingsShape<A>).prefault({} as never);
}

/** The configuration schema for a registry (the production one is `configSchema`). */
export function buildConfigSchema<const A extends readonly Analyzer[]>(analyzers: A) {
  return z.strictObject({
    database: z
      .string()
      .min(1)
      .default("capacity.duckdb")
      .describe("DuckDB file that keeps every run's history."),
    databaseMemoryLimit: z
      .string()
      .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/, "a size such as 1.5GB or 3GiB")
      .default("1.5GB")
      .describe(
        "Memory DuckDB may use (its memory_limit); past it, analyses spill to $TMPDIR/capacity-duckdb/<pid>. The default fits a pod with a 2 GiB limit: keep it about 0.75 of the pod's.",
      ),
    databaseThreads: z
      .number()
      .int()
      .min(1)
      .max(256)
      .optional()
      .describe("Threads DuckDB may use; default: one per core."),
    outputDir: z.string().min(1).default("out").describe("Where reports are written."),
    historyDays: z
      .number()
      .int()
      .min(1)
      .max(90)
      .default(14)
      .describe("History window in days (usage, costs)."),
    strict: z
      .boolean()
      .default(false)
      .describe("Treat any missing source as fatal (exit 1) instead of exit 3."),
    clusters: z
      .array(clusterSchema)
      .default([])
      .describe("The clusters (kube contexts) to collect; default: the current context.")
      .superRefine((clusters, check) => {
        const names = new Set<string>();
        for (const [i, c] of clusters.entries()) {
          if (names.has(c.name))
            check.addIssue({ code: "custom", path: [i, "name"], message: `${c.name} is listed twice` });
          names.add(c.name);
          if (clusters.length > 1 && c.context === undefined) {
            check.addIssue({
              code: "custom",
              path: [i, "context"],
              message: "required when several clusters are listed",
            });
          }
        }
      }),
    kubernetes: z
      .strictObject({
        pageSize: z
          .number()
          .int()
          .min(1)
          .max(5000)
          .default(500)
          .describe("Objects per list page (limit + continue)."),
        retries: z
          .number()
          .int()
          .min(0)
          .max(10)
          .default(5)
          .describe("Retries of a list page on 429, 5xx and network errors."),
        kubeconfig: z
          .string()
          .min(1)
          .optional()
          .describe(
            "Kubeconfig file to read; default: KUBECONFIG, then ~/.kube/config (in a pod: its service account).",
          ),
      })
      .default({ pageSize: 500, retries: 5 }),
    prometheus: z
      .strictObject({
        url: httpUrl("prometheus")
          .optional()
          .describe(
            "Prometheus-compatible query API base URL (Prometheus, Thanos, Mimir, VictoriaMetrics, AMP).",
          ),
        clusterLabel: z
          .string()
          .optional()
          .describe(
            "Label that tells clusters apart on a shared Prometheus; its value is the cluster's name.",
          ),
        bearerTokenFile: z
          .string()
          .optional()
          .describe("File holding a bearer token (e.g. a service account token)."),
        basicAuth: z
          .strictObject({
            username: z.string().min(1),
            passwordFile: z
              .string()
              .min(1)
              .describe("File holding the password (never the password itself)."),
          })
          .optional()
          .describe("Basic auth."),
        headers: z
          .record(z.string(), z.string())
          .optional()
          .describe("Extra request headers (e.g. X-Scope-OrgID for Mimir)."),
        caFile: z.string().optional().describe("CA bundle for a Prometheus with a private certificate."),
        insecureSkipVerify: z.boolean().default(false).describe("Skip TLS verification (tests only)."),
        sigv4Region: z
          .string()
          .optional()
          .describe("Amazon Managed Service for Prometheus: sign requests with SigV4 for this region."),
        timeoutSeconds: z.number().positive().default(60).describe("Per-query timeout."),
        concurrency: z.number().int().min(1).max(32).default(4).describe("Queries in flight at once."),
        retries: z
          .number()
          .int()
          .min(0)
          .max(10)
          .default(3)
          .describe("Retries of a query on 5xx, 429 and time-outs."),
        podBatchSize: z
          .number()
          .int()
          .min(1)
          .max(1000)
          .default(250)
          .describe("Pods per query in a namespace with more pods."),
        compression: z
          .boolean()
          .default(false)
          .describe(
            "Ask for gzip-compressed answers: a tenth of the bytes on the wire, for some CPU on both ends (off: in the cluster the network is cheap and Prometheus' CPU is not).",
          ),
        rateWindow: z
          .string()
          .regex(/^(auto|\d+[smh])$/, "auto, or a duration such as 1m")
          .default("auto")
          .describe(
            "Range of rate() for CPU peaks and p95s; auto: 4 × the scrape interval found in the data (1m at 15 s). Longer windows smooth away bursts and under-size bursty containers.",
          ),
        recordingRules: z
          .enum(["auto", "off"])
          .default("auto")
          .describe(
            "auto: where our recording rule (deploy/prometheus/capacity-rules.yaml) was recording, read CPU peaks from its series instead of subqueries; off: always subqueries.",
          ),
        incremental: z
          .boolean()
          .default(true)
          .describe(
            "Reuse the usage days an earlier run of the same cluster stored and ask Prometheus only for the new days (and the last one again); false: a full refresh of the window.",
          ),
      })
      .default({
        insecureSkipVerify: false,
        timeoutSeconds: 60,
        concurrency: 4,
        retries: 3,
        podBatchSize: 250,
        compression: false,
        rateWindow: "auto",
        recordingRules: "auto",
        incremental: true,
      }),
    aws: z
      .strictObject({
        costAllocationTag: z
          .string()
          .optional()
          .describe("Cost allocation tag that marks the cluster's resources; default: tried in order."),
        costAllocationTagValue: z
          .string()
          .optional()
          .describe(
            "The tag's value for this cluster; default: the cluster's name (owned for kubernetes.io/cluster/<name>).",
          ),
        pricingRegion: z
          .enum(["us-east-1", "eu-central-1", "ap-south-1"])
          .default("us-east-1")
          .describe("Region of the Price List API endpoint (it prices every region)."),
        maxAttempts: z
          .number()
          .int()
          .min(1)
          .max(10)
          .default(5)
          .describe("Attempts per AWS call, with the SDK's standard backoff on throttling and 5xx."),
        priceMaxAgeDays: z
          .number()
          .min(0)
          .default(7)
          .describe("Prices fetched from the Price List API are reused for this many days."),
        profile: z
          .string()
          .min(1)
          .optional()
          .describe(
            "AWS profile for the SDK's credential chain; default: AWS_PROFILE, else the chain's default.",
          ),
        cur: z
          .strictObject({
            s3Uri: z
              .string()
              .regex(S3_PREFIX, "an S3 location such as s3://bucket/prefix/export-name/")
              .optional()
              .describe(
                "Where a Data Exports CUR 2.0 export with split cost allocation data is delivered (Parquet): s3://<bucket>/<prefix>/<export-name>/. The months of the window are read from its data/BILLING_PERIOD=YYYY-MM/ folders and AWS's own per-pod split is set against ours; default: not read.",
              ),
          })
          .optional()
          .describe("The CUR 2.0 export to cross-check the cost allocation against (issue 16)."),
      })
      .default({ pricingRegion: "us-east-1", maxAttempts: 5, priceMaxAgeDays: 7 }),
    allocation: z
      .strictObject({
        splitMethod: z
          .enum(["aws-split", "opencost-ratio"])
          .default("aws-split")
          .describe(
            "How a node's price splits into per-core and per-GiB rates: aws-split weighs 1 vCPU as 9 GiB (AWS split cost allocation); opencost-ratio uses OpenCost's default CPU:RAM price ratio.",
          ),
        labelKeys: z
          .array(
            z
              .string()
              .regex(
                /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
                "must be a Kubernetes label key, e.g. team or example.com/cost-center",
              ),
          )
          .max(10)
          .default([])
          .describe(
            "Label keys to roll costs up by (team, cost centre): a pod's label, else its workload's pods', else its workload's, else its namespace's, else (none).",
          ),
        scaleToBill: z
          .boolean()
          .default(false)
          .describe(
            "Also show costs scaled so that compute and the EKS fee add up to what Cost Explorer billed for them; both figures are shown.",
          ),
      })
      .prefault({}),
    scope: z
      .strictObject({
        namespaces: z
          .array(
            z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a namespace name (RFC 1123 label)"),
          )
          .default([])
          .describe(
            "Namespaces to collect usage for and to report; empty: all. Cluster-wide figures (node cost, idle) stay the whole cluster's and say so.",
          ),
        selector: z
          .string()
          .optional()
          .describe(
            "Label selector on workloads (app=web,tier!=cache,env in (a,b),!legacy) for what is reported.",
          ),
        clusters: z
          .array(z.string().min(1))
          .default([])
          .describe(
            "Clusters (by name) to collect and report, of those configured or in a shared database; empty: all.",
          ),
      })
      .prefault({}),
    analyzers: analyzersSchema(analyzers),
    history: historySchema,
    delivery: deliverySchema,
    events: eventsSchema,
    forecast: forecastSettings,
    log: z
      .strictObject({
        level: z.enum(["debug", "info", "warn", "error"]).default("info").describe("Lowest level logged."),
        format: z
          .enum(["auto", "json", "pretty"])
          .default("auto")
          .describe("auto: JSON unless stderr is a terminal."),
      })
      .default({ level: "info", format: "auto" }),
  });
}

export const configSchema = buildConfigSchema(ANALYZERS);

export type Config = z.infer<typeof configSchema>;
export type ClusterConfig = z.infer<typeof clusterSchema>;
