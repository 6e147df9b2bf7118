/**
 * What the demo cluster runs: its node pools and workloads, with the planted findings every
 * later analysis must find (each marked PLANTED). Pure data; generate.ts turns it into a
 * recorded bundle.
 */

import { offpeakWorkloads } from "./offpeak.js";

export type Pool = "od" | "spot" | "graviton" | "fargate" | "every-ec2";

export interface UsageShape {
  /** CPU cores one pod uses at normal traffic (traffic 1.0). */
  cpu: number;
  /** Working-set bytes one pod holds at rest. */
  memory: number;
  /** Extra working set at traffic 1.0 (memory that grows with load). */
  memoryPerTraffic?: number;
  /** Follows shop traffic (daily, weekly, the sale) or stays flat. */
  traffic: boolean;
  /** Relative noise of 5-minute samples. */
  noise?: number;
  /** PLANTED: the working set climbs to the limit and the container is OOM killed. */
  leaksToLimit?: boolean;
}

export interface ContainerSpec {
  name: string;
  image: string;
  cpuRequest?: string;
  cpuLimit?: string;
  memoryRequest?: string;
  memoryLimit?: string;
  usage: UsageShape;
  /** Init container (runs before, no usage) or native sidecar (restartPolicy: Always). */
  role?: "init" | "sidecar";
}

export interface WorkloadSpec {
  namespace: string;
  name: string;
  kind: "Deployment" | "StatefulSet" | "DaemonSet" | "CronJob" | "Pod";
  pool: Pool;
  replicas: number;
  containers: ContainerSpec[];
  hpa?: { min: number; max: number; cpuUtilization: number };
  pdb?: { minAvailable?: number | string; maxUnavailable?: number | string };
  /** PVC template per replica (StatefulSet) in GiB. */
  volumeGiB?: number;
  emptyDir?: boolean;
  /** CronJob: hours of the day (UTC) it starts, and how many hours its pod runs. */
  schedule?: { hours: number[]; runHours: number };
  /** Deployment rolled out to a new ReplicaSet half way through the window. */
  rolledOutMidWindow?: boolean;
  labels?: Record<string, string>;
  fargateAnnotationOverride?: string;
  team: string;
}

const MI = 1024 ** 2;
const GI = 1024 ** 3;

function svc(
  namespace: string,
  name: string,
  team: string,
  opts: Partial<WorkloadSpec> & { cpu: string; mem: string; useCpu: number; useMem: number },
): WorkloadSpec {
  const { cpu, mem, useCpu, useMem, ...rest } = opts;
  return {
    namespace,
    name,
    kind: "Deployment",
    pool: "od",
    replicas: 2,
    team,
    containers: [
      {
        name,
        image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${namespace}/${name}:1.${name.length}.0`,
        cpuRequest: cpu,
        memoryRequest: mem,
        memoryLimit: mem,
        usage: { cpu: useCpu, memory: useMem, memoryPerTraffic: useMem * 0.15, traffic: true },
      },
    ],
    ...rest,
  };
}

/** Generic small services, so that the cluster has the long tail real clusters have. */
function tail(namespace: string, team: string, names: string[], pool: Pool = "od"): WorkloadSpec[] {
  return names.map((name, i) =>
    svc(namespace, name, team, {
      cpu: ["100m", "250m", "200m", "500m"][i % 4]!,
      mem: ["256Mi", "512Mi", "384Mi", "1Gi"][i % 4]!,
      useCpu: [0.03, 0.09, 0.06, 0.12][i % 4]!,
      useMem: [150, 310, 240, 560][i % 4]! * MI,
      replicas: 1 + (i % 3 === 0 ? 1 : 0) + (pool === "spot" ? 1 : 0),
      pool,
      pdb: i % 4 === 0 ? { maxUnavailable: 1 } : undefined,
    }),
  );
}

export function catalog(): WorkloadSpec[] {
  const kubeSystem: WorkloadSpec[] = [
    {
      namespace: "kube-system",
      name: "aws-node",
      kind: "DaemonSet",
      pool: "every-ec2",
      replicas: 0,
      team: "platform",
      containers: [
        {
          name: "aws-vpc-cni-init",
          image: "602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon-k8s-cni-init:v1.19.2",
          cpuRequest: "25m",
          role: "init",
          usage: { cpu: 0, memory: 0, traffic: false },
        },
        {
          name: "aws-node",
          image: "602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon-k8s-cni:v1.19.2",
          cpuRequest: "25m",
          usage: { cpu: 0.004, memory: 48 * MI, traffic: false },
        },
      ],
    },
    {
      namespace: "kube-system",
      name: "kube-proxy",
      kind: "DaemonSet",
      pool: "every-ec2",
      replicas: 0,
      team: "platform",
      containers: [
        {
          name: "kube-proxy",
          image: "602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/kube-proxy:v1.33.0-eksbuild.2",
          cpuRequest: "100m",
          usage: { cpu: 0.003, memory: 24 * MI, traffic: false },
        },
      ],
    },
    {
      namespace: "kube-system",
      name: "coredns",
      kind: "Deployment",
      pool: "od",
      replicas: 2,
      team: "platform",
      pdb: { maxUnavailable: 1 },
      containers: [
        {
          name: "coredns",
          image: "602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/coredns:v1.11.4-eksbuild.2",
          cpuRequest: "100m",
          memoryRequest: "70Mi",
          memoryLimit: "170Mi",
          usage: { cpu: 0.012, memory: 38 * MI, traffic: true },
        },
      ],
    },
    svc("kube-system", "karpenter", "platform", {
      cpu: "1",
      mem: "1Gi",
      useCpu: 0.08,
      useMem: 410 * MI,
      replicas: 2,
    }),
    svc("kube-system", "aws-load-balancer-controller", "platform", {
      cpu: "100m",
      mem: "256Mi",
      useCpu: 0.01,
      useMem: 90 * MI,
    }),
    svc("kube-system", "metrics-server", "platform", {
      cpu: "100m",
      mem: "200Mi",
      useCpu: 0.015,
      useMem: 60 * MI,
      replicas: 1,
    }),
    svc("kube-system", "ebs-csi-controller", "platform", {
      cpu: "10m",
      mem: "40Mi",
      useCpu: 0.004,
      useMem: 35 * MI,
    }),
  ];

  const monitoring: WorkloadSpec[] = [
    {
      namespace: "monitoring",
      name: "fluent-bit",
      kind: "DaemonSet",
      pool: "every-ec2",
      replicas: 0,
      team: "platform",
      containers: [
        {
          name: "fluent-bit",
          image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4",
          cpuRequest: "50m",
          memoryRequest: "100Mi",
          memoryLimit: "250Mi",
          usage: { cpu: 0.02, memory: 70 * MI, traffic: true },
        },
      ],
    },
    {
      ...svc("monitoring", "prometheus", "platform", {
        cpu: "2",
        mem: "8Gi",
        useCpu: 0.9,
        useMem: 5.2 * GI,
        replicas: 1,
      }),
      kind: "StatefulSet",
      volumeGiB: 200,
    },
    {
      ...svc("monitoring", "alertmanager", "platform", {
        cpu: "100m",
        mem: "256Mi",
        useCpu: 0.005,
        useMem: 40 * MI,
      }),
      kind: "StatefulSet",
      volumeGiB: 5,
    },
    svc("monitoring", "grafana", "platform", {
      cpu: "250m",
      mem: "512Mi",
      useCpu: 0.03,
      useMem: 180 * MI,
      replicas: 1,
    }),
    svc("monitoring", "kube-state-metrics", "platform", {
      cpu: "100m",
      mem: "256Mi",
      useCpu: 0.02,
      useMem: 95 * MI,
      replicas: 1,
    }),
    svc("monitoring", "blackbox-exporter", "platform", {
      cpu: "50m",
      mem: "64Mi",
      useCpu: 0.004,
      useMem: 22 * MI,
      replicas: 1,
    }),
  ];

  const shop: WorkloadSpec[] = [
    svc("shop", "frontend", "storefront", {
      cpu: "500m",
      mem: "512Mi",
      useCpu: 0.3,
      useMem: 280 * MI,
      replicas: 4,
      hpa: { min: 4, max: 16, cpuUtilization: 70 },
      pdb: { minAvailable: "50%" },
      pool: "spot",
    }),
    svc("shop", "catalog", "storefront", {
      cpu: "500m",
      mem: "1Gi",
      useCpu: 0.22,
      useMem: 610 * MI,
      replicas: 3,
      hpa: { min: 3, max: 8, cpuUtilization: 70 },
      pdb: { maxUnavailable: 1 },
      rolledOutMidWindow: true,
    }),
    // PLANTED: maxReplicas too low for the sale; at 3x traffic the pods run hot and throttle.
    {
      ...svc("shop", "cart", "storefront", {
        cpu: "250m",
        mem: "512Mi",
        useCpu: 0.14,
        useMem: 260 * MI,
        replicas: 3,
        hpa: { min: 3, max: 5, cpuUtilization: 70 },
      }),
      containers: [
        {
          name: "cart",
          image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/cart:2.4.1",
          cpuRequest: "250m",
          cpuLimit: "500m",
          memoryRequest: "512Mi",
          memoryLimit: "512Mi",
          usage: { cpu: 0.14, memory: 260 * MI, memoryPerTraffic: 40 * MI, traffic: true },
        },
      ],
    },
    // PLANTED: over-provisioned requests (cpu: 4, memory: 8Gi) for a service using ~200m / ~500Mi.
    svc("shop", "recommendations", "storefront", {
      cpu: "4",
      mem: "8Gi",
      useCpu: 0.2,
      useMem: 500 * MI,
      replicas: 2,
      pool: "spot",
    }),
    // PLANTED: a StatefulSet (with PVCs) on spot capacity.
    {
      ...svc("shop", "sessions-redis", "storefront", {
        cpu: "500m",
        mem: "2Gi",
        useCpu: 0.08,
        useMem: 1.1 * GI,
        replicas: 3,
      }),
      kind: "StatefulSet",
      pool: "spot",
      volumeGiB: 10,
    },
    // PLANTED: a second Deployment whose pods sit on an almost idle node (see generate.ts).
    svc("shop", "product-images", "storefront", {
      cpu: "250m",
      mem: "512Mi",
      useCpu: 0.06,
      useMem: 200 * MI,
      replicas: 2,
      emptyDir: true,
      pool: "spot",
    }),
    ...tail("shop", "storefront", [
      "reviews",
      "wishlist",
      "inventory-view",
      "banners",
      "seo-renderer",
      "locale",
      "newsletter",
    ]),
    ...tail("shop", "storefront", ["search-suggest", "compare", "gift-cards", "store-locator"], "spot"),
    ...tail("shop", "storefront", [
      "size-guide",
      "bundles",
      "loyalty",
      "ugc-moderation",
      "flash-deals",
      "a11y-audit",
    ]),
    // PLANTED: a LoadBalancer Service left behind with no endpoints (generate.ts).
  ];

  const checkout: WorkloadSpec[] = [
    svc("checkout", "checkout-api", "checkout", {
      cpu: "500m",
      mem: "768Mi",
      useCpu: 0.28,
      useMem: 420 * MI,
      replicas: 3,
      hpa: { min: 3, max: 10, cpuUtilization: 65 },
      pdb: { minAvailable: 2 },
    }),
    svc("checkout", "pricing", "checkout", {
      cpu: "500m",
      mem: "1Gi",
      useCpu: 0.18,
      useMem: 520 * MI,
      replicas: 3,
    }),
    // PLANTED: a single-replica Deployment on spot (one interruption takes it down).
    svc("checkout", "coupon-service", "checkout", {
      cpu: "250m",
      mem: "256Mi",
      useCpu: 0.05,
      useMem: 140 * MI,
      replicas: 1,
      pool: "spot",
    }),
    ...tail("checkout", "checkout", [
      "tax",
      "shipping-quote",
      "address-validation",
      "order-history",
      "invoice",
      "promotions",
    ]),
    ...tail("checkout", "checkout", ["fraud-score-cache", "cart-merge", "basket-events"], "spot"),
    ...tail("checkout", "checkout", ["delivery-slots", "returns"], "graviton"),
    ...tail("checkout", "checkout", ["order-events", "payment-methods", "checkout-bff", "split-shipments"]),
  ];

  const payments: WorkloadSpec[] = [
    svc("payments", "payments-api", "payments", {
      cpu: "500m",
      mem: "1Gi",
      useCpu: 0.21,
      useMem: 480 * MI,
      replicas: 3,
      hpa: { min: 3, max: 9, cpuUtilization: 70 },
      pdb: { minAvailable: 2 },
    }),
    // PLANTED: under-provisioned memory; the working set climbs to the 512Mi limit and is OOM killed.
    {
      ...svc("payments", "ledger", "payments", {
        cpu: "250m",
        mem: "512Mi",
        useCpu: 0.09,
        useMem: 420 * MI,
        replicas: 2,
      }),
      containers: [
        {
          name: "ledger",
          image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/payments/ledger:5.2.0",
          cpuRequest: "250m",
          memoryRequest: "512Mi",
          memoryLimit: "512Mi",
          usage: {
            cpu: 0.09,
            memory: 420 * MI,
            memoryPerTraffic: 20 * MI,
            traffic: true,
            leaksToLimit: true,
          },
        },
      ],
    },
    {
      ...svc("payments", "postgres", "payments", {
        cpu: "2",
        mem: "8Gi",
        useCpu: 0.7,
        useMem: 6.1 * GI,
        replicas: 3,
      }),
      kind: "StatefulSet",
      volumeGiB: 100,
      pdb: { maxUnavailable: 1 },
      containers: [
        {
          name: "postgres",
          image: "public.ecr.aws/docker/library/postgres:16.4",
          cpuRequest: "2",
          memoryRequest: "8Gi",
          memoryLimit: "8Gi",
          usage: { cpu: 0.7, memory: 6.1 * GI, memoryPerTraffic: 0.3 * GI, traffic: true },
        },
        {
          name: "postgres-exporter",
          image: "quay.io/prometheuscommunity/postgres-exporter:v0.15.0",
          cpuRequest: "50m",
          memoryRequest: "64Mi",
          memoryLimit: "128Mi",
          usage: { cpu: 0.006, memory: 30 * MI, traffic: false },
        },
      ],
    },
    svc("payments", "pgbouncer", "payments", {
      cpu: "250m",
      mem: "256Mi",
      useCpu: 0.07,
      useMem: 60 * MI,
      replicas: 2,
    }),
    ...tail("payments", "payments", [
      "fraud-check",
      "refunds",
      "payouts",
      "chargebacks",
      "psp-gateway",
      "settlement",
      "kyc",
    ]),
    ...tail("payments", "payments", ["risk-rules", "card-vault-proxy"], "graviton"),
    ...tail("payments", "payments", ["fx-rates", "dispute-portal", "reconciliation", "webhooks"]),
  ];

  const search: WorkloadSpec[] = [
    svc("search", "search-api", "search", {
      cpu: "1",
      mem: "2Gi",
      useCpu: 0.45,
      useMem: 1.3 * GI,
      replicas: 3,
      hpa: { min: 3, max: 8, cpuUtilization: 70 },
      pool: "spot",
    }),
    {
      ...svc("search", "opensearch", "search", {
        cpu: "2",
        mem: "8Gi",
        useCpu: 0.9,
        useMem: 5.8 * GI,
        replicas: 3,
      }),
      kind: "StatefulSet",
      volumeGiB: 150,
      pdb: { maxUnavailable: 1 },
    },
    svc("search", "indexer", "search", {
      cpu: "1",
      mem: "2Gi",
      useCpu: 0.35,
      useMem: 1.2 * GI,
      replicas: 1,
      pool: "spot",
    }),
    ...tail(
      "search",
      "search",
      ["synonyms", "ranking-features", "query-log", "autocomplete-builder", "facet-cache"],
      "spot",
    ),
    ...tail("search", "search", ["click-tracker", "ab-assign"], "graviton"),
    ...tail("search", "search", ["spellcheck", "merch-rules", "embeddings-cache"], "spot"),
  ];

  const data: WorkloadSpec[] = [
    {
      ...svc("data", "kafka", "data", { cpu: "2", mem: "6Gi", useCpu: 0.6, useMem: 4.2 * GI, replicas: 3 }),
      kind: "StatefulSet",
      volumeGiB: 500,
      pdb: { maxUnavailable: 1 },
    },
    {
      ...svc("data", "zookeeper", "data", {
        cpu: "500m",
        mem: "1Gi",
        useCpu: 0.05,
        useMem: 380 * MI,
        replicas: 3,
      }),
      kind: "StatefulSet",
      volumeGiB: 10,
    },
    svc("data", "schema-registry", "data", { cpu: "250m", mem: "768Mi", useCpu: 0.03, useMem: 420 * MI }),
    svc("data", "kafka-exporter", "data", {
      cpu: "50m",
      mem: "64Mi",
      useCpu: 0.01,
      useMem: 30 * MI,
      replicas: 1,
    }),
    ...tail("data", "data", [
      "connect-s3-sink",
      "cdc-orders",
      "events-router",
      "clickstream-enricher",
      "dbt-docs",
      "airflow-web",
      "airflow-scheduler",
    ]),
  ];

  const cron = (
    name: string,
    hours: number[],
    runHours: number,
    cpu: string,
    mem: string,
    useCpu: number,
    useMem: number,
  ): WorkloadSpec => ({
    namespace: "batch",
    name,
    kind: "CronJob",
    pool: "spot",
    replicas: 1,
    team: "data",
    schedule: { hours, runHours },
    containers: [
      {
        name,
        image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/batch/${name}:0.9.${hours.length}`,
        cpuRequest: cpu,
        memoryRequest: mem,
        memoryLimit: mem,
        usage: { cpu: useCpu, memory: useMem, traffic: false, noise: 0.2 },
      },
    ],
  });
  const batch: WorkloadSpec[] = [
    cron("nightly-report", [2], 2, "1", "2Gi", 0.8, 1.4 * GI),
    cron("feed-export", [1, 13], 1, "500m", "1Gi", 0.4, 700 * MI),
    cron("cleanup-carts", [4], 1, "100m", "128Mi", 0.05, 60 * MI),
    cron("sitemap", [3], 1, "250m", "512Mi", 0.2, 300 * MI),
    cron("price-sync", [0, 6, 12, 18], 1, "250m", "256Mi", 0.1, 150 * MI),
    cron("invoice-mailer", [7], 1, "100m", "256Mi", 0.03, 110 * MI),
    cron("db-backup", [5], 1, "500m", "512Mi", 0.3, 260 * MI),
    cron("search-reindex", [22], 2, "2", "4Gi", 1.6, 3.1 * GI),
  ];

  // Fargate profile `fp-reports` selects namespace `reports`.
  const fargate = (
    name: string,
    cpu: string,
    mem: string,
    useCpu: number,
    useMem: number,
    replicas: number,
  ): WorkloadSpec => ({
    ...svc("reports", name, "finance", { cpu, mem, useCpu, useMem, replicas, pool: "fargate" }),
    containers: [
      {
        name,
        image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/reports/${name}:3.1.0`,
        cpuRequest: cpu,
        cpuLimit: cpu,
        memoryRequest: mem,
        memoryLimit: mem,
        usage: { cpu: useCpu, memory: useMem, traffic: true },
      },
    ],
  });
  const reports: WorkloadSpec[] = [
    // PLANTED: just over a Fargate boundary: 1 vCPU + 8Gi + 256Mi → billed 2 vCPU / 9 GB.
    fargate("report-renderer", "1", "8Gi", 0.35, 2.9 * GI, 3),
    fargate("pdf-worker", "500m", "1Gi", 0.2, 600 * MI, 2),
    fargate("statement-api", "250m", "256Mi", 0.04, 120 * MI, 2),
    // PLANTED: the CapacityProvisioned annotation disagrees with the computed size (generate.ts).
    { ...fargate("tax-export", "500m", "2Gi", 0.1, 900 * MI, 1), fargateAnnotationOverride: "1vCPU 3GB" },
  ];

  const platformTools: WorkloadSpec[] = tail(
    "platform-tools",
    "platform",
    [
      "argocd-server",
      "argocd-repo-server",
      "argocd-application-controller",
      "external-dns",
      "cert-manager",
      "cert-manager-webhook",
      "external-secrets",
    ],
    "graviton",
  );

  const other: WorkloadSpec[] = [
    {
      namespace: "default",
      name: "debug-shell",
      kind: "Pod",
      pool: "od",
      replicas: 1,
      team: "platform",
      containers: [
        {
          name: "shell",
          image: "public.ecr.aws/docker/library/busybox:1.36",
          usage: { cpu: 0.001, memory: 2 * MI, traffic: false },
        },
      ],
    },
  ];

  return [
    ...kubeSystem,
    ...monitoring,
    ...shop,
    ...checkout,
    ...payments,
    ...search,
    ...data,
    ...batch,
    ...reports,
    ...platformTools,
    ...other,
    ...offpeakWorkloads(),
  ];
}
