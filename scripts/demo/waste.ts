/**
 * PLANTED for issue 15 (paid for, used by nothing; commitments): objects added to the generated
 * demo bundle so that each finding of the waste families shows on the demo, with the bill
 * carrying what AWS would charge for them. Called once by generate.ts on the finished files.
 *
 * - a Released PersistentVolume (200 GiB gp3, Retain policy, its claim deleted);
 * - namespace `staging-old`: no pod runs, yet it holds a Deployment scaled to zero with an
 *   internet-facing NLB Service selecting it and an internet-facing ALB Ingress sending to that
 *   Service, and a StatefulSet scaled to zero with its PVC (20 GiB gp3, bound, mounted by nothing);
 * - an ALB Ingress for the storefront (shop/frontend has ready endpoints: not a finding);
 * - 100 GiB of gp3 the bill carries under the cluster's tag that no PV references;
 * - the cluster in extended support: Kubernetes 1.31 (standard support ended 2025-11-26),
 *   upgrade policy EXTENDED, and the bill's AmazonEKS-Hours:extendedSupport line ($0.50 an hour);
 * - a Compute Savings Plan covering $24 a day of on-demand EC2 (a $0.75/hour commitment, fully
 *   used; the bill's amortized cost of the covered on-demand lines is lower by the $6 saved);
 * - checkout/coupon-service annotated capacity.io/spot-ready "true" (a team's override).
 */
type Files = Map<string, string | Buffer>;
// biome-ignore lint/suspicious/noExplicitAny: Kubernetes and Cost Explorer documents.
type Doc = any;

const GP3_USD_PER_GB_MONTH = 0.08;
const RELEASED_GIB = 200;
const ORPHAN_PVC_GIB = 20;
const UNREFERENCED_GIB = 100;
/**
 * The demo's Compute Savings Plan as the bill carries it (scripts/demo/bill.ts): ten m6i.xlarge
 * at the plan rate of USD 0.1344 per hour, so a commitment of USD 1.344 per hour; on the days the
 * bill covers fewer hours, part of the commitment goes unused.
 */
const SAVINGS_PLAN = { commitmentUsdPerHour: 1.344, planRateUsdPerHour: 0.1344 };
const NAMESPACE = "staging-old";
const CREATED = "2026-08-03T10:12:00Z";

export function plantWaste(files: Files, cluster: { name: string }): void {
  const k8s = `kubernetes/${cluster.name}`;
  const edit = (path: string, change: (doc: Doc) => void, indent = 1) => {
    const doc = JSON.parse(files.get(path) as string);
    change(doc);
    files.set(path, `${JSON.stringify(doc, null, indent)}\n`);
  };
  const add = (resource: string, items: Doc[]) =>
    edit(`${k8s}/${resource}.json`, (list) => list.items.push(...items));
  const selector = { "app.kubernetes.io/name": "preview-api" };

  files.set(
    `${k8s}/persistentvolumes.json`,
    `${JSON.stringify(
      {
        apiVersion: "v1",
        kind: "List",
        metadata: { resourceVersion: "" },
        items: [
          {
            apiVersion: "v1",
            kind: "PersistentVolume",
            metadata: {
              name: "pvc-5b1e7c2a-93d4-4f0e-8a61-2c7d9e0f4b13",
              uid: "0d2c9a41-5e7f-4b18-9c3a-7f1e2d4b6a80",
              creationTimestamp: "2026-06-21T08:40:00Z",
            },
            spec: {
              capacity: { storage: `${RELEASED_GIB}Gi` },
              accessModes: ["ReadWriteOnce"],
              persistentVolumeReclaimPolicy: "Retain",
              storageClassName: "gp3",
              claimRef: { kind: "PersistentVolumeClaim", namespace: "data", name: "data-kafka-legacy-0" },
              csi: { driver: "ebs.csi.aws.com", volumeHandle: "vol-0a7c31e9d52b48f60", fsType: "ext4" },
              nodeAffinity: {
                required: {
                  nodeSelectorTerms: [
                    {
                      matchExpressions: [
                        { key: "topology.ebs.csi.aws.com/zone", operator: "In", values: ["us-east-1a"] },
                      ],
                    },
                  ],
                },
              },
            },
            status: { phase: "Released" },
          },
        ],
      },
      null,
      1,
    )}\n`,
  );

  edit(`${k8s}/namespaces.json`, (list) => {
    list.items.push({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: NAMESPACE,
        uid: "7e4b0c19-2a6d-4f83-b5e1-9c0d3a7f2e64",
        labels: { "kubernetes.io/metadata.name": NAMESPACE },
      },
      status: { phase: "Active" },
    });
    list.items.sort((a: Doc, b: Doc) => a.metadata.name.localeCompare(b.metadata.name));
  });
  add("deployments", [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: {
        name: "preview-api",
        namespace: NAMESPACE,
        uid: "3f9a6d20-8b1c-4e57-a2d4-6c0e9b7f1a35",
        creationTimestamp: CREATED,
        labels: selector,
      },
      spec: {
        replicas: 0,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: {
            containers: [
              {
                name: "preview-api",
                image: "preview-api:0.9.2",
                resources: { requests: { cpu: "250m", memory: "512Mi" } },
              },
            ],
          },
        },
      },
      status: {},
    },
  ]);
  add("services", [
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "preview-api",
        namespace: NAMESPACE,
        uid: "a81d4e6b-0c3f-4a92-8e57-1b6d2f9c0e47",
        annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" },
      },
      spec: { type: "LoadBalancer", selector, ports: [{ port: 443, targetPort: 8443, protocol: "TCP" }] },
      status: {
        loadBalancer: {
          ingress: [{ hostname: "k8s-stagingo-previewa-5d1e8c0b7a.elb.us-east-1.amazonaws.com" }],
        },
      },
    },
  ]);
  add("endpoints", [
    { apiVersion: "v1", kind: "Endpoints", metadata: { name: "preview-api", namespace: NAMESPACE } },
  ]);
  const albIngress = (namespace: string, name: string, service: string, uid: string, host: string) => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: {
      name,
      namespace,
      uid,
      creationTimestamp: CREATED,
      annotations: {
        "alb.ingress.kubernetes.io/scheme": "internet-facing",
        "alb.ingress.kubernetes.io/target-type": "ip",
      },
    },
    spec: {
      ingressClassName: "alb",
      rules: [
        {
          http: {
            paths: [
              {
                path: "/",
                pathType: "Prefix",
                backend: { service: { name: service, port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
    status: { loadBalancer: { ingress: [{ hostname: host }] } },
  });
  files.set(
    `${k8s}/ingresses.json`,
    `${JSON.stringify(
      {
        apiVersion: "v1",
        kind: "List",
        metadata: { resourceVersion: "" },
        items: [
          albIngress(
            "shop",
            "storefront",
            "frontend",
            "9b3f0e52-7d1a-4c86-a0e4-2f5c8d1b7e39",
            "k8s-shop-storefro-6c2e9a1f04-1822334455.us-east-1.elb.amazonaws.com",
          ),
          albIngress(
            NAMESPACE,
            "preview-web",
            "preview-api",
            "e07a5c3d-1b92-4f64-8d0e-6a4c2b9f7d15",
            "k8s-stagingo-previeww-3f8b1d7e20-998877665.us-east-1.elb.amazonaws.com",
          ),
        ],
      },
      null,
      1,
    )}\n`,
  );
  const db = { "app.kubernetes.io/name": "preview-db" };
  add("statefulsets", [
    {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: {
        name: "preview-db",
        namespace: NAMESPACE,
        uid: "c2e70b94-6f1a-4d38-9b05-e4a1c7d3f862",
        creationTimestamp: CREATED,
        labels: db,
      },
      spec: {
        replicas: 0,
        selector: { matchLabels: db },
        serviceName: "preview-db",
        template: {
          metadata: { labels: db },
          spec: {
            containers: [
              {
                name: "postgres",
                image: "postgres:16.4",
                resources: { requests: { cpu: "500m", memory: "1Gi" } },
              },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: "data" },
            spec: {
              accessModes: ["ReadWriteOnce"],
              storageClassName: "gp3",
              resources: { requests: { storage: `${ORPHAN_PVC_GIB}Gi` } },
            },
          },
        ],
      },
      status: { replicas: 0 },
    },
  ]);
  add("persistentvolumeclaims", [
    {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: {
        name: "data-preview-db-0",
        namespace: NAMESPACE,
        uid: "5a0c3e71-d94b-4f26-8e1a-b7f2c6d0e953",
        creationTimestamp: CREATED,
        labels: db,
      },
      spec: {
        accessModes: ["ReadWriteOnce"],
        storageClassName: "gp3",
        resources: { requests: { storage: `${ORPHAN_PVC_GIB}Gi` } },
        volumeName: "pvc-e6b29d03-7c4a-4b1f-a8e5-0d3c9f71b2a6",
      },
      status: { phase: "Bound", capacity: { storage: `${ORPHAN_PVC_GIB}Gi` } },
    },
  ]);
  edit(`${k8s}/deployments.json`, (list) => {
    const coupon = list.items.find((d: Doc) => d.metadata.name === "coupon-service");
    coupon.metadata.annotations = { ...coupon.metadata.annotations, "capacity.io/spot-ready": "true" };
  });

  const aws = `aws/${cluster.name}`;
  edit(
    `${aws}/eks.json`,
    (answers) => {
      answers.cluster.upgradePolicy = { supportType: "EXTENDED" };
    },
    1,
  );
  const covered = plantInBill(files, `${aws}/cost-and-usage.json`);
  files.set(`${aws}/commitments.json`, `${JSON.stringify(commitments(covered), null, 1)}\n`);
}

/**
 * The bill's side: each day's EBS line gains the Released PV, the orphan PVC and the volume no
 * PV references. Returns each day's Savings Plan coverage as the bill's purchase-type page has it
 * (for the coverage and utilisation answers).
 */
interface Day {
  day: string;
  /** The on-demand-equivalent spend the plan covered, and its hours. */
  coveredUsd: number;
  coveredHours: number;
  /** On-demand spend not covered. */
  onDemandUsd: number;
}

function plantInBill(files: Files, path: string): Day[] {
  const pages = JSON.parse(files.get(path) as string);
  const amount = (n: number) => n.toFixed(10);
  const byService = pages.filter((p: Doc) => p.response.GroupDefinitions?.[0]?.Key === "SERVICE");
  for (const page of byService) {
    for (const result of page.response.ResultsByTime) {
      const day: string = result.TimePeriod.Start;
      const d = new Date(`${day}T00:00:00Z`);
      const daysInMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
      const gib = RELEASED_GIB + ORPHAN_PVC_GIB + UNREFERENCED_GIB;
      const ebs = result.Groups.find((g: Doc) => g.Keys[1] === "EBS:VolumeUsage.gp3");
      const ebsUsd = (gib * GP3_USD_PER_GB_MONTH) / daysInMonth;
      for (const metric of ["UnblendedCost", "AmortizedCost", "NetAmortizedCost"])
        ebs.Metrics[metric].Amount = amount(Number(ebs.Metrics[metric].Amount) + ebsUsd);
      ebs.Metrics.UsageQuantity.Amount = amount(Number(ebs.Metrics.UsageQuantity.Amount) + gib / daysInMonth);
    }
  }
  // The Savings Plan and the extended-support line are the bill's own (scripts/demo/bill.ts):
  // the coverage answers are read from the purchase-type page it wrote, so both say the same.
  const byPurchase = pages.find((p: Doc) => p.response.GroupDefinitions?.[0]?.Key === "PURCHASE_TYPE");
  const days: Day[] = [];
  for (const result of byPurchase?.response.ResultsByTime ?? []) {
    const groups = result.Groups as Doc[];
    const onDemand = groups.filter((g) => g.Keys[0] === "On Demand Instances");
    const listPrice = (type: string) => {
      const g = onDemand.find((o) => o.Keys[1] === type);
      return g ? Number(g.Metrics.UnblendedCost.Amount) / Number(g.Metrics.UsageQuantity.Amount) : 0;
    };
    const plan = groups.filter((g) => g.Keys[0] === "Savings Plans");
    const coveredUsd = plan.reduce(
      (a, g) => a + Number(g.Metrics.UsageQuantity.Amount) * listPrice(g.Keys[1]),
      0,
    );
    const coveredHours = plan.reduce((a, g) => a + Number(g.Metrics.UsageQuantity.Amount), 0);
    const onDemandUsd = onDemand.reduce((a, g) => a + Number(g.Metrics.UnblendedCost.Amount), 0);
    days.push({ day: result.TimePeriod.Start, coveredUsd, coveredHours, onDemandUsd });
  }
  files.set(path, `${JSON.stringify(pages, null, 1)}\n`);
  return days;
}

/** The Savings Plans and RI answers of the window, shaped as Cost Explorer gives them. */
function commitments(days: Day[]) {
  const next = (day: string) =>
    new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const start = days[0]!.day;
  const end = next(days[days.length - 1]!.day);
  const filter = {
    And: [
      { Dimensions: { Key: "SERVICE", Values: ["Amazon Elastic Compute Cloud - Compute"] } },
      { Dimensions: { Key: "REGION", Values: ["us-east-1"] } },
    ],
  };
  const commitment = 24 * SAVINGS_PLAN.commitmentUsdPerHour;
  const usedTotal = days.reduce((a, d) => a + d.coveredHours * SAVINGS_PLAN.planRateUsdPerHour, 0);
  const money = (n: number) => n.toFixed(2);
  return {
    savingsPlansCoverage: [
      {
        request: { TimePeriod: { Start: start, End: end }, Granularity: "DAILY", Filter: filter },
        response: {
          SavingsPlansCoverages: days.map(({ day, coveredUsd, onDemandUsd }) => {
            return {
              Attributes: {},
              Coverage: {
                SpendCoveredBySavingsPlans: money(coveredUsd),
                OnDemandCost: money(onDemandUsd),
                TotalCost: money(coveredUsd + onDemandUsd),
                CoveragePercentage: money((coveredUsd / (coveredUsd + onDemandUsd)) * 100),
              },
              TimePeriod: { Start: day, End: next(day) },
            };
          }),
        },
      },
    ],
    savingsPlansUtilization: {
      request: { TimePeriod: { Start: start, End: end }, Granularity: "DAILY" },
      response: {
        SavingsPlansUtilizationsByTime: days.map(({ day, coveredUsd, coveredHours }) => {
          const used = coveredHours * SAVINGS_PLAN.planRateUsdPerHour;
          return {
            TimePeriod: { Start: day, End: next(day) },
            Utilization: {
              TotalCommitment: money(commitment),
              UsedCommitment: money(used),
              UnusedCommitment: money(commitment - used),
              UtilizationPercentage: money((used / commitment) * 100),
            },
            Savings: {
              NetSavings: money(coveredUsd - commitment),
              OnDemandCostEquivalent: money(coveredUsd),
            },
            AmortizedCommitment: {
              AmortizedRecurringCommitment: money(commitment),
              AmortizedUpfrontCommitment: "0.00",
              TotalAmortizedCommitment: money(commitment),
            },
          };
        }),
        Total: {
          Utilization: {
            TotalCommitment: money(commitment * days.length),
            UsedCommitment: money(usedTotal),
            UnusedCommitment: money(commitment * days.length - usedTotal),
            UtilizationPercentage: money((usedTotal / (commitment * days.length)) * 100),
          },
        },
      },
    },
    reservationCoverage: [
      {
        request: { TimePeriod: { Start: start, End: end }, Granularity: "DAILY", Filter: filter },
        response: {
          CoveragesByTime: days.map(({ day }) => ({
            TimePeriod: { Start: day, End: next(day) },
            Groups: [],
            Total: {
              CoverageHours: {
                OnDemandHours: "0",
                ReservedHours: "0",
                TotalRunningHours: "0",
                CoverageHoursPercentage: "0",
              },
              CoverageCost: { OnDemandCost: "0" },
            },
          })),
        },
      },
    ],
  };
}
